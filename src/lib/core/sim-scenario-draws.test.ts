import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import {
  compileScenarios,
  describe as describeScenario,
  labelArrival,
  labelFor,
  sampleRow,
  type Scenario,
  type ScenarioContext,
} from './scenarios';

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

describe('sampleRow, labelFor, labelArrival', () => {
  it('prior shift: at full strength the class mix follows the weights', () => {
    const w = [5, 1, 0, 0, 0, 0, 0, 0, 0, 4];
    const set = compileScenarios(
      [at({ kind: 'prior-shift', params: { classWeights: w } })],
      digits,
    );
    const rng = createRng(2);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) counts[poolLabels[sampleRow(set, i % 200, 11 * MIN, rng)]]++;
    counts.forEach((c, k) => expect(Math.abs(c / 20_000 - w[k] / 10)).toBeLessThan(0.015));
    expect(sampleRow(set, 17, 0, rng)).toBe(17);
  });

  it('prior shift halfway through its ramp gives the half-and-half mixture', () => {
    const w = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const set = compileScenarios(
      [at({ kind: 'prior-shift', params: { classWeights: w } }, 0, 10 * MIN)],
      digits,
    );
    const rng = createRng(3);
    let zeros = 0;
    for (let i = 0; i < 20_000; i++)
      if (poolLabels[sampleRow(set, i % 200, 5 * MIN, rng)] === 0) zeros++;
    expect(zeros / 20_000).toBeCloseTo(0.5 + 0.5 * 0.1, 1);
  });

  it('relabel turns a share of one class into another (concept drift)', () => {
    const set = compileScenarios(
      [at({ kind: 'relabel', params: { from: 7, to: 1, share: 0.4 } })],
      digits,
    );
    const rng = createRng(5);
    let moved = 0;
    for (let i = 0; i < 10_000; i++) if (labelFor(set, 7, 11 * MIN, rng) === 1) moved++;
    expect(moved / 10_000).toBeCloseTo(0.4, 1);
    expect(labelFor(set, 3, 11 * MIN, rng)).toBe(3);
    expect(labelFor(set, 7, 0, rng)).toBe(7);
  });

  it('labels arrive at once by default, later and for a fraction with delayed labels', () => {
    const none = compileScenarios([], digits);
    expect(labelArrival(none, 1234, createRng(1))).toBe(1234);
    const set = compileScenarios(
      [at({ kind: 'delayed-labels', params: { delaySeconds: 3600, fraction: 0.3 } })],
      digits,
    );
    const rng = createRng(6);
    const got = Array.from({ length: 10_000 }, () => labelArrival(set, 11 * MIN, rng));
    const arrived = got.filter((t) => t !== null);
    expect(arrived.length / 10_000).toBeCloseTo(0.3, 1);
    expect(new Set(arrived)).toEqual(new Set([11 * MIN + 3_600_000]));
  });
});

describe('compileScenarios and describe', () => {
  it('refuses scenarios that cannot run on the data, naming the scenario and field', () => {
    const bad =
      (s: Scenario, ctx = digits) =>
      () =>
        compileScenarios([s], ctx);
    expect(bad(at({ kind: 'rotation', params: { degrees: 10 } }), tabular)).toThrow(
      /scenario 0 \(rotation\): .*digits/,
    );
    expect(bad(at({ kind: 'stuck-at-zero', params: { feature: 64 } }))).toThrow(
      /feature must be an integer in \[0, 64\)/,
    );
    expect(bad(at({ kind: 'swap-columns', params: { a: 2, b: 2 } }))).toThrow(/different/);
    expect(bad(at({ kind: 'prior-shift', params: { classWeights: [1, 2] } }))).toThrow(
      /10 weights/,
    );
    expect(bad(at({ kind: 'relabel', params: { from: 1, to: 12, share: 0.5 } }))).toThrow(
      /to must be a class/,
    );
    expect(bad(at({ kind: 'brightness', params: { factor: -1 } }))).toThrow(/factor/);
    expect(bad({ ...at({ kind: 'noise', params: { std: 1 } }), rampMs: -5 })).toThrow(/rampMs/);
    expect(bad({ kind: 'melt', params: {}, startMs: 0, rampMs: 0 } as unknown as Scenario)).toThrow(
      /unknown scenario kind 'melt'/,
    );
    const poorPool = { ...digits, poolLabels: [0, 1, 2] };
    expect(
      bad(
        at({ kind: 'prior-shift', params: { classWeights: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0] } }),
        poorPool,
      ),
    ).toThrow(/class 3 .* no pool rows/);
  });

  it('describes each scenario in one line', () => {
    const names = ['age', 'weight', 'height'];
    expect(
      describeScenario(at({ kind: 'brightness', params: { factor: 0.6 } }, 7_200_000, 1_800_000)),
    ).toBe('Brightness x0.6 (covariate shift) from day 0, 02:00:00, ramping up over 30 min');
    expect(
      describeScenario(
        at({ kind: 'unit-change', params: { feature: 1, factor: 1000 } }, 90_000_000),
        names,
      ),
    ).toBe('Weight in a new unit, x1000 (upstream bug) from day 1, 01:00:00 at once');
    expect(
      describeScenario({
        ...at({ kind: 'delayed-labels', params: { delaySeconds: 86_400, fraction: 0.5 } }),
        endMs: 20 * MIN,
      }),
    ).toMatch(
      /^Labels arrive after 24 h for 50% of requests from day 0, 00:10:00 at once until day 0, 00:20:00$/,
    );
  });
});
