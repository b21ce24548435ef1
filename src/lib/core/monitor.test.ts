import { describe, expect, it } from 'vitest';
import { fitCalibrator } from './cbpe';
import { Monitor, type MonitorConfig, type Observation } from './monitor';
import { createRng } from './rng';

const W = 60_000;
const F = 4;
const rng = createRng(1);
const reference = Float32Array.from({ length: 400 * F }, () => rng.normal());
const config: MonitorConfig = {
  windowMs: W,
  features: F,
  nClasses: 3,
  reference,
  referenceAccuracy: 0.9,
  seed: 1,
  minDriftRows: 20,
};
/** A served request at time t, features N(shift, 1). */
const ok = (t: number, extra: Partial<Observation> = {}, shift = 0): Observation => ({
  timeMs: t,
  features: Float32Array.from({ length: F }, () => shift + rng.normal()),
  predicted: 1,
  confidence: 0.95,
  latencyMs: 2,
  ...extra,
});

describe('Monitor windows', () => {
  it('counts requests, outcomes, latencies, class mix and confidences per window', () => {
    const m = new Monitor({ ...config, confidenceBins: 4 });
    const served = (from: number, to: number) => {
      for (let i = from; i < to; i++) m.record(ok(i * 1000, { predicted: i % 3, latencyMs: i }));
    };
    served(0, 60);
    m.record({ timeMs: 59_500, outcome: 'error', latencyMs: 500 });
    m.record({ timeMs: 59_800, outcome: 'rejected' });
    served(60, 100);
    m.advanceTo(3 * W);
    const [w0, w1, w2] = m.windows;
    expect(m.windows.length).toBe(3);
    expect(w0).toMatchObject({ index: 0, endMs: W, requests: 62, errors: 1, rejections: 1 });
    expect(w0.ratePerSecond).toBeCloseTo(62 / 60, 9);
    expect(w0.errorRate).toBeCloseTo(1 / 62, 9);
    expect(w0.classMix).toEqual([20, 20, 20]);
    expect(w0.confidenceHistogram).toEqual([0, 0, 0, 60]);
    expect(w0.latency).toMatchObject({ n: 61, max: 500, min: 0 });
    expect(w1).toMatchObject({ requests: 40, errors: 0, classMix: [14, 13, 13] });
    expect(w2).toMatchObject({
      requests: 0,
      errorRate: null,
      latency: null,
      cbpe: null,
      drift: null,
    });
  });

  it('counts delayed labels when they ARRIVE, and revises a window once they do', () => {
    const m = new Monitor(config);
    // Window 0: 10 right answers known at once, 10 wrong ones whose labels arrive at 90 s.
    for (let i = 0; i < 10; i++) m.record(ok(i * 1000, { label: 1 }));
    for (let i = 0; i < 10; i++) m.record(ok(20_000 + i, { label: 2, labelAtMs: 90_000 }));
    m.advanceTo(2 * W);
    const [w0, w1] = m.windows;
    expect(w0.accuracy).toEqual({ labels: 10, correct: 10, accuracy: 1 });
    expect(w0.ownAccuracy).toEqual({ labels: 10, correct: 10, accuracy: 1 });
    expect(w1.accuracy).toEqual({ labels: 10, correct: 0, accuracy: 0 });
    expect(m.revisedAccuracy(0)).toEqual({ labels: 20, correct: 10, accuracy: 0.5 });
    expect(m.revisedAccuracy(9)).toEqual({ labels: 0, correct: 0, accuracy: null });
  });

  it('estimates accuracy without labels (CBPE) from calibrated confidences', () => {
    // A calibrator that maps every confidence to 0.6 (validation: right 60% of the time).
    const cal = fitCalibrator(
      [0.2, 0.8, 0, 0.2, 0.8, 0, 0.2, 0.8, 0, 0.2, 0.8, 0, 0.2, 0.8, 0],
      [1, 1, 0, 0, 1],
      3,
    );
    const m = new Monitor({ ...config, calibrator: cal });
    const raw = new Monitor(config);
    for (let i = 0; i < 30; i++)
      [m, raw].forEach((x) => x.record(ok(i * 1000, { confidence: 0.8 })));
    [m, raw].forEach((x) => x.advanceTo(W));
    expect(m.windows[0].cbpe).toBeCloseTo(0.6, 9);
    expect(raw.windows[0].cbpe).toBeCloseTo(0.8, 9);
  });

  it('tests drift on a reservoir sample of at most driftSampleSize rows', () => {
    const m = new Monitor({ ...config, driftSampleSize: 50, featureNames: ['a', 'b', 'c', 'd'] });
    for (let i = 0; i < 300; i++) m.record(ok(i * 200));
    for (let i = 0; i < 300; i++) m.record(ok(W + i * 200, {}, 1.5));
    m.advanceTo(2 * W);
    const [calm, shifted] = m.windows;
    expect(calm.drift?.rows).toBe(50);
    expect(calm.drift?.methods).toEqual(['ks', 'ks', 'ks', 'ks']);
    expect(calm.drift?.driftedShare).toBeLessThan(0.5);
    expect(shifted.drift).toMatchObject({
      driftedShare: 1,
      drifted: true,
      flags: [true, true, true, true],
    });
    expect(m.lastDrift?.columns[0].details.rule.currentSize).toBe(50);
    expect(m.alerts.map((a) => [a.rule, a.state, a.window])).toEqual([['data-drift', 'firing', 1]]);
    expect(m.alerts[0].message).toMatch(/4 of 4 features drifted .*: a, b, c, d/);
  });

  it('flags the predicted-class mix against the reference predictions', () => {
    const m = new Monitor({
      ...config,
      referencePredictions: Int32Array.from({ length: 400 }, (_, i) => i % 3),
    });
    for (let i = 0; i < 300; i++) m.record(ok(i * 200, { predicted: i % 3 }));
    for (let i = 0; i < 300; i++) m.record(ok(W + i * 200, { predicted: i % 5 === 0 ? 0 : 2 }));
    m.advanceTo(2 * W);
    expect(m.windows.map((w) => w.predictionDrift?.drifted)).toEqual([false, true]);
    expect(m.windows[1].predictionDrift?.method).toBe('chisquare');
  });

  it('fires the prediction-drift alert while the class mix has drifted, with hysteresis', () => {
    const m = new Monitor({
      ...config,
      referencePredictions: Int32Array.from({ length: 400 }, (_, i) => i % 3),
    });
    // Windows 0 and 4 match the reference mix; 1 to 3 predict mostly class 2 (a prior shift).
    const shifted = [false, true, true, true, false];
    shifted.forEach((s, w) => {
      for (let i = 0; i < 300; i++)
        m.record(ok(w * W + i * 200, { predicted: s ? (i % 5 === 0 ? 0 : 2) : i % 3 }));
    });
    m.advanceTo(shifted.length * W);
    const pred = m.alerts.filter((a) => a.rule === 'prediction-drift');
    expect(pred.map((a) => `${a.state}@${a.window}`)).toEqual(['firing@1', 'resolved@4']);
    // Its threshold is the test's: chi-square p-value 0.05 (400 reference rows <= 1,000).
    expect(pred[0]).toMatchObject({ threshold: 0.05 });
    expect(pred[0].value).toBeLessThan(0.05);
    expect(pred[1].value).toBeGreaterThanOrEqual(0.05);
    expect(pred[0].message).toMatch(/Prediction drift firing: predicted-class mix .*chi-square/);
    expect(m.activeAlerts).toEqual([]);
  });

  it('never judges prediction drift without reference predictions', () => {
    const m = new Monitor(config);
    for (let i = 0; i < 300; i++) m.record(ok(i * 200, { predicted: 2 }));
    m.advanceTo(W);
    expect(m.windows[0].predictionDrift).toBeNull();
    expect(m.alerts.filter((a) => a.rule === 'prediction-drift')).toEqual([]);
  });
});

