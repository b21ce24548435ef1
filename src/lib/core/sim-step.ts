/**
 * One step of a simulation, shared by the batched pure path (sim-run.ts) and the app's live path
 * (engine/simulator.ts, which sends the batch through the real serving endpoint): turn a batch
 * of traffic into the features the model sees (scenarios applied per request, each request with
 * its own generator), then, once the model has answered, feed the monitor, the ledger and the
 * log. Also the single-server queue that turns measured service times into simulated latency.
 */
import type { Monitor, Observation } from './monitor';
import type { PredictionLog, RequestLedger } from './prediction-log';
import type { Rng } from './rng';
import { applyScenarios, labelArrival, labelFor, sampleRow, type ScenarioSet } from './scenarios';
import type { TrafficBatch } from './sim-traffic-types';

/** The production pool: row-major features [rows, features] and labels. */
export type SimPool = { x: Float32Array; y: ArrayLike<number>; features: number; nClasses: number };

/** A batch ready for the model: features and the per-request truths the monitor needs later. */
export type PreparedBatch = {
  count: number;
  /** Row-major [count, features] (a view of a reused buffer: copy before transferring). */
  x: Float32Array;
  /** True label of each request (after concept drift). */
  labels: Int32Array;
  /** When each label reaches the monitor, simulated ms; NaN: never. */
  arrivals: Float64Array;
  /** Simulated latency of each request, ms (from `latencyMs`, or filled in by the caller). */
  latencyMs: Float64Array;
};

/** Reusable buffers for batches of up to `capacity` requests. */
export class BatchBuffers {
  readonly capacity: number;
  readonly #f: number;
  #rows: Float32Array[] = [];
  #pool: SimPool | null = null;
  readonly x: Float32Array;
  readonly labels: Int32Array;
  readonly arrivals: Float64Array;
  readonly latencyMs: Float64Array;
  readonly #out: Float32Array;

  constructor(capacity: number, features: number) {
    if (!(Number.isInteger(capacity) && capacity >= 1))
      throw new Error(`batch capacity must be an integer >= 1, got ${capacity}`);
    this.capacity = capacity;
    this.#f = features;
    this.x = new Float32Array(capacity * features);
    this.labels = new Int32Array(capacity);
    this.arrivals = new Float64Array(capacity);
    this.latencyMs = new Float64Array(capacity);
    this.#out = new Float32Array(features);
  }

  /** Views of each pool row (built once per pool). */
  rowsOf(pool: SimPool): Float32Array[] {
    if (this.#pool !== pool) {
      const f = pool.features;
      this.#rows = Array.from({ length: pool.y.length }, (_, r) =>
        pool.x.subarray(r * f, (r + 1) * f),
      );
      this.#pool = pool;
    }
    return this.#rows;
  }

  get scratch(): Float32Array {
    return this.#out;
  }

  get features(): number {
    return this.#f;
  }
}

/**
 * Per request, in this order (the order fixes the draws, so a run replays exactly): the pool row
 * (prior shift may re-draw it), the features after scenarios, the true label, the label's
 * arrival, and the simulated latency when `latencyMs` is given.
 * @param rngFor the request's own generator (`requestRngs(seed)`).
 */
export function prepareBatch(
  b: TrafficBatch,
  pool: SimPool,
  scenarios: ScenarioSet,
  rngFor: (requestId: number) => Rng,
  buf: BatchBuffers,
  latencyMs?: (rng: Rng) => number,
): PreparedBatch {
  if (b.count > buf.capacity)
    throw new Error(`batch of ${b.count} requests exceeds the buffers' ${buf.capacity}`);
  const f = pool.features;
  const rows = buf.rowsOf(pool);
  const out = buf.scratch;
  for (let i = 0; i < b.count; i++) {
    const t = b.timeMs[i];
    const rng = rngFor(b.requestId[i]);
    const row = sampleRow(scenarios, b.row[i], t, rng);
    applyScenarios(rows[row], out, scenarios, t, rng, pool.y[row]);
    buf.x.set(out, i * f);
    buf.labels[i] = labelFor(scenarios, pool.y[row], t, rng);
    buf.arrivals[i] = labelArrival(scenarios, t, rng) ?? NaN;
    buf.latencyMs[i] = latencyMs ? latencyMs(rng) : 0;
  }
  return {
    count: b.count,
    x: buf.x.subarray(0, b.count * f),
    labels: buf.labels,
    arrivals: buf.arrivals,
    latencyMs: buf.latencyMs,
  };
}

/** Where a step's answers go. */
export type StepSinks = {
  monitor: Monitor;
  versionId: string;
  ledger?: RequestLedger;
  log?: PredictionLog;
};

const obs: Observation = { timeMs: 0 };

/**
 * Feeds the model's answers for a prepared batch to the monitor, the ledger and the log (only the
 * batch's last `log.capacity` requests reach the log: older ones would be pushed out anyway).
 * @param probs row-major [count, nClasses] probabilities.
 */
export function recordBatch(
  b: TrafficBatch,
  p: PreparedBatch,
  probs: ArrayLike<number>,
  nClasses: number,
  sinks: StepSinks,
): void {
  const { monitor, ledger, log, versionId } = sinks;
  const k = nClasses;
  const f = p.x.length / Math.max(1, p.count);
  obs.features = p.x;
  for (let i = 0; i < p.count; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + best]) best = c;
    const arrived = !Number.isNaN(p.arrivals[i]);
    obs.timeMs = b.timeMs[i];
    obs.featuresOffset = i * f;
    obs.predicted = best;
    obs.confidence = Math.min(1, probs[i * k + best]);
    obs.latencyMs = p.latencyMs[i];
    obs.label = arrived ? p.labels[i] : undefined;
    obs.labelAtMs = arrived ? p.arrivals[i] : undefined;
    monitor.record(obs);
    ledger?.record(b.requestId[i], versionId);
    if (log && p.count - i <= log.capacity) {
      log.push({
        requestId: b.requestId[i],
        timeMs: obs.timeMs,
        versionId,
        predicted: best,
        confidence: obs.confidence,
        latencyMs: p.latencyMs[i],
        ...(arrived ? { label: p.labels[i], labelAtMs: p.arrivals[i] } : {}),
      });
    }
  }
  obs.features = undefined;
}

/**
 * One server, first come first served (Lindley's recursion): a request waits until the server is
 * free, then takes its service time. Simulated latency = queue wait + service time (CONTRACTS).
 */
export class ServiceQueue {
  #freeAtMs = -Infinity;

  /**
   * @param arrivalMs simulated arrival, ms (non-decreasing across calls).
   * @param serviceMs measured service time of this request, ms (>= 0).
   * @returns the simulated latency, ms.
   */
  latency(arrivalMs: number, serviceMs: number): number {
    if (!(serviceMs >= 0 && serviceMs < Infinity))
      throw new Error(`service time must be >= 0 ms, got ${serviceMs}`);
    const start = Math.max(arrivalMs, this.#freeAtMs);
    this.#freeAtMs = start + serviceMs;
    return start - arrivalMs + serviceMs;
  }

  /** Forgets the backlog (a jump in simulated time). */
  reset(): void {
    this.#freeAtMs = -Infinity;
  }
}
