/**
 * The Operate screen's simulation, page side: seeded traffic (core/traffic.ts), scenarios and
 * per-request draws (core/sim-step.ts, shared with the pure batched path), the REAL serving
 * endpoint's batched path for the predictions, and the monitor, ledger and bounded log. Driven
 * by simulated timestamps: `step(untilMs)` serves the requests that arrive before `untilMs`,
 * however fast the machine is; the loop that paces it against the wall clock is
 * simulator-loop.ts. Simulated latency = queue wait + measured service time (CONTRACTS): the
 * service time of a request is its share of the measured round trip of the batch it rode in
 * (one infer call for the batch, as a batching server amortises it), and the queue is one server
 * fed in arrival order (core ServiceQueue).
 */
import type { Calibrator } from '../core/cbpe';
import { Monitor } from '../core/monitor';
import { PredictionLog, RequestLedger } from '../core/prediction-log';
import { compileScenarios, type DatasetKind, type ScenarioSet } from '../core/scenarios';
import type { AlertThresholds } from '../core/sim-monitor-types';
import { requestRngs } from '../core/sim-random';
import type { Scenario } from '../core/sim-scenario-types';
import {
  BatchBuffers,
  prepareBatch,
  recordBatch,
  ServiceQueue,
  type SimPool,
} from '../core/sim-step';
import { createTraffic, type Traffic, type TrafficBatch } from '../core/traffic';

/** Everything fixed by the served version and its data set. */
export type SimWorld = {
  versionId: string;
  dataset: DatasetKind;
  featureNames: readonly string[];
  /** The production pool: the whole test split of the version's data set. */
  pool: SimPool;
  /** Drift reference: the training split's features, row-major. */
  reference: Float32Array;
  /** The served model's predicted classes on the reference rows (prediction drift). */
  referencePredictions: Int32Array;
  /** The served model's accuracy on the validation split (fraction). */
  referenceAccuracy: number;
  /** Fitted on the served model's validation probabilities (CBPE). */
  calibrator: Calibrator;
};

export type SimSettings = {
  seed: number;
  requestsPerSecond: number;
  durationSeconds: number;
  windowMs: number;
  scenarios: readonly Scenario[];
  thresholds?: Partial<AlertThresholds>;
};

/** Predicts `rows` rows in one call; `x` may be transferred. */
export type BatchPredictor = (
  x: Float32Array,
  rows: number,
) => Promise<{ probabilities: Float32Array; roundTripMs: number }>;

/** Daily seasonality of the simulated traffic: +-30% around the mean, peak at 2 pm. */
export const SEASONALITY = Object.freeze({ dailyAmplitude: 0.3, peakHour: 14 });
/** Simulated users (A/B assignment is sticky per user: engine/rollout-sim.ts). */
export const USERS = 1000;

export type SimulatorOptions = {
  /** Requests per model call (default 256): small enough to keep each main-thread task short. */
  batchSize?: number;
  /** Records in the bounded prediction log (default 500). */
  logCapacity?: number;
  /**
   * Served rows kept per window for the drift tests (default: the reference's row count, at most
   * 1,000): bounds the per-window cost of the drift tests (about 50 ms for 64 features, measured)
   * whatever the traffic.
   */
  driftSampleSize?: number;
};

/** Requests [from, to) of a batch, as views (no copy). */
export function halfOpen(b: TrafficBatch, from: number, to: number): TrafficBatch {
  return {
    count: to - from,
    requestId: b.requestId.subarray(from, to),
    userId: b.userId.subarray(from, to),
    timeMs: b.timeMs.subarray(from, to),
    row: b.row.subarray(from, to),
  };
}

export class Simulator {
  readonly world: SimWorld;
  readonly settings: Readonly<SimSettings>;
  readonly traffic: Traffic;
  readonly monitor: Monitor;
  readonly ledger = new RequestLedger();
  readonly log: PredictionLog;
  #scenarios: ScenarioSet;
  readonly #predict: BatchPredictor;
  readonly #buf: BatchBuffers;
  readonly #rngFor: ReturnType<typeof requestRngs>;
  readonly #queue = new ServiceQueue();
  /** Drawn from the traffic, not served yet (requests at or after the clock). */
  #held: TrafficBatch | null = null;
  #heldPos = 0;
  #clockMs = 0;
  #served = 0;
  #skipped = 0;
  #busy = false;
  /** Request ids passed over by jumps, as [from, to) ranges. */
  readonly #skips: [number, number][] = [];
  /** The last `recent.rows` served feature rows, a ring (the "current" data of a drift view). */
  readonly #recent: { x: Float32Array; rows: number; next: number; size: number };

