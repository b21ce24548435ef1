import type { EndpointInfo, EndpointStats, PredictResult } from '../engine/endpoint';
import type { Endpoint } from '../engine/endpoint';
import type { InputSchema } from '../core/input-schema';
import type { RuntimeId } from '../protocol/serve';
import {
  getMeta,
  listModels,
  listVersions,
  setMeta,
  type AppDb,
  type Clock,
  type MetaValues,
} from '../storage';
import * as ops from './serving-ops';

/** Requests submitted per main-thread task during a burst. */
const BURST_CHUNK = 1_000;

/** Lets the browser run other tasks (input, rendering) before the next chunk. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
import type { PreparedModel } from './serving-model';

/** The endpoint, the agreement check and the model loader, loaded on first use. */
type ServeLib = typeof import('./serving-model');
const loadServeLib = (): Promise<ServeLib> => import('./serving-model');

export type { BadRequestKind, LatencySummary, ServableVersion } from './serving-ops';
export type LastServed = MetaValues['lastServed'];

/** Where the endpoint stands. */
export type ServingStatus = 'stopped' | 'starting' | 'running' | 'failed';

/** One answered (or refused) request, for the playground's log. */
export type LogEntry = {
  /** 1, 2, ... since the page opened. */
  seq: number;
  /** What was sent, in words (e.g. "drawn digit", "bad request: a NaN value"). */
  sent: string;
  result: PredictResult;
};

/** What a load burst measured. */
export type BurstResult = {
  /** Requests sent. */
  n: number;
  /** Requests answered with a prediction. */
  answered: number;
  /** Requests that failed (refused, runtime error, aborted). */
  failed: number;
  /** From the first request sent to the last answer, milliseconds. */
  wallMs: number;
  /** `answered / wall time`. */
  perSecond: number;
  /** End-to-end latency (queue + compute) of the answered requests. */
  latency: ops.LatencySummary | null;
  /** Batches the burst ran in, by size. */
  batchSizes: Record<number, number>;
  /** Requests waiting in the queue right after the burst was sent. */
  peakQueueDepth: number;
  runtime: RuntimeId;
};

/** One runtime's agreement with the reference forward pass on the test split. */
export type AgreementRow = {
  runtime: RuntimeId;
  /** The runtime that ran (after any fallback); null when none started. */
  actualRuntime: RuntimeId | null;
  fallbackReason?: string;
  rows: number;
  maxAbsDiff: number;
  top1Agreement: number;
  ok: boolean;
  /** Why not OK, one sentence per limit broken (or the error). */
  problems: string[];
};

