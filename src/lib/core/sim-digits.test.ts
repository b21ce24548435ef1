/**
 * The simulator and the monitor on the real digits data, with the nearest-centroid baseline
 * (sim-baseline.ts: fitted on the fixed split's train part, calibrated on validation, traffic
 * from the test part). 5 requests/s, 10-minute windows (about 3,000 requests each), scenarios
 * injected at 2 h: window 12 is the first drifted window.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseDigitsCsv } from './data';
import type { Scenario } from './scenarios';
import { baselineWorld, runBaseline } from './sim-baseline';

const root = new URL('../../../', import.meta.url);
const digits = parseDigitsCsv(
  gunzipSync(readFileSync(new URL('public/data/digits.csv.gz', root))).toString('utf8'),
);
const world = baselineWorld(digits);
const H = 3_600_000;
const W = 600_000;
const ONSET = 2 * H;
const at = (s: Omit<Scenario, 'startMs' | 'rampMs'>, startMs = ONSET) =>
  ({ ...s, startMs, rampMs: 0 }) as Scenario;
const firing = (m: ReturnType<typeof runBaseline>['monitor'], rule: string) =>
  m.alerts.filter((a) => a.rule === rule && a.state === 'firing');

describe('baseline model on digits', () => {
  it('is a fair stand-in: about 90% accurate', () => {
    expect(world.referenceAccuracy).toBeGreaterThan(0.88);
    expect(world.pool.rows).toBe(359);
  });
});

describe('no-drift control run', () => {
  const run = runBaseline(world, { hours: 12 });
  const { monitor } = run;

  it('stays quiet over 72 windows: no alert of any kind', () => {
    expect(monitor.windows.length).toBe(72);
    expect(monitor.alerts).toEqual([]);
    const shares = monitor.windows.map((w) => w.drift?.driftedShare ?? 1);
    // Some pixels differ between the 359-row pool and the reference by chance; the share does not.
    expect(Math.max(...shares)).toBeLessThan(0.3);
    expect(monitor.windows.every((w) => w.predictionDrift?.drifted === false)).toBe(true);
  });

  it('loses no request and answers none twice (the ledger)', () => {
    expect(run.requests).toBeGreaterThan(200_000);
    expect(run.ledger.verify(run.requests)).toMatchObject({
      ok: true,
      lostCount: 0,
      doubledCount: 0,
    });
  });

  it('replays exactly with the same seed', () => {
    const again = runBaseline(world, { hours: 12 });
    expect(JSON.stringify(again.monitor.windows)).toBe(JSON.stringify(monitor.windows));
  });
});

describe('covariate shift raises the data-drift alert within one window of onset', () => {
  const cases: [string, Scenario, number][] = [
    ['brightness x0.6', at({ kind: 'brightness', params: { factor: 0.6 } }), ONSET],
    [
      'brightness x0.6, onset mid-window',
      at({ kind: 'brightness', params: { factor: 0.6 } }, ONSET + W / 2),
      ONSET + W / 2,
    ],
    ['noise, std 3', at({ kind: 'noise', params: { std: 3 } }), ONSET],
    ['rotation 20 degrees', at({ kind: 'rotation', params: { degrees: 20 } }), ONSET],
    ['thicker strokes', at({ kind: 'thicker', params: { blend: 0.5 } }), ONSET],
  ];
  it.each(cases)('%s', (_name, scenario, onset) => {
    const { monitor } = runBaseline(world, { scenarios: [scenario] });
    const alerts = firing(monitor, 'data-drift');
    expect(alerts.length).toBe(1);
    const onsetWindow = Math.floor(onset / W);
    expect(alerts[0].window).toBeGreaterThanOrEqual(onsetWindow);
    expect(alerts[0].window).toBeLessThanOrEqual(onsetWindow + 1);
    expect(alerts[0].atMs - onset).toBeLessThanOrEqual(2 * W);
    // And it keeps firing: no resolve while the shift lasts.
    expect(monitor.alerts.some((a) => a.rule === 'data-drift' && a.state === 'resolved')).toBe(
      false,
    );
  });
});

describe('other scenarios', () => {
  it('a pixel stuck at zero is flagged on that pixel (the dataset-level alert stays quiet)', () => {
    const { monitor } = runBaseline(world, {
      scenarios: [at({ kind: 'stuck-at-zero', params: { feature: 36 } })],
    });
    const flags = monitor.windows.map((w) => (w.drift?.flags[36] ? 1 : 0)).join('');
    expect(flags).toBe('0'.repeat(12) + '1'.repeat(12));
    // One feature of 64 is far below the 50% share: per-feature views catch upstream bugs.
    expect(firing(monitor, 'data-drift')).toEqual([]);
    expect(monitor.lastDrift?.columns[36]).toMatchObject({ name: 'px_r4c4', drifted: true });
  });

  it('prior shift changes the predicted class mix, and prediction drift flags it', () => {
    const weights = [5, 5, 0, 0, 0, 0, 0, 0, 0, 0];
    const { monitor } = runBaseline(world, {
      scenarios: [at({ kind: 'prior-shift', params: { classWeights: weights } })],
    });
    const share01 = monitor.windows.map((w) => (w.classMix[0] + w.classMix[1]) / w.requests);
    share01.slice(0, 12).forEach((s) => expect(s).toBeLessThan(0.25));
    share01.slice(12).forEach((s) => expect(s).toBeGreaterThan(0.75));
    const predDrift = monitor.windows.map((w) => (w.predictionDrift?.drifted ? 1 : 0)).join('');
    expect(predDrift).toBe('0'.repeat(12) + '1'.repeat(12));
    // ... and its alert fires once, in the onset window, and keeps firing.
    const fired = monitor.alerts.filter((a) => a.rule === 'prediction-drift');
    expect(fired.map((a) => `${a.state}@${a.window}`)).toEqual(['firing@12']);
  });
});
