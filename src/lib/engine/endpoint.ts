/**
 * The inference endpoint: one model version served from a worker. Every request is validated
 * against the input schema first (a refused request never reaches the worker), then queued and
 * sent in dynamic batches (max batch, max wait: see core/batching.ts), one batch in flight at a
 * time (one model instance). A crashed worker fails the requests in flight with a reason and is
 * restarted on the next request; an idle worker is shut down and restarted the same way.
 * The types it takes and answers are in endpoint-types.ts, its counters in endpoint-stats.ts, and
 * the requests it holds (settled once each) in endpoint-requests.ts.
 */
import { BatchQueue, type BatchPolicy } from '../core/batching';
import { schemaProblem, validateRequest } from '../core/input-schema';
import { decodeMlp } from '../core/mlp-codec';
import {
  answerBatch,
  fail,
  failAll,
  pendingRequest,
  stackRows,
  type PendingRequest,
} from './endpoint-requests';
import { EndpointCounters, type EndpointStats } from './endpoint-stats';
import type {
  EndpointConfig,
  EndpointInfo,
  EndpointOptions,
  PredictResult,
} from './endpoint-types';
import type { ServeFault } from '../protocol/serve';
import { createServeWorker, ServeClient, ServeError, type ServeWorkerLike } from './serve-client';

export type { EndpointStats } from './endpoint-stats';
export type {
  EndpointConfig,
  EndpointInfo,
  EndpointOptions,
  Prediction,
  PredictFailure,
  PredictResult,
} from './endpoint-types';

export const DEFAULT_POLICY: Readonly<BatchPolicy> = Object.freeze({ maxBatch: 32, maxWaitMs: 2 });

type Serving = EndpointConfig & { features: number; nClasses: number };

export class Endpoint {
  #client: ServeClient | null = null;
  #booting: Promise<EndpointInfo> | null = null;
  #config: Serving | null = null;
  #info: EndpointInfo | null = null;
  /** Bumped by start/stop so that callbacks of an older worker do nothing. */
  #generation = 0;
  #queue: BatchQueue<PendingRequest>;
  #inFlight: PendingRequest[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** An injected latency/corrupt fault, re-sent to every restarted worker until cleared. */
  #fault: ServeFault[] = [];
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #counters: EndpointCounters;
  readonly #createWorker: () => ServeWorkerLike;
  readonly #now: () => number;
  readonly #idleTimeoutMs: number;

