import { describe, expect, it } from 'vitest';
import { Monitor } from './monitor';
import { PredictionLog, RequestLedger } from './prediction-log';
import { compileScenarios, type Scenario } from './scenarios';
import { runSimulation } from './sim-run';
import { createTraffic } from './traffic';

// A tabular pool of 40 rows, 2 features, 2 classes; the model predicts class = (feature 0 > 0).
const pool = {
  x: Float32Array.from({ length: 80 }, (_, i) => (i % 2 === 0 ? (i % 4 === 0 ? 1 : -1) : i)),
  y: Int32Array.from({ length: 40 }, (_, r) => (r % 2 === 0 ? 1 : 0)),
  features: 2,
  nClasses: 2,
};
const predict = (x: Float32Array, rows: number) => {
  const p = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) p[r * 2 + (x[r * 2] > 0 ? 1 : 0)] = 1;
  return p;
};
const late: Scenario = {
  kind: 'delayed-labels',
  params: { delaySeconds: 60, fraction: 0.5 },
  startMs: 0,
  rampMs: 0,
};

function run(batchSize: number, maxRequests?: number) {
  const traffic = createTraffic({
    seed: 2,
    ratePerSecond: 10,
    durationSeconds: 600,
    users: 5,
    poolSize: 40,
  });
  const monitor = new Monitor({
    windowMs: 60_000,
    features: 2,
    nClasses: 2,
    reference: pool.x,
    referenceAccuracy: 1,
    seed: 1,
  });
  const ledger = new RequestLedger();
  const log = new PredictionLog(50);
  const scenarios = compileScenarios([late], {
    dataset: 'tabular',
    features: 2,
    nClasses: 2,
    poolLabels: pool.y,
  });
  const spec = {
    seed: 4,
    traffic,
    pool,
    scenarios,
    predict,
    versionId: 'v7',
    monitor,
    ledger,
    log,
    batchSize,
    maxRequests,
  };
  return { ...runSimulation(spec), traffic, monitor, ledger, log, spec };
}

describe('runSimulation', () => {
  it('serves every request once, logs the last ones, and closes the last window', () => {
    const r = run(64);
    expect(r.done).toBe(true);
    expect(r.ledger.verify(r.requests).ok).toBe(true);
    expect(r.monitor.windows.length).toBe(10);
    expect(r.monitor.windows.reduce((s, w) => s + w.requests, 0)).toBe(r.requests);
    const recs = r.log.records();
    expect(recs.length).toBe(50);
    expect(recs[49].requestId).toBe(r.requests - 1);
    expect(recs.every((x) => x.versionId === 'v7')).toBe(true);
    // Half the labels never arrive; the others arrive a minute later.
    const labelled = recs.filter((x) => x.label !== undefined);
    expect(labelled.every((x) => x.labelAtMs === x.timeMs + 60_000)).toBe(true);
    expect(labelled.length).toBeGreaterThan(10);
    expect(labelled.length).toBeLessThan(40);
    expect(labelled.every((x) => x.predicted === x.label)).toBe(true); // a perfect model here
  });

  it('gives the same windows whatever the batch size', () => {
    expect(JSON.stringify(run(7).monitor.windows)).toBe(JSON.stringify(run(1024).monitor.windows));
  });

  it('stops after maxRequests (whole batches) and goes on from there', () => {
    const r = run(100, 1000);
    expect(r.requests).toBe(1000);
    expect(r.done).toBe(false);
    const rest = runSimulation({ ...r.spec, maxRequests: undefined });
    expect(rest.done).toBe(true);
    expect(r.ledger.verify(1000 + rest.requests).ok).toBe(true);
  });
});
