/**
 * Messages between the page (engine/bench-runner.ts) and the benchmark worker
 * (workers/bench.worker.ts). One worker measures one model on one runtime with one thread count:
 * - `load` starts the runtime (falling back like the serve worker), times the cold start (runtime
 *   start + session creation + first call) and the accuracy on the test rows: reply `loaded`;
 * - `time` measures one batch size: replies `progress` (a few times a second), then `timed`;
 * - `cancel` stops the running `time` (or `load`) request named by `id`: it replies `error` with
 *   reason `cancelled`. `cancel` itself gets no reply.
 * Every request but `cancel` gets exactly one final reply with its `id`: `loaded`, `timed` or
 * `error`. Times are milliseconds.
 */
import type { LatencySummary } from '../core/latency';
import { isRuntimeId, type RuntimeId } from './serve';

/** How long and how much the harness measures per cell. */
export type BenchSettings = {
  /** Stop once this many samples are taken... */
  targetSamples: number;
  /** ...or once this long has passed, whichever comes first (ms). */
  targetMs: number;
  /** But keep going (up to `capMs`) until at least this many samples exist (slow runtimes). */
  minSamples: number;
  /** Never time one cell for longer than this (ms): the cap for slow and software runtimes. */
  capMs: number;
  /**
   * Untimed calls first, for at least this long (ms): long enough for the JIT and WebAssembly's
   * tier-up (optimised code replaces the baseline compile in the background) to settle...
   */
  warmupMs: number;
  /** ...and at least this many calls. */
  warmupMinCalls: number;
  /**
   * The warm-up of the first batch size after a cold start (ms): a fresh WebAssembly runtime
   * keeps compiling optimised code in the background for a while, which slows the first calls.
   */
  firstWarmupMs: number;
  /** A call whose p50 is below this many timer ticks is timed in groups of calls. */
  groupTicks: number;
};

/** The shipped settings: >= 1,000 samples or >= 2 s per cell, at least 100 samples within 10 s. */
export const DEFAULT_BENCH_SETTINGS: Readonly<BenchSettings> = Object.freeze({
  targetSamples: 1000,
  targetMs: 2000,
  minSamples: 100,
  capMs: 10_000,
  warmupMs: 500,
  warmupMinCalls: 3,
  firstWarmupMs: 1500,
  groupTicks: 20,
});

export type BenchLoadRequest = {
  type: 'load';
  id: string;
  runtime: RuntimeId;
  /** Wanted wasm threads (>= 1); used by `ort-wasm` only. */
  threads: number;
  /** The ONNX model (the `ort-*` runtimes). */
  onnx: Uint8Array;
  /** The same model as `encodeMlp` bytes (`plain-ts`, `tfjs-*`). */
  weights: ArrayBuffer;
  /** Row-major `[rows, features]` test rows: the timed inputs, and the accuracy check. */
  testX: Float32Array;
  /** Labels of the test rows, in `[0, nClasses)`. */
  testY: Int32Array;
  features: number;
  nClasses: number;
};

export type BenchTimeRequest = {
  type: 'time';
  id: string;
  /** Rows per call (>= 1); batches cycle through the test rows. */
  batch: number;
  settings: BenchSettings;
};

export type BenchCancelRequest = { type: 'cancel'; id: string };

/** Every message the page sends to the benchmark worker. */
export type BenchWorkerRequest = BenchLoadRequest | BenchTimeRequest | BenchCancelRequest;

/** What `load` reports. */
export type BenchLoaded = {
  runtime: RuntimeId;
  /** The runtime that runs (differs after a fallback). */
  actualRuntime: RuntimeId;
  fallbackReason?: string;
  threads: number;
  /** Runtime facts (execution provider, backend, WebGPU adapter, thread note...). */
  details: Record<string, string>;
  /** Runtime start + session creation (`adapter.load`). */
  loadMs: number;
  /** The first call, batch 1. */
  firstCallMs: number;
  /** `loadMs + firstCallMs`: a fresh worker's cold start. */
  coldStartMs: number;
  /** Top-1 accuracy on the test rows, in [0, 1]. */
  accuracy: number;
  /** The step of `performance.now()` in the worker. */
  timerResolutionMs: number;
  crossOriginIsolated: boolean;
};

