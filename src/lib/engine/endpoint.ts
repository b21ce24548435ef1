/**
 * The inference endpoint: one model version served from a worker. Every request is validated
 * against the input schema first (a refused request never reaches the worker), then queued and
 * sent in dynamic batches (max batch, max wait: see core/batching.ts), one batch in flight at a
 * time (one model instance). A crashed worker fails the requests in flight with a reason and is
 * restarted on the next request; an idle worker is shut down and restarted the same way.
 */
import { BatchQueue, type BatchPolicy } from '../core/batching';
import { argmaxRows } from '../core/forward';
import { schemaProblem, validateRequest, type InputSchema } from '../core/input-schema';
import { LatencyRing } from '../core/latency-ring';
import { decodeMlp } from '../core/mlp-codec';
import type { LoadInfo, RuntimeId } from '../protocol/serve';
import { createServeWorker, ServeClient, ServeError, type ServeWorkerLike } from './serve-client';

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

export type EndpointStats = {
  served: number;
  /** Refused by validation. */
  rejected: number;
  /** Failed in the runtime or worker. */
  errors: number;
  aborted: number;
  /** Worker restarts after a crash or an idle shutdown. */
  restarts: number;
  queueDepth: number;
  /** Requests in the batch now running. */
  inFlight: number;
  /** Number of batches sent, by batch size. */
  batchSizes: Record<number, number>;
  /** End-to-end latencies of the last served requests (up to 2,000), oldest first, ms. */
  latencyMs: number[];
};

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

export const DEFAULT_POLICY: Readonly<BatchPolicy> = Object.freeze({ maxBatch: 32, maxWaitMs: 2 });

type Pending = {
  x: Float32Array;
  outliers: number[];
  arrivedAt: number;
  settled: boolean;
  settle: (result: PredictResult) => void;
};

type Serving = EndpointConfig & { features: number; nClasses: number };

export class Endpoint {
  #client: ServeClient | null = null;
  #booting: Promise<EndpointInfo> | null = null;
  #config: Serving | null = null;
  #info: EndpointInfo | null = null;
  /** Bumped by start/stop so that callbacks of an older worker do nothing. */
  #generation = 0;
  #queue: BatchQueue<Pending>;
  #inFlight: Pending[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #counts = { served: 0, rejected: 0, errors: 0, aborted: 0, restarts: 0 };
  #batchSizes: Record<number, number> = {};
  #latency: LatencyRing;
  readonly #createWorker: () => ServeWorkerLike;
  readonly #now: () => number;
  readonly #idleTimeoutMs: number;

  constructor(options: EndpointOptions = {}) {
    this.#createWorker = options.createWorker ?? createServeWorker;
    this.#now = options.now ?? (() => performance.now());
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 300_000;
    this.#queue = new BatchQueue<Pending>(options.policy ?? DEFAULT_POLICY);
    this.#latency = new LatencyRing(options.latencySamples ?? 2000);
  }

