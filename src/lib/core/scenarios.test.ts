import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import {
  applyScenarios,
  compileScenarios,
  intensity,
  type Scenario,
  type ScenarioContext,
} from './scenarios';
import { brighten, rotate } from './sim-image';

const MIN = 60_000;
const poolLabels = Int32Array.from({ length: 200 }, (_, i) => i % 10); // 20 rows per class
const digits: ScenarioContext = { dataset: 'digits', features: 64, nClasses: 10, poolLabels };
const tabular: ScenarioContext = {
  dataset: 'tabular',
  features: 3,
  nClasses: 2,
  poolLabels: [0, 1, 0, 1],
};
const at = (s: Omit<Scenario, 'startMs' | 'rampMs'>, startMs = 10 * MIN, rampMs = 0) =>
  ({ ...s, startMs, rampMs }) as Scenario;
const image = Float32Array.from({ length: 64 }, (_, i) => (i * 5) % 17);

/** Features after the scenarios at time t, for a row of class `label`. */
function apply(scenarios: Scenario[], row: ArrayLike<number>, t: number, ctx = digits, label = 0) {
  const out = new Float32Array(row.length);
  applyScenarios(row, out, compileScenarios(scenarios, ctx), t, createRng(1), label);
  return Array.from(out);
}

describe('intensity', () => {
  const s = at({ kind: 'brightness', params: { factor: 2 } }, 1000, 4000);
  it('is 0 before the start, ramps linearly, holds at 1, and stops at endMs', () => {
    expect([999, 1000, 3000, 5000, 9e9].map((t) => intensity(s, t))).toEqual([0, 0, 0.5, 1, 1]);
    expect(intensity({ ...s, rampMs: 0 }, 1000)).toBe(1);
    expect(intensity({ ...s, endMs: 6000 }, 6000)).toBe(0);
  });
});

describe('applyScenarios', () => {
  it('leaves rows alone before the onset and never modifies the input', () => {
    const copy = Float32Array.from(image);
    expect(apply([at({ kind: 'brightness', params: { factor: 0.5 } })], image, 0)).toEqual(
      Array.from(image),
    );
    apply([at({ kind: 'noise', params: { std: 3 } })], image, 20 * MIN);
    expect(image).toEqual(copy);
  });

  it('scales a continuous effect with the ramp (brightness x0.5 halfway = x0.75)', () => {
    const expected = new Float32Array(64);
    brighten(image, expected, 0.75);
    const s = at({ kind: 'brightness', params: { factor: 0.5 } }, 0, 10 * MIN);
    expect(apply([s], image, 5 * MIN)).toEqual(Array.from(expected));
  });

  it('composes in the order given (rotate then brighten)', () => {
    const r = new Float32Array(64);
    const b = new Float32Array(64);
    rotate(image, r, 20);
    brighten(r, b, 0.8);
    const got = apply(
      [
        at({ kind: 'rotation', params: { degrees: 20 } }),
        at({ kind: 'brightness', params: { factor: 0.8 } }),
      ],
      image,
      11 * MIN,
    );
    got.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
  });

  it('upstream bugs: stuck at zero, swapped columns, unit change', () => {
    const row = [1, 2, 3];
    const t = 11 * MIN;
    expect(apply([at({ kind: 'stuck-at-zero', params: { feature: 1 } })], row, t, tabular)).toEqual(
      [1, 0, 3],
    );
    expect(apply([at({ kind: 'swap-columns', params: { a: 0, b: 2 } })], row, t, tabular)).toEqual([
      3, 2, 1,
    ]);
    expect(
      apply([at({ kind: 'unit-change', params: { feature: 2, factor: 1000 } })], row, t, tabular),
    ).toEqual([1, 2, 3000]);
  });

  it('a ramping bug hits a growing share of rows', () => {
    const set = compileScenarios(
      [at({ kind: 'stuck-at-zero', params: { feature: 0 } }, 0, 100 * MIN)],
      tabular,
    );
    const rng = createRng(4);
    const out = new Float32Array(3);
    let hit = 0;
    for (let i = 0; i < 10_000; i++) {
      applyScenarios([5, 5, 5], out, set, 25 * MIN, rng);
      if (out[0] === 0) hit++;
    }
    expect(hit / 10_000).toBeCloseTo(0.25, 1);
  });

  it('tabular covariate shift: scale or offset one feature', () => {
    const t = 11 * MIN;
    expect(
      apply(
        [at({ kind: 'feature-scale', params: { feature: 0, factor: 3 } })],
        [2, 2, 2],
        t,
        tabular,
      ),
    ).toEqual([6, 2, 2]);
    expect(
      apply(
        [at({ kind: 'feature-offset', params: { feature: 2, offset: -1.5 } })],
        [2, 2, 2],
        t,
        tabular,
      ),
    ).toEqual([2, 2, 0.5]);
  });

  it('a new writer changes only the listed classes, and labels stay', () => {
    const s = at({
      kind: 'new-writer',
      params: { classes: [3, 8], transform: { kind: 'thicker', params: { blend: 1 } } },
    });
    expect(apply([s], image, 11 * MIN, digits, 3)).not.toEqual(Array.from(image));
    expect(apply([s], image, 11 * MIN, digits, 4)).toEqual(Array.from(image));
  });
});
