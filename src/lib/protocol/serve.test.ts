import { describe, expect, it } from 'vitest';
import {
  isInferRequest,
  isLoadRequest,
  isRuntimeId,
  isServeReply,
  isServeWorkerRequest,
  RUNTIME_FALLBACK,
  RUNTIME_IDS,
} from './serve';

const load = {
  type: 'load',
  id: 'a',
  runtime: 'ort-wasm',
  onnx: new Uint8Array(2),
  weights: new ArrayBuffer(4),
};

describe('serve protocol guards', () => {
  it('knows the runtimes, and every fallback chain ends at plain-ts', () => {
    expect(RUNTIME_IDS.every(isRuntimeId)).toBe(true);
    expect(isRuntimeId('ort-webgl')).toBe(false);
    for (const id of RUNTIME_IDS) {
      let at = id;
      for (let steps = 0; RUNTIME_FALLBACK[at] !== null && steps < 5; steps++)
        at = RUNTIME_FALLBACK[at]!;
      expect(at).toBe('plain-ts');
    }
  });

  it('accepts well-formed requests and refuses the rest', () => {
    expect(isLoadRequest(load)).toBe(true);
    expect(isLoadRequest({ ...load, threads: 4 })).toBe(true);
    expect(isLoadRequest({ ...load, threads: 0 })).toBe(false);
    expect(isLoadRequest({ ...load, runtime: 'cuda' })).toBe(false);
    expect(isLoadRequest({ ...load, onnx: [1, 2] })).toBe(false);
    expect(isLoadRequest({ ...load, weights: new Uint8Array(4) })).toBe(false);
    const infer = { type: 'infer', id: 'b', x: new Float32Array(4), batch: 1 };
    expect(isInferRequest(infer)).toBe(true);
    expect(isInferRequest({ ...infer, x: [1, 2, 3, 4] })).toBe(false);
    expect(isInferRequest({ ...infer, batch: -1 })).toBe(false);
    expect(isServeWorkerRequest({ type: 'unload', id: 'c' })).toBe(true);
    expect(isServeWorkerRequest({ type: 'unload' })).toBe(false);
    expect(isServeWorkerRequest({ type: 'benchmark', id: 'd' })).toBe(false);
    expect(isServeWorkerRequest(null)).toBe(false);
  });

  it('narrows replies by type', () => {
    const loaded = {
      type: 'loaded',
      id: 'a',
      runtime: 'ort-webgpu',
      actualRuntime: 'ort-wasm',
      fallbackReason: 'no adapter',
      threads: 1,
      loadMs: 3,
      details: {},
    };
    expect(isServeReply(loaded)).toBe(true);
    expect(isServeReply({ ...loaded, actualRuntime: 'gpu' })).toBe(false);
    expect(
      isServeReply({ type: 'result', id: 'b', probabilities: new Float32Array(3), computeMs: 0.1 }),
    ).toBe(true);
    expect(isServeReply({ type: 'result', id: 'b', probabilities: [0.5], computeMs: 0.1 })).toBe(
      false,
    );
    expect(isServeReply({ type: 'error', id: 'c', message: 'x', reason: 'runtime' })).toBe(true);
    expect(isServeReply({ type: 'unloaded', id: 'd' })).toBe(true);
    expect(isServeReply({ type: 'progress', id: 'e' })).toBe(false);
    expect(isServeReply({ type: 'unloaded' })).toBe(false);
  });
});
