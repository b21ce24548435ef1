/**
 * Messages between the page (engine/serve-client.ts) and the serving worker
 * (workers/serve.worker.ts). Requests: `load`, `infer`, `unload`, `fault`. Each gets exactly one
 * reply with the same `id`: `loaded`, `result`, `unloaded` or `fault-set` respectively, or
 * `error`; except a `crash` fault, which gets none: the worker dies and the page sees it die.
 */

/** The inference runtimes a model can be served with. `plain-ts` is the reference forward pass. */
export type RuntimeId =
  'ort-wasm' | 'ort-webgpu' | 'tfjs-wasm' | 'tfjs-webgl' | 'tfjs-webgpu' | 'plain-ts';

export const RUNTIME_IDS: readonly RuntimeId[] = Object.freeze([
  'ort-wasm',
  'ort-webgpu',
  'tfjs-wasm',
  'tfjs-webgl',
  'tfjs-webgpu',
  'plain-ts',
]);

/** Where each runtime falls back to when it cannot start (`null`: nowhere, the load fails). */
export const RUNTIME_FALLBACK: Readonly<Record<RuntimeId, RuntimeId | null>> = Object.freeze({
  'ort-webgpu': 'ort-wasm',
  'ort-wasm': 'plain-ts',
  'tfjs-wasm': 'plain-ts',
  'tfjs-webgl': 'plain-ts',
  'tfjs-webgpu': 'plain-ts',
  'plain-ts': null,
});

export function isRuntimeId(value: unknown): value is RuntimeId {
  return typeof value === 'string' && (RUNTIME_IDS as readonly string[]).includes(value);
}

/**
 * Starts a runtime with a model, replacing any model loaded before. The worker falls back when the
 * runtime cannot start: `ort-webgpu` -> `ort-wasm` -> `plain-ts`; `tfjs-*` -> `plain-ts`.
 */
export type LoadRequest = {
  type: 'load';
  id: string;
  runtime: RuntimeId;
  /** The ONNX model (used by the `ort-*` runtimes). */
  onnx: Uint8Array;
  /** The same model as `encodeMlp` bytes (used by `plain-ts` and `tfjs-*`). */
  weights: ArrayBuffer;
  /**
   * Wanted wasm threads for `ort-wasm` (default 1). More than 1 needs a cross-origin isolated
   * context; otherwise the worker uses 1 and says so in `details.threads`.
   */
  threads?: number;
};

/** Runs the loaded model on `batch` rows. */
export type InferRequest = {
  type: 'infer';
  id: string;
  /** Row-major `[batch, features]`. */
  x: Float32Array;
  batch: number;
};

/** Releases the loaded model (sessions, tensors, GPU buffers). */
export type UnloadRequest = { type: 'unload'; id: string };

/** How a `corrupt` fault spoils outputs: NaN in every row, or rows that no longer sum to 1. */
export type CorruptMode = 'nan' | 'unnormalized';

/** The longest latency a fault may add, milliseconds (a minute: longer is an outage, use crash). */
export const MAX_FAULT_LATENCY_MS = 60_000;

/**
 * A fault a learner injects on purpose (the fault injector). `crash`: the worker throws out of
 * its message handler at once (no reply; requests in flight are lost with it). `latency`: every
 * later `infer` takes `ms` longer, inside the measured `computeMs`. `corrupt`: every later
 * `infer` returns garbage. `clear`: back to normal. `latency` and `corrupt` add up; each
 * replaces an earlier fault of its own kind.
 */
export type ServeFault =
  | { kind: 'crash' }
  | { kind: 'latency'; ms: number }
  | { kind: 'corrupt'; mode: CorruptMode }
  | { kind: 'clear' };

/** Injects a fault; handled at once, ahead of queued `infer`s. */
export type FaultRequest = { type: 'fault'; id: string; fault: ServeFault };

/** Every message the page sends to the serving worker. */
export type ServeWorkerRequest = LoadRequest | InferRequest | UnloadRequest | FaultRequest;