  /**
   * Starts serving a model (stopping whatever was served before, and clearing the stats).
   *
   * @returns what runs it (with the fallback reason when the runtime asked for did not start).
   * @param signal aborting it stops the endpoint (the start then rejects).
   * @throws when the schema and model disagree, or no runtime (not even the fallbacks) starts.
   */
  async start(config: EndpointConfig, signal?: AbortSignal): Promise<EndpointInfo> {
    this.stop();
    if (signal?.aborted) throw abortError('The start was aborted.');
    const problem = schemaProblem(config.schema);
    if (problem) throw new Error(`The input schema is inconsistent: ${problem}`);
    const model = decodeMlp(config.weights);
    const features = model.inputSize;
    const nClasses = model.layers[model.layers.length - 1].bias.length;
    if (features !== config.schema.features || nClasses !== config.schema.nClasses) {
      throw new Error(
        `The model takes ${features} features and gives ${nClasses} classes; the schema says ${config.schema.features} and ${config.schema.nClasses}.`,
      );
    }
    this.resetStats();
    this.#config = {
      ...config,
      onnx: config.onnx.slice(),
      weights: config.weights.slice(0),
      schema: structuredClone(config.schema),
      features,
      nClasses,
    };
    const generation = this.#generation;
    const onAbort = () => {
      if (this.#generation === generation) this.stop();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.#boot();
    } catch (error) {
      // Nothing is served after a failed start: requests answer "not started".
      if (this.#generation === generation) this.#config = null;
      throw signal?.aborted ? abortError('The start was aborted.') : error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The running version's load info, or null before `start` / after `stop`. */
  get info(): EndpointInfo | null {
    return this.#info;
  }

  get policy(): BatchPolicy {
    return this.#queue.policy;
  }

  /** Changes the batching policy at run time; queued requests are judged by the new one. */
  setPolicy(policy: BatchPolicy): void {
    this.#queue.setPolicy(policy);
    this.#pump();
  }

  get stats(): EndpointStats {
    return {
      ...this.#counts,
      queueDepth: this.#queue.depth,
      inFlight: this.#inFlight.length,
      batchSizes: { ...this.#batchSizes },
      latencyMs: this.#latency.values(),
    };
  }

  /** Clears the counters, histogram and latency samples (not the queue). */
  resetStats(): void {
    this.#counts = { served: 0, rejected: 0, errors: 0, aborted: 0, restarts: 0 };
    this.#batchSizes = {};
    this.#latency.clear();
  }

  /**
   * Answers one request. Never rejects: failures come back as `{ ok: false, kind, reason }`.
   *
   * @param input one row: an array or typed array of `schema.features` finite numbers.
   * @param options.signal aborting it answers `aborted` at once (a batch already running still
   *   runs; its answer for this request is dropped).
   */
  predict(input: unknown, options: { signal?: AbortSignal } = {}): Promise<PredictResult> {
    const config = this.#config;
    if (!config) return Promise.resolve(fail('error', 'The endpoint is not started.'));
    const checked = validateRequest(config.schema, input);
    if (!checked.ok) {
      this.#counts.rejected++;
      return Promise.resolve(fail('invalid', checked.reason));
    }
    const { signal } = options;
    if (signal?.aborted) {
      this.#counts.aborted++;
      return Promise.resolve(fail('aborted', 'The request was aborted.'));
    }
    clearTimeout(this.#idleTimer);
    return new Promise<PredictResult>((resolve) => {
      const onAbort = () => {
        if (item.settled) return;
        this.#counts.aborted++;
        item.settle(fail('aborted', 'The request was aborted.'));
      };
      const item: Pending = {
        x: checked.x,
        outliers: checked.outliers,
        arrivedAt: this.#now(),
        settled: false,
        settle: (result) => {
          item.settled = true;
          signal?.removeEventListener('abort', onAbort);
          resolve(result);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(item, item.arrivedAt);
      this.#pump();
    });
  }

  /** Sends every input at once (a load burst) and answers each, in order. */
  burst(
    inputs: readonly unknown[],
    options: { signal?: AbortSignal } = {},
  ): Promise<PredictResult[]> {
    return Promise.all(inputs.map((input) => this.predict(input, options)));
  }

  /** Stops serving: the worker ends, queued and running requests answer `aborted`. */
  stop(): void {
    this.#generation++;
    clearTimeout(this.#timer);
    clearTimeout(this.#idleTimer);
    this.#client?.terminate();
    this.#client = null;
    this.#booting = null;
    const waiting = [...this.#inFlight, ...this.#queue.drain()];
    this.#inFlight = [];
    this.#config = null;
    this.#info = null;
    for (const item of waiting) {
      if (item.settled) continue;
      this.#counts.aborted++;
      item.settle(fail('aborted', 'The endpoint was stopped.'));
    }
  }

  /** Starts a worker and loads the model into it; at most one boot at a time. */
  #boot(): Promise<EndpointInfo> {
    const config = this.#config;
    if (!config) return Promise.reject(new Error('The endpoint is not started.'));
    if (this.#booting) return this.#booting;
    const generation = this.#generation;
    const startedAt = this.#now();
    const client = new ServeClient(this.#createWorker, () => this.#onCrash(client));
    this.#client = client;
    const booting = client
      .load({
        runtime: config.runtime,
        onnx: config.onnx.slice(),
        weights: config.weights.slice(0),
        ...(config.threads === undefined ? {} : { threads: config.threads }),
      })
      .then(
        (loaded) => {
          if (generation !== this.#generation) throw new Error('The endpoint was stopped.');
          const info = { ...loaded, versionId: config.versionId, startMs: this.#now() - startedAt };
          this.#booting = null;
          this.#info = info;
          this.#pump();
          return info;
        },
        (error: unknown) => {
          if (generation === this.#generation && this.#booting === booting) {
            this.#booting = null;
            client.terminate();
            if (this.#client === client) this.#client = null;
            this.#failQueued(`The serving runtime did not start: ${message(error)}`);
          }
          throw error;
        },
      );
    this.#booting = booting;
    return booting;
  }

  #onCrash(client: ServeClient): void {
    // A crash while loading rejects the load, which answers the queued requests.
    if (this.#client !== client || this.#booting) return;
    this.#client = null;
    // A batch in flight is failed by its rejected infer, which then restarts for the queue.
    if (this.#queue.depth > 0 && this.#inFlight.length === 0) this.#restart();
  }

  #restart(): void {
    this.#counts.restarts++;
    this.#boot().catch(() => undefined); // failures answer the queued requests
  }

  /** Sends the next batch when one is due and the worker is free; else arms the deadline timer. */
  #pump(): void {
    clearTimeout(this.#timer);
    if (!this.#config || this.#inFlight.length > 0 || this.#booting) return;
    if (!this.#client) {
      if (this.#queue.depth > 0) this.#restart();
      return;
    }
    const now = this.#now();
    for (let batch = this.#queue.takeBatch(now); batch; batch = this.#queue.takeBatch(now)) {
      const live = batch.filter((item) => !item.settled);
      if (live.length > 0) {
        this.#send(this.#client, live, now);
        return;
      }
    }
    const deadline = this.#queue.nextDeadline();
    if (deadline !== null) {
      this.#timer = setTimeout(() => this.#pump(), Math.max(0, deadline - now));
    } else if (this.#idleTimeoutMs > 0) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = setTimeout(() => this.#shutIdle(), this.#idleTimeoutMs);
    }
  }

  #send(client: ServeClient, batch: Pending[], sentAt: number): void {
    const config = this.#config;
    if (!config) return;
    const { features, nClasses, schema, versionId } = config;
    const x = new Float32Array(batch.length * features);
    batch.forEach((item, i) => x.set(item.x, i * features));
    this.#inFlight = batch;
    const n = batch.length;
    this.#batchSizes[n] = (this.#batchSizes[n] ?? 0) + 1;
    const generation = this.#generation;
    client.infer(x, n).then(
      ({ probabilities, computeMs }) => {
        if (generation !== this.#generation) return;
        const done = this.#now();
        const predicted = argmaxRows(probabilities, n, nClasses);
        batch.forEach((item, i) => {
          if (item.settled) return;
          const row = Array.from(probabilities.subarray(i * nClasses, (i + 1) * nClasses));
          const latencyMs = done - item.arrivedAt;
          this.#counts.served++;
          this.#latency.push(latencyMs);
          item.settle({
            ok: true,
            probabilities: row,
            predictedClass: predicted[i],
            className: schema.classNames[predicted[i]],
            versionId,
            latencyMs,
            queueMs: sentAt - item.arrivedAt,
            computeMs,
            batchSize: n,
            outliers: item.outliers,
          });
        });
        this.#inFlight = [];
        this.#pump();
      },
      (error: unknown) => {
        if (generation !== this.#generation) return;
        const crashed = error instanceof ServeError && error.reason === 'crashed';
        const reason = crashed
          ? `${message(error)} It restarts on the next request.`
          : `The runtime failed: ${message(error)}`;
        for (const item of batch) {
          if (item.settled) continue;
          this.#counts.errors++;
          item.settle(fail('error', reason));
        }
        this.#inFlight = [];
        this.#pump(); // restarts a crashed worker when requests are waiting
      },
    );
  }

  #failQueued(reason: string): void {
    for (const item of this.#queue.drain()) {
      if (item.settled) continue;
      this.#counts.errors++;
      item.settle(fail('error', reason));
    }
  }

  #shutIdle(): void {
    if (this.#queue.depth > 0 || this.#inFlight.length > 0 || this.#booting) return;
    this.#client?.terminate();
    this.#client = null;
  }
}

function fail(kind: PredictFailure['kind'], reason: string): PredictFailure {
  return { ok: false, kind, reason };
}

function abortError(text: string): Error {
  const error = new Error(text);
  error.name = 'AbortError';
  return error;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