/** The versions list: loading, read, or unreadable. */
export type VersionsStatus = 'loading' | 'ready' | 'error';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The Serve screen's state: which registry version to serve and how (runtime, threads, batching),
 * one inference endpoint (in a worker, through the engine's `Endpoint`, held as a plain field),
 * live stats copied at most every 250 ms, the playground's last responses, load bursts and the
 * agreement check. The "last served" record is saved to storage when the endpoint stops and every
 * 100 requests.
 */
export class ServingState {
  #versionsStatus = $state<VersionsStatus>('loading');
  #versionsError = $state<string | null>(null);
  #versions = $state.raw<ops.ServableVersion[]>([]);
  #versionId = $state<string | null>(null);
  #runtime = $state<RuntimeId>('ort-wasm');
  #threads = $state(1);
  #maxBatch = $state(32);
  #maxWaitMs = $state(2);

  #modelStatus = $state<'none' | 'loading' | 'ready' | 'error'>('none');
  #modelError = $state<string | null>(null);
  #schema = $state.raw<InputSchema | null>(null);
  #datasetId = $state<string | null>(null);
  #examples = $state.raw<{ row: number; label: string }[]>([]);

  #status = $state<ServingStatus>('stopped');
  #error = $state<string | null>(null);
  #info = $state.raw<EndpointInfo | null>(null);
  #stats = $state.raw<EndpointStats | null>(null);
  #latency = $derived(this.#stats ? ops.summarizeLatency(this.#stats.latencyMs) : null);
  #log = $state.raw<LogEntry[]>([]);
  #last = $state.raw<LogEntry | null>(null);
  #bursting = $state(false);
  #burst = $state.raw<BurstResult | null>(null);
  #burstError = $state<string | null>(null);
  #checking = $state<RuntimeId | null>(null);
  #agreement = $state.raw<AgreementRow[]>([]);
  #agreementFor = $state<string | null>(null);
  #agreementError = $state<string | null>(null);
  #lastServed = $state.raw<LastServed | null>(null);
  #saveError = $state<string | null>(null);

  // Not reactive: the worker owner, the loaded model, handles.
  #endpoint: Endpoint | null = null;
  #prepared: PreparedModel | null = null;
  #preparing: Promise<PreparedModel> | null = null;
  #startController: AbortController | null = null;
  #seq = 0;
  #savedAtTotal = 0;
  readonly #statsThrottle = new ops.Throttle(() => this.#copyStats(), ops.STATS_INTERVAL_MS);
  readonly #db: AppDb;
  readonly #clock: Clock;
  readonly #threadChoices: number[];
  readonly #isolated: boolean;

  constructor(db: AppDb, options: { clock?: Clock; isolated?: boolean; cores?: number } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? Date.now;
    this.#isolated = options.isolated ?? globalThis.crossOriginIsolated === true;
    const cores = options.cores ?? globalThis.navigator?.hardwareConcurrency ?? 1;
    this.#threadChoices = ops.threadChoices(this.#isolated, cores);
  }

  // The registry versions.
  get versionsStatus(): VersionsStatus {
    return this.#versionsStatus;
  }
  get versionsError(): string | null {
    return this.#versionsError;
  }
  /** Every version of every model, grouped by model, newest first. */
  get versions(): readonly ops.ServableVersion[] {
    return this.#versions;
  }
  /** The version chosen (and served, while running). */
  get versionId(): string | null {
    return this.#versionId;
  }
  set versionId(id: string | null) {
    if (this.busy || id === this.#versionId) return;
    if (id !== null && !this.#versions.some((v) => v.id === id)) return;
    this.#versionId = id;
    this.#loadModel().catch(() => undefined); // modelError says why
  }
  get version(): ops.ServableVersion | null {
    return this.#versions.find((v) => v.id === this.#versionId) ?? null;
  }

  /** Re-reads the registry (keeps the chosen version when it still exists) and the last served. */
  async refresh(): Promise<void> {
    try {
      const models = await listModels(this.#db);
      const versions = (
        await Promise.all(models.map((m) => listVersions(this.#db, m.name)))
      ).flat();
      const list = ops.servableVersions(
        models,
        versions.map((v) => ({
          id: v.id,
          modelName: v.modelName,
          version: v.version,
          createdAt: v.createdAt,
          variant: v.variant,
          datasetId: v.lineage.datasetId,
        })),
      );
      this.#versions = list;
      this.#versionsStatus = 'ready';
      this.#versionsError = null;
      const keep = this.#versionId !== null && list.some((v) => v.id === this.#versionId);
      if (!keep && !this.busy) {
        this.#versionId = ops.defaultVersionId(list);
        this.#prepared = null;
        if (this.#versionId === null) this.#clearModel();
      }
      this.#lastServed = (await getMeta(this.#db, 'lastServed')) ?? null;
      if (this.#versionId && !this.#prepared) this.#loadModel().catch(() => undefined);
    } catch (err) {
      this.#versionsStatus = 'error';
      this.#versionsError = message(err);
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
    return this.#modelStatus;
  }
  get modelError(): string | null {
    return this.#modelError;
  }
  get schema(): InputSchema | null {
    return this.#schema;
  }
  /** 'digits' or 'breast_cancer' once the model is loaded. */
  get datasetId(): string | null {
    return this.#datasetId;
  }
  /** The test split rows, labelled for pickers ("Test row 3: 7"). */
  get examples(): readonly { row: number; label: string }[] {
    return this.#examples;
  }
  /** The features of one data set row (a copy), or null before the model is loaded. */
  rowValues(row: number): number[] | null {
    const p = this.#prepared;
    if (!p || row < 0 || row >= p.dataset.rows) return null;
    const f = p.dataset.features;
    return Array.from(p.dataset.x.subarray(row * f, (row + 1) * f));
  }

  // The endpoint.
  get status(): ServingStatus {
    return this.#status;
  }
  /** True while starting or running (the version and runtime cannot change then). */
  get busy(): boolean {
    return this.#status === 'starting' || this.#status === 'running';
  }
  /** Why the last start failed. */
  get error(): string | null {
    return this.#error;
  }
  /** What runs: the runtime asked for and the one that serves, fallback reason, load time. */
  get info(): EndpointInfo | null {
    return this.#info;
  }
  /** Counters, queue depth, batch sizes and latency samples, copied at most every 250 ms. */
  get stats(): EndpointStats | null {
    return this.#stats;
  }
  /** Percentiles of the latency samples in `stats` (end to end, ms). */
  get latency(): ops.LatencySummary | null {
    return this.#latency;
  }
  /** The last responses, oldest first (at most 50). */
  get log(): readonly LogEntry[] {
    return this.#log;
  }
  get last(): LogEntry | null {
    return this.#last;
  }
  get lastServed(): LastServed | null {
    return this.#lastServed;
  }
  /** Why the "last served" record could not be saved, if it could not. */
  get saveError(): string | null {
    return this.#saveError;
  }

  /** Starts the endpoint with the chosen version and settings (stops a running one first). */
  async start(): Promise<void> {
    const id = this.#versionId;
    if (!id || this.#status === 'starting') return;
    this.#stopEndpoint();
    const controller = new AbortController();
    this.#startController = controller;
    const runtime = this.#runtime;
    this.#status = 'starting';
    this.#error = null;
    this.#info = null;
    try {
      const lib = await loadServeLib();
      const model = await this.#loadModel();
      controller.signal.throwIfAborted();
      this.#endpoint ??= new lib.Endpoint({ policy: this.#policy() });
      this.#endpoint.setPolicy(this.#policy());
      const info = await this.#endpoint.start(
        {
          runtime,
          onnx: model.onnx,
          weights: model.weights,
          schema: model.schema,
          versionId: id,
          ...(runtime === 'ort-wasm' ? { threads: this.#threads } : {}),
        },
        controller.signal,
      );
      if (controller.signal.aborted) return;
      this.#info = info;
      this.#status = 'running';
      this.#savedAtTotal = 0;
      this.#copyStats();
    } catch (err) {
      if (controller.signal.aborted) return;
      this.#status = 'failed';
      this.#error = message(err);
    } finally {
      if (this.#startController === controller) this.#startController = null;
    }
  }

  /** Stops the endpoint (requests waiting are answered "aborted") and saves what was served. */
  stop(): void {
    this.#stopEndpoint();
    this.#status = 'stopped';
  }

  /**
   * Sends one request through the endpoint (schema check, queue, batch, runtime) and logs the
   * answer. null when the endpoint is not running.
   * @param sent what was sent, in words, for the log.
   */
  async send(input: unknown, sent = 'request'): Promise<PredictResult | null> {
    const endpoint = this.#endpoint;
    if (!endpoint || this.#status !== 'running') return null;
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
    const row = this.#prepared?.testRows[0];
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
    const endpoint = this.#endpoint;
    const model = this.#prepared;
    const count = ops.clampInt(n, 1, 100_000);
    const runtime = this.#info?.actualRuntime;
    if (!endpoint || !model || !runtime || this.#status !== 'running' || this.#bursting || !count)
      return null;
    this.#bursting = true;
    this.#burstError = null;
    const f = model.dataset.features;
    const x = model.dataset.x;
    const inputs = ops.burstRows(model.testRows, count).map((r) => x.subarray(r * f, (r + 1) * f));
    const before = endpoint.stats.batchSizes;
    const ticker = setInterval(() => this.#statsThrottle.request(), ops.STATS_INTERVAL_MS);
    try {
      const t0 = performance.now();
      // Submitted in chunks with a yield between them: validating and queueing 100,000 requests
      // in one go blocked the main thread for over 300 ms (bench); chunks keep it under budget.
      const pending: Promise<PredictResult>[] = [];
      let peakQueueDepth = 0;
      for (let i = 0; i < inputs.length; i += BURST_CHUNK) {
        for (const input of inputs.slice(i, i + BURST_CHUNK)) pending.push(endpoint.predict(input));
        peakQueueDepth = Math.max(peakQueueDepth, endpoint.stats.queueDepth);
        if (i + BURST_CHUNK < inputs.length) await nextTask();
      }
      const results = await Promise.all(pending);
      const wallMs = performance.now() - t0;
      const answered = results.flatMap((r) => (r.ok ? [r.latencyMs] : []));
      const result: BurstResult = {
        n: count,
        answered: answered.length,
        failed: count - answered.length,
        wallMs,
        perSecond: ops.perSecond(answered.length, wallMs),
        latency: ops.summarizeLatency(answered),
        batchSizes: ops.countsSince(before, endpoint.stats.batchSizes),
        peakQueueDepth,
        runtime,
      };
      const failure = results.find((r) => !r.ok);
      if (failure && !failure.ok)
        this.#burstError = `${result.failed} of ${count} requests got no prediction: ${failure.reason}`;
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
    return this.#checking;
  }
  /** Rows of the last check, in the order asked. */
  get agreement(): readonly AgreementRow[] {
    return this.#agreement;
  }
  /** The version the rows are about. */
  get agreementFor(): string | null {
    return this.#agreementFor;
  }
  get agreementError(): string | null {
    return this.#agreementError;
  }
  /** Which tolerance applies to the chosen version (fp32 unless quantized). */
  get toleranceVariant(): 'fp32' | 'fp16' | 'int8' {
    const variant = this.version?.variant ?? 'fp32';
    return variant === 'fp32' ? 'fp32' : variant === 'fp16' ? 'fp16' : 'int8';
  }

  /**
   * Runs each runtime on the test split in its own worker and compares its probabilities with the
   * reference forward pass, one runtime after the other. A runtime that does not start, or that
   * disagrees beyond tolerance, gets a row that says so.
   */
  async checkAgreement(runtimes: readonly RuntimeId[]): Promise<AgreementRow[]> {
    const id = this.#versionId;
    if (!id || this.#checking || runtimes.length === 0) return [];
    this.#checking = runtimes[0];
    this.#agreement = [];
    this.#agreementFor = id;
    this.#agreementError = null;
    const rows: AgreementRow[] = [];
    try {
      const lib = await loadServeLib();
      const model = await this.#loadModel();
      for (const runtime of runtimes) {
        this.#checking = runtime;
        rows.push(await this.#checkOne(lib, model, runtime));
        this.#agreement = [...rows];
      }
    } catch (err) {
      this.#agreementError = message(err);
    } finally {
      this.#checking = null;
    }
    return rows;
  }

  /** Stops the endpoint and forgets pending timers (the page is going away). */
  dispose(): void {
    this.#stopEndpoint();
    this.#status = 'stopped';
  }

  async #checkOne(lib: ServeLib, model: PreparedModel, runtime: RuntimeId): Promise<AgreementRow> {
    try {
      const report = await lib.checkAgreement({
        runtime,
        onnx: model.onnx,
        weights: model.referenceWeights,
        ...(model.weights === model.referenceWeights ? {} : { candidateWeights: model.weights }),
        x: model.dataset.x,
        rows: model.testRows,
        variant: model.tolerance,
        ...(runtime === 'ort-wasm' ? { threads: this.#threads } : {}),
      });
      return {
        runtime,
        actualRuntime: report.actualRuntime,
        ...(report.fallbackReason ? { fallbackReason: report.fallbackReason } : {}),
        rows: report.agreement.rows,
        maxAbsDiff: report.agreement.maxAbsDiff,
        top1Agreement: report.agreement.top1Agreement,
        ok: report.ok,
        problems: report.problems,
      };
    } catch (err) {
      return {
        runtime,
        actualRuntime: null,
        rows: 0,
        maxAbsDiff: NaN,
        top1Agreement: NaN,
        ok: false,
        problems: [`it did not run: ${message(err)}`],
      };
    }
  }

  /** Loads the chosen version's model and data (once per version). */
  #loadModel(): Promise<PreparedModel> {
    const id = this.#versionId;
    if (!id) return Promise.reject(new Error('No model version is chosen.'));
    if (this.#prepared?.versionId === id) return Promise.resolve(this.#prepared);
    if (this.#preparing) {
      const pending = this.#preparing;
      return pending.then((p) => (p.versionId === id ? p : this.#loadModel()));
    }
    this.#modelStatus = 'loading';
    this.#modelError = null;
    const preparing = loadServeLib()
      .then((lib) => lib.prepareVersion(this.#db, id))
      .finally(() => {
        if (this.#preparing === preparing) this.#preparing = null;
      });
    this.#preparing = preparing;
    preparing.then(
      (p) => {
        if (this.#versionId !== p.versionId) return;
        this.#prepared = p;
        const { dataset } = p;
        this.#schema = p.schema;
        this.#datasetId = p.datasetId;
        this.#examples = Array.from(p.testRows, (row, i) => ({
          row,
          label: `Test row ${i + 1}: ${dataset.classNames[dataset.y[row]]}`,
        }));
        this.#modelStatus = 'ready';
      },
      (err: unknown) => {
        if (this.#versionId !== id) return;
        this.#modelStatus = 'error';
        this.#modelError = message(err);
      },
    );
    return preparing;
  }

  #clearModel(): void {
    this.#modelStatus = 'none';
    this.#modelError = null;
    this.#schema = null;
    this.#datasetId = null;
    this.#examples = [];
  }

  #policy(): { maxBatch: number; maxWaitMs: number } {
    return { maxBatch: this.#maxBatch, maxWaitMs: this.#maxWaitMs };
  }

  #applyPolicy(): void {
    this.#endpoint?.setPolicy(this.#policy());
  }

  #copyStats(): void {
    if (this.#endpoint) this.#stats = this.#endpoint.stats;
  }

  /** After requests: refresh the stats (throttled) and save "last served" every 100 requests. */
  #afterRequests(): void {
    this.#statsThrottle.request();
    const stats = this.#endpoint?.stats;
    if (!stats) return;
    const total = stats.served + stats.rejected;
    if (ops.crossedMultiple(this.#savedAtTotal, total)) this.#saveLastServed(stats);
  }

  #saveLastServed(stats: EndpointStats): void {
    const info = this.#info;
    if (!info) return;
    this.#savedAtTotal = stats.served + stats.rejected;
    const record: LastServed = {
      versionId: info.versionId,
      runtime: info.actualRuntime,
      served: stats.served,
      rejected: stats.rejected,
      at: this.#clock(),
    };
    this.#lastServed = record;
    setMeta(this.#db, 'lastServed', record).then(
      () => (this.#saveError = null),
      (err: unknown) => (this.#saveError = message(err)),
    );
  }

  #stopEndpoint(): void {
    this.#startController?.abort();
    this.#startController = null;
    const endpoint = this.#endpoint;
    if (!endpoint) return;
    const stats = endpoint.stats;
    if (this.#status === 'running' && stats.served + stats.rejected > 0)
      this.#saveLastServed(stats);
    endpoint.stop();
    this.#statsThrottle.cancel();
    this.#copyStats();
    this.#info = null;
  }
}
