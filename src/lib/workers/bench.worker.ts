/**
 * The benchmark worker (a module worker): measures one model on one runtime, the way the serve
 * worker runs it (same adapters, same fallbacks), with the timing method of bench-timing.ts.
 * Requests run one at a time in arrival order; `cancel` is handled at once and stops the running
 * request at its next yield. The engine starts a fresh worker for each (model, runtime, threads),
 * so a cold start always includes starting the runtime, as a new serving replica would.
 */
import { messageIdOf } from './message-id';
import { argmaxRows } from '../core/forward';
import { summarize } from '../core/latency';
import { decodeMlp } from '../core/mlp-codec';
import type { MlpWeights } from '../core/mlp';
import {
  isBenchWorkerRequest,
  type BenchErrorReason,
  type BenchLoadRequest,
  type BenchReply,
  type BenchTimeRequest,
} from '../protocol/bench';
import { RUNTIME_FALLBACK, type RuntimeId } from '../protocol/serve';
import { errorMessage, type RuntimeAdapter } from './runtimes/adapter';
import { makeAdapter } from './runtimes/make-adapter';
import { OrtRuntime } from './runtimes/ort';
import { executedOps, parseOrtLog, placementText } from './bench-placement';
import {
  timeCalls,
  TimingCancelled,
  timeOverhead,
  timerResolutionMs,
  type TimingHooks,
} from './bench-timing';

