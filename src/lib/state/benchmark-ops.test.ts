import { describe, expect, it } from 'vitest';
import type { BenchLoaded, BenchTimed } from '../protocol/bench';
import {
  EMULATED_LABEL,
  cellCount,
  cellLabel,
  SOFTWARE_ADAPTER_LABEL,
  formatAccuracy,
  formatMs,
  formatRate,
  planGrid,
  toCell,
} from './benchmark-ops';

const loaded = (overrides: Partial<BenchLoaded> = {}): BenchLoaded => ({
  runtime: 'ort-wasm',
  actualRuntime: 'ort-wasm',
  threads: 1,
  details: {},
  loadMs: 40,
  firstCallMs: 1.5,
  coldStartMs: 41.5,
  accuracy: 0.975,
  timerResolutionMs: 0.005,
  crossOriginIsolated: true,
  ...overrides,
});

describe('planGrid', () => {
  it('expands versions x runtimes x threads (ort-wasm only) with the batch sizes per group', () => {
    const plan = planGrid(['v1', 'v2'], ['plain-ts', 'ort-wasm'], [4, 1], [256, 1, 16]);
    expect(plan).toEqual([
      { versionId: 'v1', runtime: 'ort-wasm', threads: 1, batches: [1, 16, 256] },
      { versionId: 'v1', runtime: 'ort-wasm', threads: 4, batches: [1, 16, 256] },
      { versionId: 'v1', runtime: 'plain-ts', threads: 1, batches: [1, 16, 256] },
      { versionId: 'v2', runtime: 'ort-wasm', threads: 1, batches: [1, 16, 256] },
      { versionId: 'v2', runtime: 'ort-wasm', threads: 4, batches: [1, 16, 256] },
      { versionId: 'v2', runtime: 'plain-ts', threads: 1, batches: [1, 16, 256] },
    ]);
    expect(cellCount(plan)).toBe(18);
  });

  it('is empty when a dimension is empty, and drops duplicates', () => {
    expect(planGrid([], ['ort-wasm'], [1], [1])).toEqual([]);
    expect(planGrid(['v'], [], [1], [1])).toEqual([]);
    expect(planGrid(['v'], ['ort-wasm'], [1], [])).toEqual([]);
    expect(planGrid(['v', 'v'], ['plain-ts', 'plain-ts'], [1], [1, 1])).toHaveLength(1);
    // Runtimes without a thread choice still run (on 1 thread) when only N threads is chosen.
    expect(planGrid(['v'], ['plain-ts'], [8], [1])).toEqual([
      { versionId: 'v', runtime: 'plain-ts', threads: 1, batches: [1] },
    ]);
  });
});

describe('cellLabel', () => {
  it('labels cells no runtime runs natively (CONTRACTS.md)', () => {
    expect(cellLabel('fp32', loaded({ actualRuntime: 'plain-ts', runtime: 'plain-ts' }), 1)).toBe(
      undefined,
    );
    expect(
      cellLabel('int8-dynamic', loaded({ runtime: 'plain-ts', actualRuntime: 'plain-ts' }), 1),
    ).toBe(EMULATED_LABEL);
    expect(cellLabel('fp16', loaded({ runtime: 'tfjs-wasm', actualRuntime: 'tfjs-wasm' }), 1)).toBe(
      `${EMULATED_LABEL}: tfjs runs fp32 models only`,
    );
    expect(cellLabel('int8-weight', loaded(), 1)).toBe(undefined); // ort runs int8 natively
  });

  it('labels software adapters, fallbacks and missing threads', () => {
    const gpu = loaded({
      runtime: 'ort-webgpu',
      actualRuntime: 'ort-webgpu',
      details: { adapter: 'google swiftshader', isFallbackAdapter: 'false' },
    });
    expect(cellLabel('fp32', gpu, 1)).toBe(SOFTWARE_ADAPTER_LABEL);
    const placed = { ...gpu, details: { ...gpu.details, nodePlacement: 'all 5 nodes on WebGPU' } };
    expect(cellLabel('int8-weight', placed, 1)).toBe(
      `${SOFTWARE_ADAPTER_LABEL}; all 5 nodes on WebGPU`,
    );
    // The placement is a WebGPU figure: wasm cells do not repeat "all on CPU".
    const wasm = loaded({ details: { nodePlacement: 'all 5 nodes on CPU' } });
    expect(cellLabel('fp32', wasm, 1)).toBe(undefined);
    expect(cellLabel('fp32', loaded({ runtime: 'ort-webgpu' }), 1)).toBe(
      'fell back from ort-webgpu',
    );
    expect(cellLabel('fp32', loaded({ threads: 1 }), 4)).toBe('1 thread (asked for 4)');
  });
});

describe('toCell', () => {
  it('builds a stored cell: throughput from the mean, accuracy and cold start from the load', () => {
    const timed: BenchTimed = {
      batch: 16,
      timing: 'group-means',
      groupSize: 10,
      summary: { n: 1000, mean: 0.08, p50: 0.075, p95: 0.1, p99: 0.12, max: 0.3, min: 0.07 },
      calls: 10_000,
      elapsedMs: 900,
      overheadMs: 0.0003,
      pilotP50Ms: 0.075,
      timerResolutionMs: 0.005,
    };
    const cell = toCell({ id: 'm@v1', variant: 'fp32', sizeBytes: 1234 }, loaded(), timed, 1);
    expect(cell).toEqual({
      versionId: 'm@v1',
      variant: 'fp32',
      runtime: 'ort-wasm',
      actualRuntime: 'ort-wasm',
      threads: 1,
      batch: 16,
      n: 1000,
      timing: 'group-means',
      groupSize: 10,
      p50: 0.075,
      p95: 0.1,
      p99: 0.12,
      max: 0.3,
      mean: 0.08,
      min: 0.07,
      throughputPerSec: 200_000,
      coldStartMs: 41.5,
      timerResolutionMs: 0.005,
      overheadMs: 0.0003,
      accuracy: 0.975,
      sizeBytes: 1234,
    });
  });
});

describe('formats', () => {
  it('durations in µs below 1 ms, ms above, with units', () => {
    expect(formatMs(0.0171)).toBe('17.1 µs');
    expect(formatMs(0.00412)).toBe('4.12 µs');
    expect(formatMs(0.3124)).toBe('312 µs');
    expect(formatMs(0)).toBe('0 µs');
    expect(formatMs(1.254)).toBe('1.25 ms');
    expect(formatMs(12.54)).toBe('12.5 ms');
    expect(formatMs(1250.4)).toBe('1,250 ms');
    expect(formatMs(NaN)).toBe('–');
  });
  it('rates and accuracies', () => {
    expect(formatRate(55_555.6)).toBe('55,556/s');
    expect(formatAccuracy(0.97501)).toBe('97.5%');
    expect(formatAccuracy(undefined)).toBe('–');
  });
});
