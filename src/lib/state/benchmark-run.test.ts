import { describe, expect, it } from 'vitest';
import type { BenchGroupHandlers, BenchGroupSpec, BenchRunner } from '../engine/bench-runner';
import type { BenchLoaded, BenchTimed } from '../protocol/bench';
import type { AppDb } from '../storage';
import { planGrid, type VersionChoice } from './benchmark-ops';
import { runGrid, testRows, type GridLib } from './benchmark-run';
import type { PreparedModel } from './serving-model';

const VERSIONS: VersionChoice[] = [
  {
    id: 'm@v2',
    modelName: 'm',
    version: 2,
    variant: 'int8-dynamic',
    sizeBytes: 600,
    datasetId: 'digits',
    label: 'm v2',
  },
  {
    id: 'm@v1',
    modelName: 'm',
    version: 1,
    variant: 'fp32',
    sizeBytes: 2000,
    datasetId: 'digits',
    label: 'm v1',
  },
];

/** 4 rows of 2 features; test rows 3 and 1. */
function model(versionId: string): PreparedModel {
  return {
    versionId,
    onnx: new Uint8Array(4),
    weights: new ArrayBuffer(8),
    dataset: {
      x: Float32Array.from([0, 1, 10, 11, 20, 21, 30, 31]),
      y: Int32Array.from([0, 1, 2, 0]),
      features: 2,
      nClasses: 3,
      rows: 4,
    },
    testRows: Int32Array.from([3, 1]),
  } as unknown as PreparedModel;
}

function fakeLib(failRuntime?: string): GridLib & { specs: BenchGroupSpec[] } {
  const specs: BenchGroupSpec[] = [];
  const runner = {
    async measureGroup(spec: BenchGroupSpec, h: BenchGroupHandlers = {}) {
      specs.push(spec);
      h.onProgress?.({ phase: 'loading', batchIndex: 0, fraction: 0 });
      if (spec.runtime === failRuntime) throw new Error(`${spec.runtime} exploded`);
      const loaded: BenchLoaded = {
        runtime: spec.runtime,
        actualRuntime: spec.runtime,
        threads: spec.threads,
        details: {},
        loadMs: 1,
        firstCallMs: 1,
        coldStartMs: 2,
        accuracy: 0.5,
        timerResolutionMs: 0.005,
        crossOriginIsolated: true,
      };
      h.onLoaded?.(loaded);
      const timed: BenchTimed[] = [];
      for (const [i, batch] of spec.batches.entries()) {
        h.signal?.throwIfAborted();
        h.onProgress?.({
          phase: 'timing',
          batchIndex: i,
          fraction: (i + 1.5) / (spec.batches.length + 1),
        });
        const t: BenchTimed = {
          batch,
          timing: 'per-call',
          groupSize: 1,
          summary: {
            n: 100,
            mean: batch,
            p50: batch,
            p95: batch,
            p99: batch,
            max: batch,
            min: batch,
          },
          calls: 100,
          elapsedMs: 100,
          overheadMs: 0,
          pilotP50Ms: batch,
          timerResolutionMs: 0.005,
        };
        timed.push(t);
        h.onTimed?.(t);
      }
      return { loaded, timed };
    },
  } as unknown as BenchRunner;
  return { runner, prepare: async (_db, id) => model(id), specs };
}

describe('testRows', () => {
  it('gathers the test split row-major with its labels', () => {
    const { testX, testY } = testRows(model('m@v1'));
    expect(Array.from(testX)).toEqual([30, 31, 10, 11]);
    expect(Array.from(testY)).toEqual([0, 1]);
  });
});

describe('runGrid', () => {
  const db = {} as AppDb;

  it('measures each group, turns each batch into a labelled cell, and reports progress', async () => {
    const lib = fakeLib();
    const plan = planGrid(['m@v2'], ['plain-ts', 'ort-wasm'], [1], [1, 16]);
    const fractions: number[] = [];
    const seen: number[] = [];
    const { cells, failures } = await runGrid(
      { db, lib, plan, versions: VERSIONS, signal: new AbortController().signal },
      { onProgress: (f) => fractions.push(f), onChange: (c) => seen.push(c.length) },
    );
    expect(failures).toEqual([]);
    expect(cells.map((c) => `${c.runtime} ${c.batch} ${c.label ?? ''}`)).toEqual([
      'ort-wasm 1 ',
      'ort-wasm 16 ',
      'plain-ts 1 emulated (dequantized)',
      'plain-ts 16 emulated (dequantized)',
    ]);
    expect(cells[1].throughputPerSec).toBe(1000); // 16 rows per 16 ms
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(Array.from(lib.specs[0].testY)).toEqual([0, 1]);
  });

  it('records a failing group and goes on', async () => {
    const lib = fakeLib('ort-wasm');
    const plan = planGrid(['m@v1'], ['ort-wasm', 'plain-ts'], [1], [1]);
    const { cells, failures } = await runGrid(
      { db, lib, plan, versions: VERSIONS, signal: new AbortController().signal },
      { onProgress: () => {}, onChange: () => {} },
    );
    expect(cells.map((c) => c.runtime)).toEqual(['plain-ts']);
    expect(failures).toEqual([
      { versionId: 'm@v1', runtime: 'ort-wasm', threads: 1, message: 'ort-wasm exploded' },
    ]);
  });

  it('stops when aborted, after reporting what was measured', async () => {
    const lib = fakeLib();
    const controller = new AbortController();
    const plan = planGrid(['m@v1', 'm@v2'], ['plain-ts'], [1], [1]);
    const seen: number[] = [];
    const run = runGrid(
      { db, lib, plan, versions: VERSIONS, signal: controller.signal },
      {
        onProgress: () => {},
        onChange: (c) => {
          seen.push(c.length);
          controller.abort();
        },
      },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([1]);
  });
});
