import type { EndpointInfo, EndpointStats, PredictResult } from '../engine/endpoint';
import type { InputSchema } from '../core/input-schema';
import type { RuntimeId } from '../protocol/serve';
import type { AppDb, Clock } from '../storage';
import { AgreementCheck, toleranceVariantOf } from './serving-agreement.svelte';
import { runBurst } from './serving-burst';
import { ServingCatalog } from './serving-catalog.svelte';
import { EndpointSession } from './serving-endpoint.svelte';
import { LastServedBook } from './serving-last-served.svelte';
import { loadServeLib, type ServeLib } from './serving-lib';
import type { PreparedModel } from './serving-model';
import * as ops from './serving-ops';
import type {
  AgreementRow,
  BurstResult,
  LastServed,
  LogEntry,
  ServingStatus,
  VersionsStatus,
} from './serving-types';

export type { BadRequestKind, LatencySummary, ServableVersion } from './serving-ops';
export type * from './serving-types';

/**
 * The Serve screen's state: which registry version to serve and how (runtime, threads, batching),
 * one inference endpoint (in a worker, through the engine's `Endpoint`, held as a plain field),
 * live stats copied at most every 250 ms, the playground's last responses, load bursts and the
 * agreement check. The "last served" record is saved to storage when the endpoint stops and every
 * 100 requests. The versions and the chosen model (serving-catalog), the endpoint's lifecycle
 * (serving-endpoint), the burst (serving-burst), the agreement check (serving-agreement) and the
 * "last served" record (serving-last-served) each live in their own module.
 */
export class ServingState {
  #runtime = $state<RuntimeId>('ort-wasm');
  #threads = $state(1);
  #maxBatch = $state(32);
  #maxWaitMs = $state(2);

  #log = $state.raw<LogEntry[]>([]);
  #last = $state.raw<LogEntry | null>(null);
  #bursting = $state(false);
  #burst = $state.raw<BurstResult | null>(null);
  #burstError = $state<string | null>(null);

  #seq = 0;
  // The parts, each with its own reactive state.
  readonly #catalog: ServingCatalog;
  readonly #session: EndpointSession;
  readonly #agreement = new AgreementCheck();
  readonly #served: LastServedBook;
  readonly #threadChoices: number[];
  readonly #isolated: boolean;

