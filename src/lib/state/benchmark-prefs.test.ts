import { describe, expect, it } from 'vitest';
import { BATCH_CHOICES } from './benchmark-ops';
import { keptVersions, readPrefs, readSloForm } from './benchmark-prefs';

const ISOLATED = { threads: [1, 8], batches: BATCH_CHOICES };
const NOT_ISOLATED = { threads: [1], batches: BATCH_CHOICES };

/** What the lab saves after a learner's choices (see BenchmarkState's `#changed`). */
const SAVED = {
  versions: ['digits-classifier@v3', 'digits-classifier@v1'],
  runtimes: ['plain-ts', 'ort-wasm'],
  threads: [1, 8],
  batches: [1, 16],
  slo: { p99Ms: 1, batch: 16, minAccuracyPct: 95 },
};

describe('readPrefs', () => {
  it('restores every field of what the lab saved', () => {
    expect(readPrefs(SAVED, ISOLATED)).toEqual({
      versions: ['digits-classifier@v3', 'digits-classifier@v1'],
      runtimes: ['ort-wasm', 'plain-ts'], // in the lab's order
      threads: [1, 8],
      batches: [1, 16],
      slo: { p99Ms: 1, batch: 16, minAccuracyPct: 95 },
    });
  });

  it('keeps "the default version" and empty choices the learner made', () => {
    const p = readPrefs({ ...SAVED, versions: null, runtimes: [], batches: [] }, ISOLATED);
    expect(p.versions).toBeNull();
    expect(p.runtimes).toEqual([]);
    expect(p.batches).toEqual([]);
  });

  it('drops runtimes, threads and batch sizes the lab does not offer (now)', () => {
    const p = readPrefs(
      { ...SAVED, runtimes: ['ort-wasm', 'onnx-cuda', 7], threads: [1, 8], batches: [1, 3, 64] },
      NOT_ISOLATED,
    );
    expect(p.runtimes).toEqual(['ort-wasm']);
    expect(p.threads).toEqual([1]); // 8 threads need a cross-origin isolated page
    expect(p.batches).toEqual([1, 64]);
    // Threads that all became impossible leave the default, never an empty choice.
    expect(readPrefs({ threads: [8] }, NOT_ISOLATED).threads).toBeUndefined();
  });

  it('keeps only string version ids, once each', () => {
    const p = readPrefs({ versions: ['m@v1', 3, null, 'm@v1', 'm@v2'] }, ISOLATED);
    expect(p.versions).toEqual(['m@v1', 'm@v2']);
  });

  it('leaves out what is missing or malformed, with no error', () => {
    for (const saved of [undefined, null, 42, 'grid', [], { versions: 'm@v1', runtimes: {} }])
      expect(readPrefs(saved, ISOLATED)).toEqual({});
    expect(readPrefs({ batches: [16] }, ISOLATED)).toEqual({ batches: [16] });
  });

  it('restores an SLO only when every field is valid', () => {
    expect(readPrefs({ slo: { ...SAVED.slo, p99Ms: 0 } }, ISOLATED).slo).toBeUndefined();
    expect(readPrefs({ slo: { ...SAVED.slo, batch: 1.5 } }, ISOLATED).slo).toBeUndefined();
    expect(readPrefs({ slo: { ...SAVED.slo, minAccuracyPct: 101 } }, ISOLATED).slo).toBeUndefined();
    expect(readPrefs({ slo: { ...SAVED.slo, p99Ms: '1' } }, ISOLATED).slo).toBeUndefined();
  });
});

describe('readSloForm', () => {
  it('accepts the form in its units (ms, rows, percent)', () => {
    expect(readSloForm({ p99Ms: 0.5, batch: 256, minAccuracyPct: 0 })).toEqual({
      p99Ms: 0.5,
      batch: 256,
      minAccuracyPct: 0,
    });
    expect(readSloForm({ p99Ms: Number.NaN, batch: 1, minAccuracyPct: 96 })).toBeNull();
    expect(readSloForm(null)).toBeNull();
  });
});

describe('keptVersions', () => {
  const ids = ['m@v3', 'm@v2'];
  it('drops deleted versions and keeps the chosen order', () => {
    expect(keptVersions(['m@v2', 'm@v1', 'm@v3'], ids, true)).toEqual(['m@v2', 'm@v3']);
  });

  it('gives the default when every restored version is gone', () => {
    expect(keptVersions(['m@v1'], ids, true)).toBeNull();
    // ...or before the registry is loaded (no ids yet): the choice comes back once it is.
    expect(keptVersions(['m@v2'], [], true)).toBeNull();
    expect(keptVersions(['m@v2'], ids, true)).toEqual(['m@v2']);
  });

  it('keeps an empty choice the learner made in this session', () => {
    expect(keptVersions([], ids, false)).toEqual([]);
    expect(keptVersions(['m@v1'], ids, false)).toEqual([]);
    expect(keptVersions(null, ids, false)).toBeNull();
  });
});
