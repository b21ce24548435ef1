/**
 * What the inference endpoint is given and what it answers: the served model and its settings,
 * the load info `start` reports, and the result of each request (a prediction or a failure).
 */
import type { BatchPolicy } from '../core/batching';
import type { InputSchema } from '../core/input-schema';
import type { LoadInfo, RuntimeId } from '../protocol/serve';
import type { ServeWorkerLike } from './serve-client';

export type EndpointConfig = {
  runtime: RuntimeId;
  /** The model as ONNX bytes (copied: the caller keeps its array). */
  onnx: Uint8Array;
  /** The same model as `encodeMlp` bytes (copied). */
  weights: ArrayBuffer;
  schema: InputSchema;
  /** The registry version served, echoed in every answer. */
  versionId: string;
  /** wasm threads for `ort-wasm` (default 1; more only when cross-origin isolated). */
  threads?: number;
};

/** What `start` reports: the worker's load info plus the end-to-end start time. */
export type EndpointInfo = LoadInfo & {
  versionId: string;
  /** From `start` to ready: worker start, runtime download and session creation, milliseconds. */
  startMs: number;
};

export type Prediction = {
  ok: true;
  /** Per class, in class order. */
  probabilities: number[];
  predictedClass: number;
  className: string;
  versionId: string;
  /** End to end: queue wait + worker round trip, milliseconds. */
  latencyMs: number;
  /** Time spent queued before its batch was sent, milliseconds. */
  queueMs: number;
  /** Time inside the runtime call for the whole batch, milliseconds. */
  computeMs: number;
  /** Size of the batch this request ran in. */
  batchSize: number;
  /** Feature indices outside the training range (flagged, still answered). */
  outliers: number[];
};

/**
 * A request that got no prediction. `invalid`: refused by the schema (never sent); `error`: the
 * runtime or worker failed; `aborted`: the caller's signal fired or the endpoint stopped.
 */
export type PredictFailure = { ok: false; kind: 'invalid' | 'error' | 'aborted'; reason: string };

export type PredictResult = Prediction | PredictFailure;

export type EndpointOptions = {
  createWorker?: () => ServeWorkerLike;
  /** Monotonic clock in milliseconds (default `performance.now`). */
  now?: () => number;
  /** Initial batching policy (default max batch 32, max wait 2 ms). */
  policy?: BatchPolicy;
  /** Shut the worker down after this long without requests, ms (default 300,000; 0 = never). */
  idleTimeoutMs?: number;
  /** Latency samples kept (default 2,000). */
  latencySamples?: number;
};
