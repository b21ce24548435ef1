/**
 * The shapes of the benchmark lab's records (schema v4): one record per benchmark run, with the
 * environment it ran in and one cell per (version, runtime, threads, batch size). Like
 * records.ts, these describe the CURRENT schema; migrations never import them. All times are
 * milliseconds.
 */

/** The WebGPU adapter the page saw, or why there was none. */
export interface BenchmarkWebGpu {
  /** `navigator.gpu` exists. */
  api: boolean;
  /** `requestAdapter()` gave an adapter. */
  adapter: boolean;
  vendor?: string;
  architecture?: string;
  description?: string;
  /** A software (CPU) implementation, e.g. SwiftShader; unknown when the browser does not say. */
  isFallbackAdapter?: boolean;
  /** Why there is no adapter (no API, null adapter, an error). */
  reason?: string;
}

/** Facts about the browser a benchmark ran in, kept with its numbers. */
export interface BenchmarkEnvironment {
  userAgent: string;
  /** E.g. "Chromium 139" or "Firefox 128"; "unknown browser" when the user agent says nothing. */
  browser: string;
  /** Logical cores (`navigator.hardwareConcurrency`); 0 when unknown. */
  cores: number;
  crossOriginIsolated: boolean;
  /** The smallest step of `performance.now()` seen on the page, ms. */
  timerResolutionMs: number;
  /** WebAssembly SIMD (a tiny SIMD module validates). */
  wasmSimd: boolean;
  /** WebAssembly threads: shared memory can be created and SharedArrayBuffer is usable. */
  wasmThreads: boolean;
  webgpu: BenchmarkWebGpu;
  /** Sentences on what these facts mean for the numbers. */
  notes: string[];
}

/** How a cell's samples were taken. */
export type BenchmarkTiming = 'per-call' | 'group-means';

/** One measured cell of the grid: a version on a runtime, with a thread count and a batch size. */
export interface BenchmarkCell {
  /** Registry version id, e.g. 'digits-classifier@v2'. */
  versionId: string;
  /** The version's variant ('fp32', 'fp16', 'int8-weight', ...). */
  variant: string;
  /** The runtime asked for (a `RuntimeId` such as 'ort-wasm'). */
  runtime: string;
  /** The runtime that ran (differs after a fallback). */
  actualRuntime: string;
  /** wasm threads in use (1 for runtimes without threads). */
  threads: number;
  /** Rows per call. */
  batch: number;
  /** Samples behind the percentiles: calls ('per-call') or groups ('group-means'). */
  n: number;
  /**
   * 'per-call': each call timed on its own; 'group-means': calls shorter than 20 timer ticks
   * were timed `groupSize` at a time and the percentiles are percentiles of group means.
   */
  timing: BenchmarkTiming;
  /** Calls per sample (1 for 'per-call'). */
  groupSize: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  min: number;
  /** Rows per second at this batch size: `batch * 1000 / mean`. */
  throughputPerSec: number;
  /** Starting the runtime in a fresh worker, creating its session, and the first call, ms. */
  coldStartMs: number;
  /** The step of `performance.now()` in the worker that timed this cell, ms. */
  timerResolutionMs: number;
  /** The p50 of an empty call timed the same way (the harness's own overhead), ms. */
  overheadMs: number;
  /** Cells no runtime runs natively, software adapters, fallbacks, e.g. 'emulated (dequantized)'. */
  label?: string;
  /** Top-1 accuracy of this runtime on the version's test split, in [0, 1]. */
  accuracy?: number;
  /** The version's .onnx size in bytes. */
  sizeBytes: number;
}

/** A cell that could not be measured, and why. */
export interface BenchmarkFailure {
  versionId: string;
  runtime: string;
  threads: number;
  message: string;
}

/** A service-level objective: p99 latency at one batch size, and a floor on accuracy. */
export interface BenchmarkSlo {
  /** Largest acceptable p99, ms. */
  p99Ms: number;
  /** The batch size the latency objective applies to. */
  batch: number;
  /** Smallest acceptable accuracy, in [0, 1]. */
  minAccuracy: number;
}

/** One benchmark run: its environment, its cells, and the SLO in force when it was saved. */
export interface BenchmarkRecord {
  /** Key, e.g. 'bench-1714550400000-3f9a'. */
  id: string;
  /** When the run finished, ms since epoch. Indexed (`byCreatedAt`). */
  createdAt: number;
  environment: BenchmarkEnvironment;
  cells: BenchmarkCell[];
  failures?: BenchmarkFailure[];
  slo?: BenchmarkSlo;
}
