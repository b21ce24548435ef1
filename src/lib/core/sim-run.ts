/**
 * The simulator's batched path, pure: traffic -> scenarios -> model -> ledger, log and monitor,
 * for long runs, tests and the benchmark. The app's live path sends requests through the real
 * serving endpoint instead; both give every request its own generator (`requestRngs`), so a
 * request's row, features, label and label delay do not depend on how the run was batched.
 */
import type { Monitor, Observation } from './monitor';
import type { PredictionLog, RequestLedger } from './prediction-log';
import type { Rng } from './rng';
import { applyScenarios, labelArrival, labelFor, sampleRow, type ScenarioSet } from './scenarios';
import { requestRngs } from './sim-random';
import type { Traffic } from './traffic';

export type SimulationSpec = {
  /** Seeds the per-request generators. */
  seed: number;
  traffic: Traffic;
  /** The production pool: row-major features [rows, features] and labels. */
  pool: { x: Float32Array; y: ArrayLike<number>; features: number; nClasses: number };
  scenarios: ScenarioSet;
  /** Probabilities for `rows` rows of features: row-major [rows, nClasses]. */
  predict: (x: Float32Array, rows: number) => Float32Array;
  /** The version that answers (recorded in the ledger and the log). */
  versionId: string;
  monitor: Monitor;
  ledger?: RequestLedger;
  log?: PredictionLog;
  /** Simulated latency of one request (queue wait + service time), ms; default 1. */
  latencyMs?: (rng: Rng) => number;
  /** Requests per model call (default 1024). */
  batchSize?: number;
  /** Stop after about this many requests (whole batches); call again to go on. */
  maxRequests?: number;
};

/**
 * Runs traffic until it ends (or `maxRequests`), then moves the monitor's clock to the end of
 * the traffic so that the last full window closes.
 * @returns requests handled in this call, and whether the traffic is over.
 */
export function runSimulation(spec: SimulationSpec): { requests: number; done: boolean } {
  const { traffic, pool, scenarios, monitor, ledger, log } = spec;
  const f = pool.features;
  const k = pool.nClasses;
  const batchSize = spec.batchSize ?? 1024;
  const rngFor = requestRngs(spec.seed);
  const latency = spec.latencyMs ?? (() => 1);
  const rows = Array.from({ length: pool.y.length }, (_, r) => pool.x.subarray(r * f, (r + 1) * f));
  const out = new Float32Array(f);
  const x = new Float32Array(batchSize * f);
  const labels = new Int32Array(batchSize);
  const arrivals = new Float64Array(batchSize);
  const lat = new Float64Array(batchSize);
  const obs: Observation = { timeMs: 0, features: x };
  let handled = 0;
  while (!traffic.done && handled < (spec.maxRequests ?? Infinity)) {
    const b = traffic.next(batchSize);
    for (let i = 0; i < b.count; i++) {
      const t = b.timeMs[i];
      const rng = rngFor(b.requestId[i]);
      const row = sampleRow(scenarios, b.row[i], t, rng);
      applyScenarios(rows[row], out, scenarios, t, rng, pool.y[row]);
      x.set(out, i * f);
      labels[i] = labelFor(scenarios, pool.y[row], t, rng);
      arrivals[i] = labelArrival(scenarios, t, rng) ?? NaN;
      lat[i] = latency(rng);
    }
    const probs = spec.predict(x, b.count);
    for (let i = 0; i < b.count; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + best]) best = c;
      const arrived = !Number.isNaN(arrivals[i]);
      obs.timeMs = b.timeMs[i];
      obs.featuresOffset = i * f;
      obs.predicted = best;
      obs.confidence = Math.min(1, probs[i * k + best]);
      obs.latencyMs = lat[i];
      obs.label = arrived ? labels[i] : undefined;
      obs.labelAtMs = arrived ? arrivals[i] : undefined;
      monitor.record(obs);
      ledger?.record(b.requestId[i], spec.versionId);
      if (log && b.count - i <= log.capacity) {
        log.push({
          requestId: b.requestId[i],
          timeMs: obs.timeMs,
          versionId: spec.versionId,
          predicted: best,
          confidence: obs.confidence,
          latencyMs: lat[i],
          ...(arrived ? { label: labels[i], labelAtMs: arrivals[i] } : {}),
        });
      }
    }
    handled += b.count;
  }
  if (traffic.done) monitor.advanceTo(traffic.endMs);
  return { requests: handled, done: traffic.done };
}
