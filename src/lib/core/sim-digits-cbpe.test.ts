/**
 * CBPE (accuracy estimated from calibrated confidences) against the real accuracy on digits,
 * with the nearest-centroid baseline (see sim-digits.test.ts for the setup). Per window: CBPE on
 * the window's predictions; real accuracy on the labels that arrived in the window.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseDigitsCsv } from './data';
import type { WindowSummary } from './monitor';
import type { Scenario } from './scenarios';
import { baselineWorld, runBaseline } from './sim-baseline';

const root = new URL('../../../', import.meta.url);
const digits = parseDigitsCsv(
  gunzipSync(readFileSync(new URL('public/data/digits.csv.gz', root))).toString('utf8'),
);
const world = baselineWorld(digits);
const ONSET = 2 * 3_600_000;
const at = (s: Omit<Scenario, 'startMs' | 'rampMs'>, startMs = ONSET) =>
  ({ ...s, startMs, rampMs: 0 }) as Scenario;

/** Mean CBPE and real accuracy (percent) over the windows after the onset (12 of them). */
function afterOnset(scenarios: Scenario[]): {
  cbpe: number;
  acc: number;
  gap: number;
  windows: WindowSummary[];
} {
  const { monitor } = runBaseline(world, { scenarios });
  const post = monitor.windows.filter((w) => w.startMs >= ONSET);
  const mean = (f: (w: WindowSummary) => number) =>
    (100 * post.reduce((s, w) => s + f(w), 0)) / post.length;
  const cbpe = mean((w) => w.cbpe as number);
  const acc = mean((w) => w.accuracy.accuracy as number);
  return { cbpe, acc, gap: cbpe - acc, windows: monitor.windows };
}

const relabel = [
  at({ kind: 'relabel', params: { from: 3, to: 8, share: 1 } }),
  at({ kind: 'relabel', params: { from: 7, to: 1, share: 1 } }),
];

describe('CBPE under covariate shift', () => {
  it.each([
    ['no drift', []],
    ['brightness x1.3', [at({ kind: 'brightness', params: { factor: 1.3 } })]],
    ['noise, std 2', [at({ kind: 'noise', params: { std: 2 } })]],
    ['noise, std 3', [at({ kind: 'noise', params: { std: 3 } })]],
    ['rotation 20 degrees', [at({ kind: 'rotation', params: { degrees: 20 } })]],
  ] as [string, Scenario[]][])(
    'tracks the real accuracy within 3 points: %s',
    (_name, scenarios) => {
      const r = afterOnset(scenarios);
      expect(Math.abs(r.gap)).toBeLessThan(3);
    },
  );

  // Documented limits of THIS model, not of the monitor: CBPE assumes the calibration learned on
  // validation still holds on the shifted inputs. Distance-based confidences break that: darker
  // images sit closer to every centroid (less confident, as accurate), and a shifted image sits
  // confidently near a wrong centroid. A failing assertion here means the model's calibration
  // changed: update the notes, do not loosen the 3-point test above.
  it('misses badly when the shift breaks the calibration (documented limit)', () => {
    const dark = afterOnset([at({ kind: 'brightness', params: { factor: 0.6 } })]);
    expect(dark.gap).toBeLessThan(-5); // about -9 points: CBPE too pessimistic
    const shifted = afterOnset([at({ kind: 'shift', params: { dx: 1, dy: 0 } })]);
    expect(shifted.gap).toBeGreaterThan(20); // about +30 points: CBPE blind to the damage
  });
});

describe('CBPE under concept drift', () => {
  it('does not move while the real accuracy falls (the teaching point)', () => {
    const before = afterOnset([]);
    const after = afterOnset(relabel);
    expect(before.acc - after.acc).toBeGreaterThan(10);
    expect(Math.abs(before.cbpe - after.cbpe)).toBeLessThan(0.5);
  });

  it('raises the accuracy alert, not the CBPE or drift alerts', () => {
    const { monitor } = runBaseline(world, { scenarios: relabel });
    expect(monitor.alerts.map((a) => `${a.rule}:${a.state}@${a.window}`)).toEqual([
      'accuracy-drop:firing@12',
    ]);
  });

  it('with labels an hour late, the accuracy alert comes an hour late', () => {
    const late = at({ kind: 'delayed-labels', params: { delaySeconds: 3600, fraction: 1 } }, 0);
    const { monitor } = runBaseline(world, { scenarios: [...relabel, late] });
    expect(monitor.windows.slice(0, 6).every((w) => w.accuracy.accuracy === null)).toBe(true);
    expect(monitor.alerts.map((a) => `${a.rule}:${a.state}@${a.window}`)).toEqual([
      'accuracy-drop:firing@18',
    ]);
    // The drifted windows' own accuracy is only known once their labels are in.
    expect(monitor.windows[12].ownAccuracy.labels).toBe(0);
    expect(monitor.revisedAccuracy(12).accuracy).toBeLessThan(0.8);
  });
});