  constructor(db: AppDb, options: { clock?: Clock; isolated?: boolean; cores?: number } = {}) {
    this.#catalog = new ServingCatalog(db, () => this.busy);
    this.#served = new LastServedBook(db, options.clock ?? Date.now);
    this.#session = new EndpointSession({
      onRunning: () => this.#served.restart(),
      onStopping: (info, stats) => this.#served.save(info, stats),
    });
    this.#isolated = options.isolated ?? globalThis.crossOriginIsolated === true;
    const cores = options.cores ?? globalThis.navigator?.hardwareConcurrency ?? 1;
    this.#threadChoices = ops.threadChoices(this.#isolated, cores);
  }

  // The registry versions.
  get versionsStatus(): VersionsStatus {
    return this.#catalog.versionsStatus;
  }
  get versionsError(): string | null {
    return this.#catalog.versionsError;
  }
  /** Every version of every model, grouped by model, newest first. */
  get versions(): readonly ops.ServableVersion[] {
    return this.#catalog.versions;
  }
  /** The version chosen (and served, while running). */
  get versionId(): string | null {
    return this.#catalog.versionId;
  }
  set versionId(id: string | null) {
    this.#catalog.versionId = id;
  }
  get version(): ops.ServableVersion | null {
    return this.#catalog.version;
  }

  /** Re-reads the registry (keeps the chosen version when it still exists) and the last served. */
  async refresh(): Promise<void> {
    try {
      await this.#catalog.read();
      await this.#served.load();
      this.#catalog.prepareChosen();
    } catch (err) {
      this.#catalog.readFailed(err);
    }
  }

  // Endpoint settings.
  get runtime(): RuntimeId {
    return this.#runtime;
  }
  set runtime(r: RuntimeId) {
    if (!this.busy) this.#runtime = r;
  }
  /** wasm threads for `ort-wasm`. */
  get threads(): number {
    return this.#threads;
  }
  set threads(n: number) {
    if (!this.busy && this.#threadChoices.includes(n)) this.#threads = n;
  }
  /** 1 only, unless the page is cross-origin isolated. */
  get threadChoices(): readonly number[] {
    return this.#threadChoices;
  }
  get crossOriginIsolated(): boolean {
    return this.#isolated;
  }
  get maxBatch(): number {
    return this.#maxBatch;
  }
  /** 1..256; applied at once to a running endpoint. Non-numbers are ignored. */
  set maxBatch(n: number) {
    const v = ops.clampInt(n, ops.MAX_BATCH_LIMITS.min, ops.MAX_BATCH_LIMITS.max);
    if (v === null) return;
    this.#maxBatch = v;
    this.#applyPolicy();
  }
  get maxWaitMs(): number {
    return this.#maxWaitMs;
  }
  /** 0..50 ms; applied at once to a running endpoint. */
  set maxWaitMs(ms: number) {
    const v = ops.clampNumber(ms, ops.MAX_WAIT_LIMITS.min, ops.MAX_WAIT_LIMITS.max);
    if (v === null) return;
    this.#maxWaitMs = v;
    this.#applyPolicy();
  }

  // The chosen version's model facts (for the playground).
  get modelStatus(): 'none' | 'loading' | 'ready' | 'error' {
    return this.#catalog.modelStatus;
  }
  get modelError(): string | null {
    return this.#catalog.modelError;
  }
  get schema(): InputSchema | null {
    return this.#catalog.schema;
  }
  /** 'digits' or 'breast_cancer' once the model is loaded. */
  get datasetId(): string | null {
    return this.#catalog.datasetId;
  }
  /** The test split rows, labelled for pickers ("Test row 3: 7"). */
  get examples(): readonly { row: number; label: string }[] {
    return this.#catalog.examples;
  }
  /** The features of one data set row (a copy), or null before the model is loaded. */
  rowValues(row: number): number[] | null {
    return this.#catalog.rowValues(row);
  }

  // The endpoint.
  get status(): ServingStatus {
    return this.#session.status;
  }
  /** True while starting or running (the version and runtime cannot change then). */
  get busy(): boolean {
    return this.#session.busy;
  }
  /** Why the last start failed. */
  get error(): string | null {
    return this.#session.error;
  }
  /** What runs: the runtime asked for and the one that serves, fallback reason, load time. */
  get info(): EndpointInfo | null {
    return this.#session.info;
  }
  /** Counters, queue depth, batch sizes and latency samples, copied at most every 250 ms. */
  get stats(): EndpointStats | null {
    return this.#session.stats;
  }
  /** Percentiles of the latency samples in `stats` (end to end, ms). */
  get latency(): ops.LatencySummary | null {
    return this.#session.latency;
  }
  /** The last responses, oldest first (at most 50). */
  get log(): readonly LogEntry[] {
    return this.#log;
  }
  get last(): LogEntry | null {
    return this.#last;
  }
  get lastServed(): LastServed | null {
    return this.#served.record;
  }
  /** Why the "last served" record could not be saved, if it could not. */
  get saveError(): string | null {
    return this.#served.saveError;
  }

  /** Starts the endpoint with the chosen version and settings (stops a running one first). */
  async start(): Promise<void> {
    const versionId = this.versionId;
    if (!versionId) return;
    await this.#session.start(() => this.#prepare(), {
      versionId,
      runtime: this.#runtime,
      threads: this.#threads,
      policy: () => this.#policy(),
    });
  }

  /** Stops the endpoint (requests waiting are answered "aborted") and saves what was served. */
  stop(): void {
    this.#session.stop();
  }

  /**
   * Sends one request through the endpoint (schema check, queue, batch, runtime) and logs the
   * answer. null when the endpoint is not running.
   * @param sent what was sent, in words, for the log.
   */
  async send(input: unknown, sent = 'request'): Promise<PredictResult | null> {
    const endpoint = this.#session.endpoint;
    if (!endpoint) return null;
    const result = await endpoint.predict(input);
    this.#seq++;
    const entry: LogEntry = { seq: this.#seq, sent, result };
    this.#last = entry;
    this.#log = ops.pushBounded(this.#log, entry);
    this.#afterRequests();
    return result;
  }

  /** Sends a malformed copy of the first test row, to show the endpoint refusing it. */
  sendBad(kind: ops.BadRequestKind): Promise<PredictResult | null> {
    const row = this.#catalog.prepared?.testRows[0];
    const values = row === undefined ? null : this.rowValues(row);
    if (!values) return Promise.resolve(null);
    const label = ops.BAD_REQUESTS.find((b) => b.kind === kind)?.label ?? kind;
    return this.send(ops.badRequest(kind, values), `bad request: ${label.toLowerCase()}`);
  }

  get bursting(): boolean {
    return this.#bursting;
  }
  get lastBurst(): BurstResult | null {
    return this.#burst;
  }
  get burstError(): string | null {
    return this.#burstError;
  }

  /**
   * Sends `n` requests at once (test split rows, repeated as needed) and measures predictions per
   * second over the wall time from the first send to the last answer.
   */
  async burst(n: number): Promise<BurstResult | null> {
    const endpoint = this.#session.endpoint;
    const model = this.#catalog.prepared;
    const count = ops.clampInt(n, 1, 100_000);
    const runtime = this.#session.info?.actualRuntime;
    if (!endpoint || !model || !runtime || this.#bursting || !count) return null;
    this.#bursting = true;
    this.#burstError = null;
    const ticker = setInterval(() => this.#session.requestStats(), ops.STATS_INTERVAL_MS);
    try {
      const { result, error } = await runBurst(endpoint, model, count, runtime);
      if (error) this.#burstError = error;
      this.#burst = result;
      return result;
    } finally {
      clearInterval(ticker);
      this.#bursting = false;
      this.#afterRequests();
    }
  }

  // The agreement check.
  /** The runtime being checked now, or null. */
  get checking(): RuntimeId | null {
    return this.#agreement.checking;
  }
  /** Rows of the last check, in the order asked. */
  get agreement(): readonly AgreementRow[] {
    return this.#agreement.rows;
  }
  /** The version the rows are about. */
  get agreementFor(): string | null {
    return this.#agreement.versionId;
  }
  get agreementError(): string | null {
    return this.#agreement.error;
  }
  /** Which tolerance applies to the chosen version (fp32 unless quantized). */
  get toleranceVariant(): 'fp32' | 'fp16' | 'int8' {
    return toleranceVariantOf(this.version?.variant);
  }

  /**
   * Runs each runtime on the test split in its own worker and compares its probabilities with the
   * reference forward pass, one runtime after the other. A runtime that does not start, or that
   * disagrees beyond tolerance, gets a row that says so.
   */
  checkAgreement(runtimes: readonly RuntimeId[]): Promise<AgreementRow[]> {
    return this.#agreement.run(
      this.versionId,
      runtimes,
      () => this.#prepare(),
      () => this.#threads,
    );
  }

  /** Stops the endpoint and forgets pending timers (the page is going away). */
  dispose(): void {
    this.#session.stop();
  }

  /** The serving library and the chosen version's model, loaded once each. */
  async #prepare(): Promise<{ lib: ServeLib; model: PreparedModel }> {
    const lib = await loadServeLib();
    return { lib, model: await this.#catalog.loadModel() };
  }

  #policy(): { maxBatch: number; maxWaitMs: number } {
    return { maxBatch: this.#maxBatch, maxWaitMs: this.#maxWaitMs };
  }

  #applyPolicy(): void {
    this.#session.setPolicy(this.#policy());
  }

  /** After requests: refresh the stats (throttled) and save "last served" every 100 requests. */
  #afterRequests(): void {
    this.#session.requestStats();
    const stats = this.#session.statsNow();
    if (stats) this.#served.afterRequests(this.#session.info, stats);
  }
}