/** The part of a dedicated worker's global scope used here (this file also compiles with the DOM lib). */
type WorkerScope = {
  postMessage(message: BenchReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
  crossOriginIsolated?: boolean;
};
const scope = globalThis as unknown as WorkerScope;

class BenchFailure extends Error {
  constructor(
    message: string,
    readonly reason: BenchErrorReason,
  ) {
    super(message);
  }
}

type Loaded = {
  adapter: RuntimeAdapter;
  /** No batch size was timed yet since the cold start (its warm-up is `firstWarmupMs`). */
  fresh: boolean;
  testX: Float32Array;
  features: number;
  rows: number;
};
let current: Loaded | null = null;
/** Measured once, on the first request (about 20 ms of clock readings). */
let tick: number | null = null;
const cancelled = new Set<string>();

const now = () => performance.now();
/** The clock's step; a clock that never moved counts as a 1 ms clock (short calls are grouped). */
function resolution(): number {
  if (tick === null) {
    const t = timerResolutionMs(now);
    tick = Number.isFinite(t) ? t : 1;
  }
  return tick;
}

/**
 * Yields with a timer task, so that the page's `cancel` can be handled. (A MessageChannel is
 * quicker, but a runtime may drain port messages without ever getting to other tasks.) Timers
 * nested this way are clamped to about 4 ms; the loop yields at most every 100 ms, outside any
 * timed region.
 */
function yieldNow(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function hooksFor(id: string): TimingHooks {
  return {
    now,
    yieldNow,
    cancelled: () => cancelled.has(id),
    yieldEveryMs: 100,
    onProgress: (phase, fraction, samples) =>
      scope.postMessage({ type: 'progress', id, phase, fraction, samples }),
  };
}

/** `batch` rows starting at row `start` of `x` (wrapping), as a fresh array. */
function rowsAt(x: Float32Array, features: number, start: number, batch: number): Float32Array {
  const total = x.length / features;
  const out = new Float32Array(batch * features);
  for (let i = 0; i < batch; i++) {
    const r = (start + i) % total;
    out.set(x.subarray(r * features, (r + 1) * features), i * features);
  }
  return out;
}

/** Top-1 accuracy of the adapter on the test rows, in chunks of 64 rows. */
async function accuracyOf(adapter: RuntimeAdapter, request: BenchLoadRequest): Promise<number> {
  const { testX, testY, features, nClasses } = request;
  let correct = 0;
  for (let start = 0; start < testY.length; start += 64) {
    const batch = Math.min(64, testY.length - start);
    const x = testX.slice(start * features, (start + batch) * features);
    const predicted = argmaxRows(await adapter.run(x, batch), batch, nClasses);
    for (let i = 0; i < batch; i++) if (predicted[i] === testY[start + i]) correct++;
  }
  return correct / testY.length;
}

/**
 * What onnxruntime did with the graph, from the verbose log and profile of a second, untimed
 * session: `nodePlacement` ("2 of 7 nodes on CPU: Cast, ArgMax"; CONTRACTS.md asks it of WebGPU
 * cells), `graphNodes` (after optimisation), `graphRewrites` (the fusions that applied) and
 * `graphOps` (the op types one call ran, in order) and `graphNoKernel` (op types the provider
 * said it has no kernel for).
 */
async function graphDetails(ort: OrtRuntime, onnx: Uint8Array): Promise<Record<string, string>> {
  let lines: string[];
  try {
    lines = await ort.graphLog(onnx);
  } catch (error) {
    return { nodePlacement: `node placement not read: ${errorMessage(error)}` };
  }
  const report = parseOrtLog(lines);
  return {
    nodePlacement: placementText(report),
    ...(report
      ? {
          graphNodes: String(report.total),
          graphRewrites: report.rewrites.join(', '),
          graphOps: executedOps(report),
          ...(report.noKernel.length ? { graphNoKernel: report.noKernel.join(', ') } : {}),
        }
      : {}),
  };
}

async function unload(): Promise<void> {
  const loaded = current;
  current = null;
  await loaded?.adapter.dispose().catch(() => undefined);
}

async function load(request: BenchLoadRequest): Promise<void> {
  await unload();
  const timerResolution = resolution();
  let model: MlpWeights;
  try {
    model = decodeMlp(request.weights);
  } catch (error) {
    throw new BenchFailure(`The model weights are unreadable: ${errorMessage(error)}`, 'invalid');
  }
  if (model.inputSize !== request.features)
    throw new BenchFailure(
      `The model takes ${model.inputSize} features; the test rows have ${request.features}.`,
      'invalid',
    );
  const source = { onnx: request.onnx, model };
  const first = request.testX.slice(0, request.features);
  const reasons: string[] = [];
  for (
    let runtime: RuntimeId | null = request.runtime;
    runtime;
    runtime = RUNTIME_FALLBACK[runtime]
  ) {
    if (cancelled.has(request.id)) throw new TimingCancelled();
    const adapter = makeAdapter(runtime);
    try {
      const ort = adapter instanceof OrtRuntime ? adapter : null;
      const t0 = now();
      const info = ort
        ? await ort.load(source, { threads: request.threads, tapLog: true })
        : await adapter.load(source, { threads: request.threads });
      const t1 = now();
      await adapter.run(first, 1);
      const t2 = now();
      const accuracy = await accuracyOf(adapter, request);
      if (ort) Object.assign(info.details, await graphDetails(ort, request.onnx));
      current = {
        adapter,
        fresh: true,
        testX: request.testX,
        features: request.features,
        rows: request.testY.length,
      };
      scope.postMessage({
        type: 'loaded',
        id: request.id,
        runtime: request.runtime,
        actualRuntime: runtime,
        ...(reasons.length > 0 ? { fallbackReason: reasons.join('; ') } : {}),
        threads: info.threads,
        details: info.details,
        loadMs: t1 - t0,
        firstCallMs: t2 - t1,
        coldStartMs: t2 - t0,
        accuracy,
        timerResolutionMs: timerResolution,
        crossOriginIsolated: scope.crossOriginIsolated === true,
      });
      return;
    } catch (error) {
      reasons.push(`${runtime} did not start: ${errorMessage(error)}`);
      await adapter.dispose().catch(() => undefined);
    }
  }
  throw new BenchFailure(reasons.join('; '), 'runtime');
}

async function time(request: BenchTimeRequest): Promise<void> {
  const loaded = current;
  if (!loaded) throw new BenchFailure('No model is loaded: send `load` first.', 'not-loaded');
  const { batch, settings } = request;
  const { adapter, testX, features, rows } = loaded;
  const tickMs = resolution();
  // Inputs prepared ahead, so that only the call is timed.
  const pool = Array.from({ length: 64 }, (_, i) =>
    rowsAt(testX, features, (i * batch) % rows, batch),
  );
  const hooks = hooksFor(request.id);
  const warmup = loaded.fresh ? { ...settings, warmupMs: settings.firstWarmupMs } : settings;
  loaded.fresh = false;
  let result;
  try {
    result = await timeCalls((i) => adapter.run(pool[i % 64], batch), warmup, tickMs, hooks);
  } catch (error) {
    if (error instanceof TimingCancelled) throw error;
    throw new BenchFailure(errorMessage(error), 'runtime');
  }
  const overheadMs = await timeOverhead(result, hooks);
  scope.postMessage({
    type: 'timed',
    id: request.id,
    batch,
    timing: result.timing,
    groupSize: result.groupSize,
    summary: summarize(result.samplesMs),
    calls: result.calls,
    elapsedMs: result.elapsedMs,
    overheadMs,
    pilotP50Ms: result.pilotP50Ms,
    timerResolutionMs: tickMs,
  });
}

/** Requests run one at a time, in arrival order. */
let queue: Promise<void> = Promise.resolve();

function handle(id: string, work: () => Promise<void>): void {
  queue = queue
    .then(work)
    .catch((error: unknown) => {
      const reason: BenchErrorReason =
        error instanceof TimingCancelled
          ? 'cancelled'
          : error instanceof BenchFailure
            ? error.reason
            : 'runtime';
      scope.postMessage({ type: 'error', id, message: errorMessage(error), reason });
    })
    .finally(() => cancelled.delete(id));
}

scope.addEventListener('message', (event) => {
  const data = event.data;
  if (!isBenchWorkerRequest(data)) {
    const id = messageIdOf(data);
    scope.postMessage({
      type: 'error',
      id,
      message: 'The benchmark worker got a message it does not understand.',
      reason: 'invalid',
    });
    return;
  }
  switch (data.type) {
    case 'load':
      handle(data.id, () => load(data));
      break;
    case 'time':
      handle(data.id, () => time(data));
      break;
    case 'cancel':
      cancelled.add(data.id);
      break;
    default: {
      const unhandled: never = data;
      throw new Error(`Unhandled request ${JSON.stringify(unhandled)}`);
    }
  }
});
