/**
 * The shape every serving runtime adapter has (runtimes/plain.ts, ort.ts, tfjs.ts). The serving
 * worker decodes the model once and hands each adapter what it needs; adapters throw when they
 * cannot start, and the worker then falls back to the next runtime.
 */
import type { MlpWeights } from '../../core/mlp';

/** One model in the two forms the runtimes read. */
export type ModelSource = {
  /** The ONNX bytes (read by onnxruntime-web). */
  onnx: Uint8Array;
  /** The decoded weights (read by the plain forward pass and tfjs). */
  model: MlpWeights;
};

export type AdapterOptions = {
  /** Wanted wasm threads (>= 1); adapters without threads ignore it. */
  threads: number;
};

/** What an adapter reports once started. */
export type AdapterInfo = {
  /** Threads in use. */
  threads: number;
  /** Facts for display (execution provider, backend, adapter...). */
  details: Record<string, string>;
};

export interface RuntimeAdapter {
  /** Starts the runtime and prepares the model; throws (with a reason to show) when it cannot. */
  load(source: ModelSource, options: AdapterOptions): Promise<AdapterInfo>;
  /**
   * Runs `batch` rows (row-major `[batch, features]`, batch >= 1) and returns row-major
   * `[batch, nClasses]` probabilities in an array the caller owns.
   */
  run(x: Float32Array, batch: number): Promise<Float32Array>;
  /** Releases sessions, tensors and GPU memory; safe to call twice or after a failed load. */
  dispose(): Promise<void>;
}

/** The message of anything thrown, for a fallback reason. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `a` itself when it is a whole, unshared ArrayBuffer view (so it can be transferred), else a copy. */
export function ownedCopy(a: Float32Array): Float32Array<ArrayBuffer> {
  const whole = a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
  return whole && a.buffer instanceof ArrayBuffer ? (a as Float32Array<ArrayBuffer>) : a.slice();
}