/** What `time` reports for one batch size. */
export type BenchTimed = {
  batch: number;
  timing: 'per-call' | 'group-means';
  /** Calls per sample (1 when per call). */
  groupSize: number;
  /** Percentiles of the samples: per call, or of group means. */
  summary: LatencySummary;
  /** Calls timed (samples x group size). */
  calls: number;
  /** Wall time of the timed phase. */
  elapsedMs: number;
  /**
   * The harness's own cost per call: an empty call timed the same way (same loop, same group
   * size), the loop's wall time divided by its calls.
   */
  overheadMs: number;
  /** The p50 of single calls in the pilot phase (what decided the method). */
  pilotP50Ms: number;
  timerResolutionMs: number;
};

/** Where a `time` request stands. */
export type BenchPhase = 'warmup' | 'pilot' | 'timing' | 'overhead';

export type BenchErrorReason = 'invalid' | 'not-loaded' | 'runtime' | 'cancelled';

export type BenchLoadedReply = { type: 'loaded'; id: string } & BenchLoaded;
export type BenchTimedReply = { type: 'timed'; id: string } & BenchTimed;
export type BenchProgressReply = {
  type: 'progress';
  id: string;
  phase: BenchPhase;
  /** Of the timed phase, in [0, 1]. */
  fraction: number;
  samples: number;
};
export type BenchErrorReply = {
  type: 'error';
  id: string;
  message: string;
  reason: BenchErrorReason;
};
/** Every message the benchmark worker sends to the page. */
export type BenchReply = BenchLoadedReply | BenchTimedReply | BenchProgressReply | BenchErrorReply;

function isRecord(data: unknown): data is Record<string, unknown> {
  return typeof data === 'object' && data !== null;
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function isNonNegative(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Shape check of settings: every field a finite number >= 0, counts whole. */
export function isBenchSettings(data: unknown): data is BenchSettings {
  if (!isRecord(data)) return false;
  const counts = ['targetSamples', 'minSamples', 'warmupMinCalls'] as const;
  const times = ['targetMs', 'capMs', 'warmupMs', 'firstWarmupMs', 'groupTicks'] as const;
  return (
    counts.every((k) => isNonNegative(data[k]) && Number.isInteger(data[k])) &&
    times.every((k) => isNonNegative(data[k]))
  );
}

/** Shape check of a `load` request (the test rows must fit `features`). */
export function isBenchLoadRequest(data: unknown): data is BenchLoadRequest {
  return (
    isRecord(data) &&
    data.type === 'load' &&
    typeof data.id === 'string' &&
    isRuntimeId(data.runtime) &&
    isPositiveInt(data.threads) &&
    data.onnx instanceof Uint8Array &&
    data.weights instanceof ArrayBuffer &&
    data.testX instanceof Float32Array &&
    data.testY instanceof Int32Array &&
    isPositiveInt(data.features) &&
    isPositiveInt(data.nClasses) &&
    data.testY.length >= 1 &&
    data.testX.length === data.testY.length * data.features
  );
}

/** Shape check of a `time` request. */
export function isBenchTimeRequest(data: unknown): data is BenchTimeRequest {
  return (
    isRecord(data) &&
    data.type === 'time' &&
    typeof data.id === 'string' &&
    isPositiveInt(data.batch) &&
    isBenchSettings(data.settings)
  );
}

/** Narrows anything the worker receives to a request it handles. */
export function isBenchWorkerRequest(data: unknown): data is BenchWorkerRequest {
  if (isRecord(data) && data.type === 'cancel') return typeof data.id === 'string';
  return isBenchLoadRequest(data) || isBenchTimeRequest(data);
}

/** Narrows anything the page receives from the worker to a reply (checks `type` and `id`). */
export function isBenchReply(data: unknown): data is BenchReply {
  if (!isRecord(data) || typeof data.id !== 'string') return false;
  switch (data.type) {
    case 'loaded':
      return (
        isRuntimeId(data.runtime) &&
        isRuntimeId(data.actualRuntime) &&
        isNonNegative(data.coldStartMs) &&
        typeof data.accuracy === 'number'
      );
    case 'timed':
      return isPositiveInt(data.batch) && isRecord(data.summary) && isNonNegative(data.overheadMs);
    case 'progress':
      return typeof data.fraction === 'number' && typeof data.phase === 'string';
    case 'error':
      return typeof data.message === 'string' && typeof data.reason === 'string';
    default:
      return false;
  }
}