describe('Monitor alerts', () => {
  it('fires once when a condition starts and resolves once when it ends (hysteresis)', () => {
    const m = new Monitor({ ...config, thresholds: { p99LatencyMs: 50 } });
    const slow = [false, false, true, true, true, false, false];
    slow.forEach((s, w) => {
      for (let i = 0; i < 100; i++) m.record(ok(w * W + i * 100, { latencyMs: s ? 80 : 5 }));
    });
    m.advanceTo(slow.length * W);
    const p99 = m.alerts.filter((a) => a.rule === 'p99-latency');
    expect(p99.map((a) => [a.state, a.atMs, a.window])).toEqual([
      ['firing', 3 * W, 2],
      ['resolved', 6 * W, 5],
    ]);
    expect(p99[0]).toMatchObject({ value: 80, threshold: 50 });
    expect(m.activeAlerts).toEqual([]);
  });

  it('uses thresholds the learner sets mid-run; windows without evidence keep the state', () => {
    const m = new Monitor(config);
    for (let i = 0; i < 100; i++) m.record(ok(i * 100, i < 3 ? { outcome: 'error' } : {}));
    m.advanceTo(W);
    expect(m.activeAlerts).toEqual(['error-rate']);
    m.advanceTo(3 * W); // two empty windows: no evidence either way
    expect(m.activeAlerts).toEqual(['error-rate']);
    m.setThresholds({ errorRate: 0.05 });
    for (let i = 0; i < 100; i++) m.record(ok(3 * W + i * 100, i < 3 ? { outcome: 'error' } : {}));
    m.advanceTo(4 * W);
    expect(m.alerts.map((a) => `${a.rule}:${a.state}@${a.window}`)).toEqual([
      'error-rate:firing@0',
      'error-rate:resolved@3',
    ]);
    expect(() => m.setThresholds({ driftShare: 0 })).toThrow(/driftShare/);
  });

  it('judges accuracy only with enough arrived labels', () => {
    const m = new Monitor({ ...config, thresholds: { minLabels: 20, accuracyDropPoints: 10 } });
    for (let i = 0; i < 10; i++) m.record(ok(i * 100, { label: 0 }));
    for (let i = 0; i < 40; i++) m.record(ok(W + i * 100, { label: i < 28 ? 1 : 0 }));
    m.advanceTo(2 * W);
    expect(m.alerts.map((a) => [a.rule, a.window, a.value])).toEqual([
      ['accuracy-drop', 1, expect.closeTo(20, 9)],
    ]);
  });
});

