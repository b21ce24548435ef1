/**
 * The simulator's batched path, pure: traffic -> scenarios -> model -> ledger, log and monitor,
 * for long runs, tests and the benchmark. The app's live path sends requests through the real
 * serving endpoint instead; both give every request its own generator (`requestRngs`), so a
 * request's row, features, label and label delay do not depend on how the run was batched.
 */
import type { Monitor } from './monitor';
import type { PredictionLog, RequestLedger } from './prediction-log';
import type { Rng } from './rng';
import type { ScenarioSet } from './scenarios';
import { requestRngs } from './sim-random';
import { BatchBuffers, prepareBatch, recordBatch, type SimPool } from './sim-step';
import type { Traffic } from './traffic';

export type SimulationSpec = {
  /** Seeds the per-request generators. */
  seed: number;
  traffic: Traffic;
  /** The production pool: row-major features [rows, features] and labels. */
  pool: SimPool;
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
  const { traffic, pool, scenarios, monitor } = spec;
  const buf = new BatchBuffers(spec.batchSize ?? 1024, pool.features);
  const rngFor = requestRngs(spec.seed);
  const latency = spec.latencyMs ?? (() => 1);
  let handled = 0;
  while (!traffic.done && handled < (spec.maxRequests ?? Infinity)) {
    const b = traffic.next(buf.capacity);
    const p = prepareBatch(b, pool, scenarios, rngFor, buf, latency);
    recordBatch(b, p, spec.predict(p.x, b.count), pool.nClasses, spec);
    handled += b.count;
  }
  if (traffic.done) monitor.advanceTo(traffic.endMs);
  return { requests: handled, done: traffic.done };
}
