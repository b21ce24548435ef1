import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BENCH_SETTINGS,
  isBenchReply,
  isBenchSettings,
  isBenchWorkerRequest,
  type BenchLoadRequest,
} from './bench';

function load(overrides: Partial<BenchLoadRequest> = {}): BenchLoadRequest {
  return {
    type: 'load',
    id: 'bench-1',
    runtime: 'ort-wasm',
    threads: 1,
    onnx: new Uint8Array(4),
    weights: new ArrayBuffer(8),
    testX: new Float32Array(6),
    testY: new Int32Array(3),
    features: 2,
    nClasses: 3,
    ...overrides,
  };
}

describe('benchmark protocol guards', () => {
  it('accepts well-formed requests', () => {
    expect(isBenchWorkerRequest(load())).toBe(true);
    expect(
      isBenchWorkerRequest({ type: 'time', id: 'b', batch: 16, settings: DEFAULT_BENCH_SETTINGS }),
    ).toBe(true);
    expect(isBenchWorkerRequest({ type: 'cancel', id: 'b' })).toBe(true);
  });

  it('refuses malformed requests', () => {
    expect(isBenchWorkerRequest(load({ runtime: 'gpu' as never }))).toBe(false);
    expect(isBenchWorkerRequest(load({ threads: 0 }))).toBe(false);
    expect(isBenchWorkerRequest(load({ testX: new Float32Array(5) }))).toBe(false);
    expect(
      isBenchWorkerRequest(load({ testY: new Int32Array(0), testX: new Float32Array(0) })),
    ).toBe(false);
    expect(isBenchWorkerRequest({ type: 'time', id: 'b', batch: 0, settings: {} })).toBe(false);
    expect(isBenchWorkerRequest({ type: 'cancel' })).toBe(false);
    expect(isBenchWorkerRequest(null)).toBe(false);
  });

  it('checks settings field by field', () => {
    expect(isBenchSettings(DEFAULT_BENCH_SETTINGS)).toBe(true);
    expect(isBenchSettings({ ...DEFAULT_BENCH_SETTINGS, targetSamples: 1.5 })).toBe(false);
    expect(isBenchSettings({ ...DEFAULT_BENCH_SETTINGS, capMs: -1 })).toBe(false);
  });

  it('shipped defaults: >= 1,000 samples or >= 2 s, 20 ticks, a 10 s cap', () => {
    expect(DEFAULT_BENCH_SETTINGS).toMatchObject({
      targetSamples: 1000,
      targetMs: 2000,
      groupTicks: 20,
      capMs: 10_000,
    });
  });

  it('narrows replies by type', () => {
    expect(isBenchReply({ type: 'progress', id: 'b', phase: 'timing', fraction: 0.5 })).toBe(true);
    expect(isBenchReply({ type: 'error', id: 'b', message: 'x', reason: 'cancelled' })).toBe(true);
    expect(isBenchReply({ type: 'timed', id: 'b', batch: 1, summary: {}, overheadMs: 0 })).toBe(
      true,
    );
    expect(isBenchReply({ type: 'loaded', id: 'b', runtime: 'x' })).toBe(false);
    expect(isBenchReply({ type: 'nope', id: 'b' })).toBe(false);
  });
});
