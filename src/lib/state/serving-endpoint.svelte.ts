/**
 * The Serve screen's one inference endpoint: started with a version's model (in a worker, through
 * the engine's `Endpoint`, held as a plain field), stopped, and its live stats copied at most
 * every 250 ms into reactive state. ServingState decides what to serve; this owns the lifecycle.
 */
import type { BatchPolicy } from '../core/batching';
import type { Endpoint, EndpointInfo, EndpointStats } from '../engine/endpoint';
import type { RuntimeId } from '../protocol/serve';
import type { ServeLib } from './serving-lib';
import type { PreparedModel } from './serving-model';
import { STATS_INTERVAL_MS, summarizeLatency, Throttle, type LatencySummary } from './serving-ops';
import type { ServingStatus } from './serving-types';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What to serve and how. `policy` is read once the model is loaded (it may change meanwhile). */
export type SessionSettings = {
  versionId: string;
  runtime: RuntimeId;
  threads: number;
  policy: () => BatchPolicy;
};

export type SessionHooks = {
  /** The endpoint is running (a new request count begins). */
  onRunning: () => void;
  /** A running endpoint that answered requests is about to stop: what it served. */
  onStopping: (info: EndpointInfo | null, stats: EndpointStats) => void;
};

/** Where the endpoint stands, what runs, and its stats as last copied. */
export class EndpointSession {
  #status = $state<ServingStatus>('stopped');
  #error = $state<string | null>(null);
  #info = $state.raw<EndpointInfo | null>(null);
  #stats = $state.raw<EndpointStats | null>(null);
  #latency = $derived(this.#stats ? summarizeLatency(this.#stats.latencyMs) : null);

  // Not reactive: the worker owner (kept across restarts) and the start in progress.
  #endpoint: Endpoint | null = null;
  #startController: AbortController | null = null;
  readonly #statsThrottle = new Throttle(() => this.#copyStats(), STATS_INTERVAL_MS);
  readonly #hooks: SessionHooks;

  constructor(hooks: SessionHooks) {
    this.#hooks = hooks;
  }

  get status(): ServingStatus {
    return this.#status;
  }
  /** True while starting or running. */
  get busy(): boolean {
    return this.#status === 'starting' || this.#status === 'running';
  }
  /** Why the last start failed. */
  get error(): string | null {
    return this.#error;
  }
  get info(): EndpointInfo | null {
    return this.#info;
  }
  get stats(): EndpointStats | null {
    return this.#stats;
  }
  get latency(): LatencySummary | null {
    return this.#latency;
  }
  /** The endpoint while running, else null. */
  get endpoint(): Endpoint | null {
    return this.#status === 'running' ? this.#endpoint : null;
  }
  /** The endpoint's counters this moment (also once stopped), null before the first start. */
  statsNow(): EndpointStats | null {
    return this.#endpoint?.stats ?? null;
  }

  /**
   * Starts serving (stops a running endpoint first; nothing while a start is in progress).
   * @param prepare the serving library and the version's model (loaded in this order).
   */
  async start(
    prepare: () => Promise<{ lib: ServeLib; model: PreparedModel }>,
    settings: SessionSettings,
  ): Promise<void> {
    if (this.#status === 'starting') return;
    this.#stopEndpoint();
    const controller = new AbortController();
    this.#startController = controller;
    const { runtime, versionId, threads } = settings;
    this.#status = 'starting';
    this.#error = null;
    this.#info = null;
    try {
      const { lib, model } = await prepare();
      controller.signal.throwIfAborted();
      this.#endpoint ??= new lib.Endpoint({ policy: settings.policy() });
      this.#endpoint.setPolicy(settings.policy());
      const info = await this.#endpoint.start(
        {
          runtime,
          onnx: model.onnx,
          weights: model.weights,
          schema: model.schema,
          versionId,
          ...(runtime === 'ort-wasm' ? { threads } : {}),
        },
        controller.signal,
      );
      if (controller.signal.aborted) return;
      this.#info = info;
      this.#status = 'running';
      this.#hooks.onRunning();
      this.#copyStats();
    } catch (err) {
      if (controller.signal.aborted) return;
      this.#status = 'failed';
      this.#error = message(err);
    } finally {
      if (this.#startController === controller) this.#startController = null;
    }
  }

  /** Stops the endpoint (requests waiting are answered "aborted"). */
  stop(): void {
    this.#stopEndpoint();
    this.#status = 'stopped';
  }

  /** Applies a batching policy at once (to the endpoint, if there is one). */
  setPolicy(policy: BatchPolicy): void {
    this.#endpoint?.setPolicy(policy);
  }

  /** Copies the stats now, or at the end of the current 250 ms interval. */
  requestStats(): void {
    this.#statsThrottle.request();
  }

  #copyStats(): void {
    if (this.#endpoint) this.#stats = this.#endpoint.stats;
  }

  #stopEndpoint(): void {
    this.#startController?.abort();
    this.#startController = null;
    const endpoint = this.#endpoint;
    if (!endpoint) return;
    const stats = endpoint.stats;
    if (this.#status === 'running' && stats.served + stats.rejected > 0)
      this.#hooks.onStopping(this.#info, stats);
    endpoint.stop();
    this.#statsThrottle.cancel();
    this.#copyStats();
    this.#info = null;
  }
}