/** What a `load` reports. */
export type LoadInfo = {
  /** The runtime asked for. */
  runtime: RuntimeId;
  /** The runtime that actually serves (differs after a fallback). */
  actualRuntime: RuntimeId;
  /** Why `actualRuntime` differs from `runtime` (one sentence per runtime that failed). */
  fallbackReason?: string;
  /** wasm threads in use (1 for runtimes without threads). */
  threads: number;
  /** Time to start the runtime and create its session in the worker, milliseconds. */
  loadMs: number;
  /**
   * Runtime facts for display, e.g. `executionProvider`, `backend`, `adapter`,
   * `isFallbackAdapter`, `threads` (why fewer threads than asked), `build`.
   */
  details: Record<string, string>;
};

/** What an `infer` returns. */
export type InferResult = {
  /** Row-major `[batch, nClasses]` probabilities. */
  probabilities: Float32Array;
  /** Time inside the runtime call only (no messaging, no copying in), milliseconds. */
  computeMs: number;
};

/**
 * Why a request failed. `invalid`: a malformed message or input; `not-loaded`: `infer` before a
 * successful `load`; `runtime`: the runtime threw (including every fallback failing to load).
 */
export type ServeErrorReason = 'invalid' | 'not-loaded' | 'runtime';

export type LoadedReply = { type: 'loaded'; id: string } & LoadInfo;
export type ResultReply = { type: 'result'; id: string } & InferResult;
export type UnloadedReply = { type: 'unloaded'; id: string };
/** The faults now active in the worker (after a `fault` request). */
export type FaultSetReply = {
  type: 'fault-set';
  id: string;
  /** Added to every infer, milliseconds (0: none). */
  latencyMs: number;
  corrupt: CorruptMode | null;
};
export type ServeErrorReply = {
  type: 'error';
  id: string;
  message: string;
  reason: ServeErrorReason;
};
/** Every message the serving worker sends to the page. */
export type ServeReply =
  LoadedReply | ResultReply | UnloadedReply | FaultSetReply | ServeErrorReply;

function isRecord(data: unknown): data is Record<string, unknown> {
  return typeof data === 'object' && data !== null;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Shape check of a `load` request. */
export function isLoadRequest(data: unknown): data is LoadRequest {
  return (
    isRecord(data) &&
    data.type === 'load' &&
    typeof data.id === 'string' &&
    isRuntimeId(data.runtime) &&
    data.onnx instanceof Uint8Array &&
    data.weights instanceof ArrayBuffer &&
    (data.threads === undefined || (isCount(data.threads) && data.threads >= 1))
  );
}

/** Shape check of an `infer` request (the row width is checked against the model by the worker). */
export function isInferRequest(data: unknown): data is InferRequest {
  return (
    isRecord(data) &&
    data.type === 'infer' &&
    typeof data.id === 'string' &&
    data.x instanceof Float32Array &&
    isCount(data.batch)
  );
}

/** Shape check of a fault: a known kind, a latency in [0, MAX_FAULT_LATENCY_MS] ms, a known mode. */
export function isServeFault(data: unknown): data is ServeFault {
  if (!isRecord(data)) return false;
  switch (data.kind) {
    case 'crash':
    case 'clear':
      return true;
    case 'latency':
      return typeof data.ms === 'number' && data.ms >= 0 && data.ms <= MAX_FAULT_LATENCY_MS;
    case 'corrupt':
      return data.mode === 'nan' || data.mode === 'unnormalized';
    default:
      return false;
  }
}

/** Narrows anything the worker receives to a request it handles. */
export function isServeWorkerRequest(data: unknown): data is ServeWorkerRequest {
  if (isRecord(data) && data.type === 'unload') return typeof data.id === 'string';
  if (isRecord(data) && data.type === 'fault')
    return typeof data.id === 'string' && isServeFault(data.fault);
  return isLoadRequest(data) || isInferRequest(data);
}

/** Narrows anything the page receives from the worker to a reply (checks `type` and `id`). */
export function isServeReply(data: unknown): data is ServeReply {
  if (!isRecord(data) || typeof data.id !== 'string') return false;
  switch (data.type) {
    case 'loaded':
      return isRuntimeId(data.runtime) && isRuntimeId(data.actualRuntime);
    case 'result':
      return data.probabilities instanceof Float32Array && typeof data.computeMs === 'number';
    case 'unloaded':
      return true;
    case 'fault-set':
      return (
        typeof data.latencyMs === 'number' &&
        (data.corrupt === null || data.corrupt === 'nan' || data.corrupt === 'unnormalized')
      );
    case 'error':
      return typeof data.message === 'string';
    default:
      return false;
  }
}