describe('Monitor input checks', () => {
  it('refuses a bad config or observation, naming the field', () => {
    expect(() => new Monitor({ ...config, windowMs: 0 })).toThrow(/windowMs/);
    expect(() => new Monitor({ ...config, reference: new Float32Array(7) })).toThrow(/whole rows/);
    expect(() => new Monitor({ ...config, referenceAccuracy: 90 })).toThrow(/referenceAccuracy/);
    expect(() => new Monitor({ ...config, featureNames: ['a'] })).toThrow(/featureNames/);
    const m = new Monitor(config);
    m.record(ok(5000));
    expect(() => m.record(ok(4000))).toThrow(/backwards/);
    m.advanceTo(2 * W);
    expect(() => m.record(ok(W))).toThrow(/backwards/);
    const t = 2 * W;
    expect(() => m.record(ok(t, { predicted: 3 }))).toThrow(/predicted/);
    expect(() => m.record(ok(t, { confidence: 1.2 }))).toThrow(/confidence/);
    expect(() => m.record(ok(t, { features: [1, 2] }))).toThrow(/features/);
    expect(() => m.record(ok(t, { label: -1 }))).toThrow(/label/);
    expect(() => m.record({ timeMs: t, outcome: 'lost' as 'error' })).toThrow(/outcome/);
  });
});
