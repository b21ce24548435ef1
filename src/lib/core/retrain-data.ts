/**
 * The data of a retrain, regenerated from a saved simulation: the simulator is deterministic
 * (seeded traffic, one generator per request), so the labelled production requests of any time
 * range can be rebuilt exactly, features, true label and the time that label arrives included.
 *
 * Two rules keep the comparison honest:
 * - no peeking: a request trains the new model only if its label has ARRIVED by the retrain time
 *   T (delayed labels are not known yet; missing labels never are);
 * - a holdout traffic never trained on: the production pool's rows are split once (seeded,
 *   stratified) into a training half and a holdout half. Training requests come from the first
 *   half before T, holdout requests from the second half after T, so no holdout answer rests on
 *   a digit (or patient) the new model saw in training, even transformed.
 */
import { compileScenarios, type Scenario, type ScenarioSet } from './scenarios';
import { applyScenarios, labelArrival, labelFor, sampleRow } from './scenarios';
import { requestRngs } from './sim-random';
import type { SimPool } from './sim-step';
import { stratifiedSplit } from './split';
import { createTraffic, type TrafficBatch, type TrafficConfig } from './traffic';

/** Where the simulated traffic came from: what `createTraffic` and the scenarios need. */
export type TrafficSource = {
  /** The run's traffic (its `poolSize` is the pool's row count). */
  traffic: TrafficConfig;
  /** The run's scenarios (those in force at each request's time apply to it). */
  scenarios: readonly Scenario[];
  dataset: 'digits' | 'tabular';
  pool: SimPool;
};

/** One regenerated request: the pool row actually drawn, its true label and label arrival. */
export type RegeneratedRequest = {
  requestId: number;
  timeMs: number;
  /** Pool row after prior shift (the row whose features were transformed). */
  row: number;
  label: number;
  /** Simulated ms the label reaches the monitor; NaN: never. */
  labelAtMs: number;
};

/** Labelled rows: row-major features [rows, features], labels, and which requests they were. */
export type LabelledRows = {
  x: Float32Array;
  y: Int32Array;
  rows: number;
  requestIds: Float64Array;
  /** The simulated window the requests came from, [start, end) ms. */
  windowMs: [number, number];
};

/** Share of the pool kept for the holdout (stratified by class). */
export const HOLDOUT_POOL_SHARE = 0.5;

/**
 * Which pool rows belong to the holdout half: 1 = holdout, 0 = training. Seeded and stratified
 * (`stratifiedSplit`), so every class is in both halves.
 */
export function holdoutMask(poolLabels: ArrayLike<number>, seed: number): Uint8Array {
  const parts = stratifiedSplit(
    poolLabels,
    { train: 1 - HOLDOUT_POOL_SHARE, holdout: HOLDOUT_POOL_SHARE },
    seed,
  );
  const mask = new Uint8Array(poolLabels.length);
  for (const r of parts.holdout) mask[r] = 1;
  return mask;
}

/** Compiles the source's scenarios against its pool. */
export function compileSource(src: TrafficSource): ScenarioSet {
  return compileScenarios(src.scenarios, {
    dataset: src.dataset,
    features: src.pool.features,
    nClasses: src.pool.nClasses,
    poolLabels: src.pool.y,
  });
}

/**
 * Regenerates request i of a traffic batch into `out`, with exactly the draws, in exactly the
 * order, of the live path (`prepareBatch` in sim-step.ts): pool row, features, label, arrival.
 * (The latency draw comes last there, so leaving it out changes nothing before it.)
 */
export function regenerate(
  b: TrafficBatch,
  i: number,
  pool: SimPool,
  set: ScenarioSet,
  rngFor: ReturnType<typeof requestRngs>,
  out: Float32Array,
): RegeneratedRequest {
  const f = pool.features;
  const t = b.timeMs[i];
  const rng = rngFor(b.requestId[i]);
  const row = sampleRow(set, b.row[i], t, rng);
  applyScenarios(pool.x.subarray(row * f, (row + 1) * f), out, set, t, rng, pool.y[row]);
  const label = labelFor(set, pool.y[row], t, rng);
  const labelAtMs = labelArrival(set, t, rng) ?? NaN;
  return { requestId: b.requestId[i], timeMs: t, row, label, labelAtMs };
}

/**
 * Visits every request with `fromMs <= time < toMs` (in time order) until `visit` returns false.
 * `features` is a reused buffer: copy what you keep.
 */
export function scanRequests(
  src: TrafficSource,
  fromMs: number,
  toMs: number,
  visit: (r: RegeneratedRequest, features: Float32Array, b: TrafficBatch, i: number) => boolean,
): void {
  const set = compileSource(src);
  const rngFor = requestRngs(src.traffic.seed);
  const traffic = createTraffic(src.traffic);
  traffic.jumpTo(fromMs);
  const out = new Float32Array(src.pool.features);
  while (!traffic.done) {
    const b = traffic.next(1024);
    for (let i = 0; i < b.count; i++) {
      if (b.timeMs[i] >= toMs) return;
      if (!visit(regenerate(b, i, src.pool, set, rngFor, out), out, b, i)) return;
    }
  }
}

/** Rows picked by index from a candidate list, as {@link LabelledRows}. */
export function rowsOf(
  features: number,
  picked: readonly { id: number; x: Float32Array; label: number }[],
  windowMs: [number, number],
): LabelledRows {
  const x = new Float32Array(picked.length * features);
  picked.forEach((p, k) => x.set(p.x, k * features));
  return {
    x,
    y: Int32Array.from(picked, (p) => p.label),
    rows: picked.length,
    requestIds: Float64Array.from(picked, (p) => p.id),
    windowMs,
  };
}

/**
 * The fresh holdout: requests from `atMs` on (the scenarios in force then apply), drawn from
 * the holdout half of the pool, whose labels arrive at some point (missing labels never do),
 * until `size` rows or `maxWindowMs` of simulated time. Never used in training.
 * @param src its traffic may run past the saved run's end: pass a longer `durationSeconds`.
 */
export function buildHoldout(
  src: TrafficSource,
  mask: Uint8Array,
  atMs: number,
  size: number,
  maxWindowMs: number,
): LabelledRows {
  if (!(Number.isInteger(size) && size >= 1))
    throw new Error(`holdout size must be an integer >= 1, got ${size}`);
  const picked: { id: number; x: Float32Array; label: number }[] = [];
  let end = atMs;
  scanRequests(src, atMs, atMs + maxWindowMs, (r, features) => {
    end = r.timeMs;
    if (mask[r.row] === 1 && !Number.isNaN(r.labelAtMs))
      picked.push({ id: r.requestId, x: features.slice(), label: r.label });
    return picked.length < size;
  });
  // Window end: just past the last request looked at when the holdout filled up, else the limit.
  const last = picked.length === size ? end + 1 : atMs + maxWindowMs;
  return rowsOf(src.pool.features, picked, [atMs, last]);
}