  constructor(options: EndpointOptions = {}) {
    this.#createWorker = options.createWorker ?? createServeWorker;
    this.#now = options.now ?? (() => performance.now());
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 300_000;
    this.#queue = new BatchQueue<PendingRequest>(options.policy ?? DEFAULT_POLICY);
    this.#counters = new EndpointCounters(options.latencySamples ?? 2000);
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
    return this.#counters.snapshot({
      queueDepth: this.#queue.depth,
      inFlight: this.#inFlight.length,
    });
  }

  /** Clears the counters, histogram and latency samples (not the queue). */
  resetStats(): void {
    this.#counters.reset();
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
      this.#counters.count('rejected');
      return Promise.resolve(fail('invalid', checked.reason));
    }
    const { signal } = options;
    if (signal?.aborted) {
      this.#counters.count('aborted');
      return Promise.resolve(fail('aborted', 'The request was aborted.'));
    }
    clearTimeout(this.#idleTimer);
    return new Promise<PredictResult>((resolve) => {
      const item = pendingRequest(checked, this.#now(), resolve, signal, () =>
        this.#counters.count('aborted'),
      );
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

  /**
   * The batched path for simulated traffic: `rows` rows (already valid: the caller built them
   * from the data set) in ONE infer call, bypassing validation and the dynamic batcher, counted
   * in the stats (each row served with the call's round trip). Waits for a start in progress and
   * restarts an idle-stopped worker. `x` is transferred (detached here).
   * @returns probabilities [rows, nClasses], the runtime's compute time and the round trip, ms.
   * @throws when the endpoint is not started or the runtime fails.
   */
  async predictBatch(
    x: Float32Array,
    rows: number,
  ): Promise<{ probabilities: Float32Array; computeMs: number; roundTripMs: number }> {
    const generation = this.#generation;
    if (!this.#config) throw new Error('The endpoint is not started.');
    if (this.#booting || !this.#client) await this.#boot();
    const client = this.#client;
    if (!client || generation !== this.#generation) throw new Error('The endpoint was stopped.');
    clearTimeout(this.#idleTimer);
    this.#counters.batch(rows);
    const sentAt = this.#now();
    try {
      const out = await client.infer(x, rows);
      const roundTripMs = this.#now() - sentAt;
      for (let i = 0; i < rows; i++) this.#counters.served(roundTripMs);
      return { probabilities: out.probabilities, computeMs: out.computeMs, roundTripMs };
    } catch (error) {
      for (let i = 0; i < rows; i++) this.#counters.count('errors');
      throw error;
    } finally {
      if (generation === this.#generation) this.#pump(); // re-arms the idle shutdown
    }
  }

  /**
   * Breaks the serving worker on purpose (the fault injector). `crash` kills the worker now (the
   * batch in flight fails; the next request restarts it clean); `latency` and `corrupt` last,
   * across restarts, until `clear`. Starts the worker first when none is running.
   * @throws when the endpoint is not started, or the worker does not take the fault.
   */
  async injectFault(fault: ServeFault): Promise<void> {
    if (!this.#config) throw new Error('The endpoint is not started.');
    if (fault.kind === 'clear') this.#fault = [];
    else if (fault.kind !== 'crash')
      this.#fault = [...this.#fault.filter((f) => f.kind !== fault.kind), fault];
    if (this.#booting || !this.#client) await this.#boot();
    await this.#client?.injectFault(fault);
  }

  /** Stops serving: the worker ends, queued and running requests answer `aborted`. */
  stop(): void {
    this.#generation++;
    this.#fault = [];
    clearTimeout(this.#timer);
    clearTimeout(this.#idleTimer);
    this.#client?.terminate();
    this.#client = null;
    this.#booting = null;
    const waiting = [...this.#inFlight, ...this.#queue.drain()];
    this.#inFlight = [];
    this.#config = null;
    this.#info = null;
    failAll(waiting, 'aborted', 'The endpoint was stopped.', () => this.#counters.count('aborted'));
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
          // Sent before any infer: a restart does not cure an injected slow or corrupt model.
          for (const fault of this.#fault) client.injectFault(fault).catch(() => undefined);
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
    this.#counters.count('restarts');
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

  #send(client: ServeClient, batch: PendingRequest[], sentAt: number): void {
    const config = this.#config;
    if (!config) return;
    const { features, nClasses, schema, versionId } = config;
    const x = stackRows(batch, features);
    this.#inFlight = batch;
    const n = batch.length;
    this.#counters.batch(n);
    const generation = this.#generation;
    client.infer(x, n).then(
      (output) => {
        if (generation !== this.#generation) return;
        const facts = { nClasses, classNames: schema.classNames, versionId, sentAt };
        answerBatch(batch, output, { ...facts, done: this.#now() }, (latencyMs) =>
          this.#counters.served(latencyMs),
        );
        this.#inFlight = [];
        this.#pump();
      },
      (error: unknown) => {
        if (generation !== this.#generation) return;
        const crashed = error instanceof ServeError && error.reason === 'crashed';
        const reason = crashed
          ? `${message(error)} It restarts on the next request.`
          : `The runtime failed: ${message(error)}`;
        failAll(batch, 'error', reason, () => this.#counters.count('errors'));
        this.#inFlight = [];
        this.#pump(); // restarts a crashed worker when requests are waiting
      },
    );
  }

  #failQueued(reason: string): void {
    failAll(this.#queue.drain(), 'error', reason, () => this.#counters.count('errors'));
  }

  #shutIdle(): void {
    if (this.#queue.depth > 0 || this.#inFlight.length > 0 || this.#booting) return;
    this.#client?.terminate();
    this.#client = null;
  }
}

function abortError(text: string): Error {
  const error = new Error(text);
  error.name = 'AbortError';
  return error;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
