import { describe, expect, it } from 'vitest';
import { fitCalibrator } from '../core/cbpe';
import { Monitor } from '../core/monitor';
import { compileScenarios, type Scenario } from '../core/scenarios';
import { runSimulation } from '../core/sim-run';
import { createTraffic } from '../core/traffic';
import { SEASONALITY, Simulator, type SimWorld } from './simulator';
import { playSimulation } from './simulator-loop';

// 40 rows, 2 features, 2 classes; the model says class = (feature 0 > 0), 90% sure.
const pool = {
  x: Float32Array.from({ length: 80 }, (_, i) => (i % 2 === 0 ? (i % 4 === 0 ? 1 : -1) : i % 7)),
  y: Int32Array.from({ length: 40 }, (_, r) => (r % 2 === 0 ? 1 : 0)),
  features: 2,
  nClasses: 2,
};
const predictSync = (x: Float32Array, rows: number) => {
  const p = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    const c = x[r * 2] > 0 ? 1 : 0;
    p[r * 2 + c] = 0.9;
    p[r * 2 + 1 - c] = 0.1;
  }
  return p;
};
const world: SimWorld = {
  versionId: 'toy@v1',
  dataset: 'tabular',
  featureNames: ['a', 'b'],
  pool,
  reference: pool.x,
  referencePredictions: Int32Array.from(pool.y),
  referenceAccuracy: 1,
  calibrator: fitCalibrator(predictSync(pool.x, 40), pool.y, 2),
};
const shift: Scenario = {
  kind: 'feature-offset',
  params: { feature: 1, offset: 50 },
  startMs: 1_800_000,
  rampMs: 0,
};
const settings = {
  seed: 5,
  requestsPerSecond: 2,
  durationSeconds: 3600,
  windowMs: 600_000,
  scenarios: [shift],
};
const predict = async (x: Float32Array, rows: number) => ({
  probabilities: predictSync(x, rows),
  roundTripMs: 0.5,
});
const noLatency = (windows: unknown) =>
  JSON.stringify(windows, (k, v: unknown) => (k === 'latency' ? undefined : v));

describe('Simulator', () => {
  it('gives the same windows as the pure batched path, however it is stepped', async () => {
    const sim = new Simulator(world, settings, predict, { batchSize: 50, driftSampleSize: 40 });
    for (let t = 0; !sim.done; t += 97_000) await sim.step(t, 120);
    expect(sim.monitor.windows.length).toBe(6);
    expect(sim.ledger.verify(sim.served).ok).toBe(true);

    const monitor = new Monitor({
      windowMs: 600_000,
      features: 2,
      nClasses: 2,
      featureNames: ['a', 'b'],
      reference: pool.x,
      referencePredictions: world.referencePredictions,
      referenceAccuracy: 1,
      calibrator: world.calibrator,
      driftSampleSize: 40,
      seed: 5,
    });
    const traffic = createTraffic({
      seed: 5,
      ratePerSecond: 2,
      durationSeconds: 3600,
      seasonality: SEASONALITY,
      users: 1000,
      poolSize: 40,
    });
    const scenarios = compileScenarios([shift], {
      ...pool,
      dataset: 'tabular',
      poolLabels: pool.y,
    });
    const r = runSimulation({
      seed: 5,
      traffic,
      pool,
      scenarios,
      predict: predictSync,
      versionId: 'x',
      monitor,
    });
    expect(r.requests).toBe(sim.served);
    expect(noLatency(sim.monitor.windows)).toBe(noLatency(monitor.windows));
    // The shift at 30 min drifts feature b in windows 3, 4 and 5 only.
    expect(sim.monitor.windows.map((w) => (w.drift?.flags[1] ? 1 : 0)).join('')).toBe('000111');
  });

  it('charges each request its share of the measured call plus the queue wait', async () => {
    const slow = async (x: Float32Array, rows: number) => ({
      probabilities: predictSync(x, rows),
      roundTripMs: 100 * rows, // 100 ms per request: a queue builds up at 2 requests/s
    });
    const sim = new Simulator(world, { ...settings, scenarios: [] }, slow, { batchSize: 16 });
    await sim.step(600_000);
    const recs = sim.log.records();
    expect(recs.every((r) => r.latencyMs >= 100)).toBe(true);
    expect(recs.some((r) => r.latencyMs > 100)).toBe(true);
  });

  it('jumps forward without serving the gap, and counts what it skipped', async () => {
    const sim = new Simulator(world, settings, predict);
    await sim.step(300_000);
    const before = sim.served;
    sim.jumpForward(2_400_000);
    expect(sim.simTimeMs).toBe(2_400_000);
    await sim.step(Infinity);
    expect(sim.done).toBe(true);
    expect(sim.skipped).toBeGreaterThan(2000);
    expect(sim.served + sim.skipped).toBe(sim.traffic.nextRequestId);
    expect(sim.ledger.recorded).toBe(sim.served);
    const w = sim.monitor.windows;
    expect(w[1].requests).toBe(0);
    expect(w[0].requests).toBe(before);
    expect(() => sim.jumpForward(0)).toThrow(/back in time/);
  });

  it('surfaces an endpoint failure from step', async () => {
    const broken = async () => {
      throw new Error('The runtime failed: boom');
    };
    const sim = new Simulator(world, settings, broken);
    await expect(sim.step(600_000)).rejects.toThrow(/boom/);
    expect(sim.served).toBe(0);
  });
});

describe('playSimulation', () => {
  it('paces simulated time by the speed, and runs to the end at max', async () => {
    let clock = 0;
    const sim = new Simulator(world, settings, predict);
    const controller = new AbortController();
    let speed: number | 'max' = 60; // a simulated minute per real second
    const sleeps: number[] = [];
    const result = playSimulation(sim, {
      speed: () => speed,
      signal: controller.signal,
      onProgress: () => undefined,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
        if (clock >= 10_000) speed = 'max';
      },
    });
    expect(await result).toBe('done');
    expect(sim.done).toBe(true);
    expect(sleeps.filter((ms) => ms === 16).length).toBeGreaterThan(100); // it waited on the pace
    expect(sim.ledger.verify(sim.served).ok).toBe(true);
  });

  it('stops when aborted', async () => {
    const sim = new Simulator(world, settings, predict);
    const controller = new AbortController();
    controller.abort();
    const r = await playSimulation(sim, {
      speed: () => 'max',
      signal: controller.signal,
      onProgress: () => undefined,
    });
    expect(r).toBe('aborted');
    expect(sim.served).toBe(0);
  });
});

describe('Simulator extras', () => {
  it('takes new scenarios mid-run, keeps recent rows, and checks its ledger around a jump', async () => {
    const sim = new Simulator(world, { ...settings, scenarios: [] }, predict, {
      driftSampleSize: 30,
    });
    await sim.step(600_000);
    sim.setScenarios([{ ...shift, startMs: 600_000 }]);
    expect(() => sim.setScenarios([{ ...shift, params: { feature: 9, offset: 1 } }])).toThrow(
      /feature must be/,
    );
    sim.jumpForward(1_200_000);
    await sim.step(1_800_000);
    const col = sim.recentColumn(1);
    expect(col.length).toBe(30);
    expect(col.every((v) => v >= 50)).toBe(true); // offset applies after it was added
    expect(sim.checkLedger()).toEqual({
      expected: sim.served,
      recorded: sim.served,
      lost: 0,
      doubled: 0,
    });
  });
});