  /** @throws Error naming the field when the settings or scenarios are invalid. */
  constructor(
    world: SimWorld,
    settings: SimSettings,
    predict: BatchPredictor,
    options: SimulatorOptions = {},
  ) {
    this.world = world;
    this.settings = { ...settings, scenarios: [...settings.scenarios] };
    this.#predict = predict;
    const { pool } = world;
    this.traffic = createTraffic({
      seed: settings.seed,
      ratePerSecond: settings.requestsPerSecond,
      durationSeconds: settings.durationSeconds,
      seasonality: SEASONALITY,
      users: USERS,
      poolSize: pool.y.length,
    });
    this.#scenarios = compileScenarios(settings.scenarios, {
      dataset: world.dataset,
      features: pool.features,
      nClasses: pool.nClasses,
      poolLabels: pool.y,
    });
    // Above 1,000 reference rows Evidently uses distances (Wasserstein, Jensen-Shannon): up to
    // 1,000 sampled rows, a cost linear in the sample. Up to 1,000 it uses p-values (KS...), and
    // traffic resamples a finite pool: a window's rows are draws with replacement from the pool,
    // so a sample larger than the pool repeats rows and makes the p-values far too small (breast
    // cancer's 114-row pool at 398 rows flagged about half the features of a no-drift run,
    // measured). So p-value tests see at most as many rows as the pool holds.
    const referenceRows = world.reference.length / pool.features;
    const sampleSize =
      options.driftSampleSize ??
      (referenceRows > 1000 ? 1000 : Math.min(referenceRows, pool.y.length));
    this.monitor = new Monitor({
      windowMs: settings.windowMs,
      features: pool.features,
      nClasses: pool.nClasses,
      featureNames: world.featureNames,
      reference: world.reference,
      referencePredictions: world.referencePredictions,
      referenceAccuracy: world.referenceAccuracy,
      calibrator: world.calibrator,
      driftSampleSize: sampleSize,
      thresholds: settings.thresholds,
      seed: settings.seed,
    });
    this.log = new PredictionLog(options.logCapacity ?? 500);
    this.#buf = new BatchBuffers(options.batchSize ?? 256, pool.features);
    this.#rngFor = requestRngs(settings.seed);
    const recentRows = sampleSize;
    this.#recent = {
      x: new Float32Array(recentRows * pool.features),
      rows: recentRows,
      next: 0,
      size: 0,
    };
  }

  /**
   * Replaces the scenarios from the next request on (requests already served keep theirs). Each
   * request draws from its own generator, so adding a scenario that starts after the clock gives
   * exactly the run that had it from the start.
   * @throws Error naming the scenario and field when one cannot run on this data.
   */
  setScenarios(scenarios: readonly Scenario[]): void {
    const { pool, dataset } = this.world;
    this.#scenarios = compileScenarios(scenarios, {
      dataset,
      features: pool.features,
      nClasses: pool.nClasses,
      poolLabels: pool.y,
    });
  }

  /**
   * One feature's values in the last served requests (up to the drift sample size, about one
   * window at the screen's sizes), oldest first.
   */
  recentColumn(feature: number): Float64Array {
    const r = this.#recent;
    const f = this.world.pool.features;
    const out = new Float64Array(r.size);
    const start = (r.next - r.size + r.rows) % r.rows;
    for (let i = 0; i < r.size; i++) out[i] = r.x[((start + i) % r.rows) * f + feature];
    return out;
  }

  /**
   * "None lost, none doubled" over every request id handed out so far, except those a jump
   * passed over. O(requests): call it on pause or at the end, not per step.
   */
  checkLedger(): { expected: number; recorded: number; lost: number; doubled: number } {
    const pending = this.#held ? this.#held.count - this.#heldPos : 0;
    const upTo = this.traffic.nextRequestId - pending;
    const skipped = (id: number) => this.#skips.some(([a, b]) => id >= a && id < b);
    const lost = this.ledger.missing(upTo).filter((id) => !skipped(id)).length;
    const check = this.ledger.verify(0);
    return {
      expected: upTo - this.#skipped,
      recorded: this.ledger.recorded,
      lost,
      doubled: check.doubledCount,
    };
  }

  /** The scenarios in force (compiled). */
  get scenarios(): ScenarioSet {
    return this.#scenarios;
  }

  /** The simulated clock, ms since the start. */
  get simTimeMs(): number {
    return this.#clockMs;
  }
  get endMs(): number {
    return this.traffic.endMs;
  }
  /** Requests served (answered by the model). */
  get served(): number {
    return this.#served;
  }
  /** Requests passed over by a jump forward (never served, not in the ledger). */
  get skipped(): number {
    return this.#skipped;
  }
  get done(): boolean {
    return this.#clockMs >= this.traffic.endMs;
  }

  #next(): TrafficBatch | null {
    if (this.#held && this.#heldPos < this.#held.count) return this.#held;
    if (this.traffic.done) return null;
    this.#held = this.traffic.next(this.#buf.capacity);
    this.#heldPos = 0;
    return this.#held;
  }

  /**
   * Serves the requests that arrive before `untilMs` (at most `maxRequests`, in whole model
   * calls of up to the batch size), then moves the clock: to `untilMs` when none is left before
   * it (labels due arrive, finished windows close), else to the last served arrival.
   * @returns requests served in this call.
   * @throws when the endpoint fails (the clock stays where the last answered request left it).
   */
  async step(untilMs: number, maxRequests = Infinity): Promise<number> {
    if (this.#busy) throw new Error('The simulation is already stepping.');
    this.#busy = true;
    try {
      const until = Math.min(untilMs, this.traffic.endMs);
      let handled = 0;
      while (handled < maxRequests) {
        const held = this.#next();
        if (!held) break;
        let end = this.#heldPos;
        const cap = Math.min(held.count, this.#heldPos + (maxRequests - handled));
        while (end < cap && held.timeMs[end] < until) end++;
        if (end === this.#heldPos) break;
        const b = halfOpen(held, this.#heldPos, end);
        await this.#serve(b);
        this.#heldPos = end;
        handled += b.count;
        this.#clockMs = b.timeMs[b.count - 1];
      }
      const more = this.#next();
      if (!more || more.timeMs[this.#heldPos] >= until) {
        this.#clockMs = Math.max(this.#clockMs, until);
        this.monitor.advanceTo(this.#clockMs);
      }
      return handled;
    } finally {
      this.#busy = false;
    }
  }

  async #serve(b: TrafficBatch): Promise<void> {
    const p = prepareBatch(b, this.world.pool, this.#scenarios, this.#rngFor, this.#buf);
    // The buffer is reused: send a copy (it is transferred to the worker).
    const { probabilities, roundTripMs } = await this.#predict(p.x.slice(), b.count);
    const service = roundTripMs / b.count;
    for (let i = 0; i < b.count; i++) p.latencyMs[i] = this.#queue.latency(b.timeMs[i], service);
    recordBatch(b, p, probabilities, this.world.pool.nClasses, {
      monitor: this.monitor,
      ledger: this.ledger,
      log: this.log,
      versionId: this.world.versionId,
    });
    this.#served += b.count;
    const r = this.#recent;
    const f = this.world.pool.features;
    for (let i = Math.max(0, b.count - r.rows); i < b.count; i++) {
      r.x.set(p.x.subarray(i * f, (i + 1) * f), r.next * f);
      r.next = (r.next + 1) % r.rows;
      r.size = Math.min(r.size + 1, r.rows);
    }
  }

  /**
   * Jumps forward to `timeMs` without serving the requests in between (they are counted as
   * skipped; the windows they would have filled close empty, with no drift verdict). A jump
   * backwards needs a fresh Simulator (the monitor's windows cannot be undone).
   * @throws when `timeMs` is before the clock or while a step runs.
   */
  jumpForward(timeMs: number): void {
    if (this.#busy) throw new Error('Pause before jumping.');
    if (!(timeMs >= this.#clockMs)) throw new Error('A jump forward must not go back in time.');
    const t = Math.min(timeMs, this.traffic.endMs);
    const pending = this.#held ? this.#held.count - this.#heldPos : 0;
    const before = this.traffic.nextRequestId - pending;
    this.traffic.jumpTo(t);
    this.#held = null;
    this.#heldPos = 0;
    this.#skipped += this.traffic.nextRequestId - before;
    if (this.traffic.nextRequestId > before) this.#skips.push([before, this.traffic.nextRequestId]);
    this.#queue.reset();
    this.#clockMs = t;
    this.monitor.advanceTo(t);
  }
}
