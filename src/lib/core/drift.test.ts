import { describe, expect, it } from 'vitest';
import fixture from '../../../tests/fixtures/drift/drift.json';
import { numbers, sample, type SampleSpec } from '../../../tests/fixtures/drift/samples';
import {
  chiSquareTest,
  chooseDriftMethod,
  datasetDrift,
  driftTest,
  prepareReference,
  jensenShannon,
  jensenShannonDetails,
  psi,
  psiDetails,
  wassersteinDetails,
  wassersteinNormed,
  zTest,
  type DriftKind,
} from './drift';

const spec = (s: unknown): SampleSpec => s as SampleSpec;
/** Relative closeness with a floor for values near 0. */
function close(actual: number, expected: number, rel: number, abs = 1e-15): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    rel * Math.abs(expected) + abs,
  );
}

describe("chi-square with Evidently's expected counts, against scipy", () => {
  for (const c of fixture.chisquare) {
    it(c.name, () => {
      const r = chiSquareTest(sample(spec(c.ref)), sample(spec(c.cur)));
      if (c.statistic === 'Infinity') expect(r.statistic).toBe(Infinity);
      else close(r.statistic, c.statistic as number, 1e-12);
      close(r.pValue, c.pValue, 1e-10, 1e-15);
      expect(r.expected.reduce((s, x) => s + x, 0)).toBeCloseTo(
        r.observed.reduce((s, x) => s + x),
        8,
      );
    });
  }
  it('refuses a single category, where scipy answers NaN', () => {
    expect(() => chiSquareTest(['a', 'a'], ['a'])).toThrow(/one single value/);
  });
});

describe("Evidently's Z test", () => {
  for (const c of fixture.z) {
    it(c.name, () => {
      const r = zTest(sample(spec(c.ref)), sample(spec(c.cur)));
      close(r.statistic, c.statistic, 1e-12);
      close(r.pValue, c.pValue, 1e-10, 1e-15);
    });
  }
  it('refuses three categories', () => {
    expect(() => zTest(['a', 'b'], ['c'])).toThrow(/two categories, got 3/);
  });
});

describe('normed Wasserstein distance against scipy', () => {
  for (const c of fixture.wasserstein) {
    it(c.name, () => {
      const a = numbers(spec(c.ref));
      const b = numbers(spec(c.cur));
      const d = wassersteinDetails(a, b);
      close(d.distance, c.distance, 1e-12);
      close(d.referenceStd, c.referenceStd, 1e-12);
      close(wassersteinNormed(a, b), c.score, 1e-12);
    });
  }
});

describe("Jensen-Shannon and PSI with Evidently's binning", () => {
  for (const c of fixture.binned) {
    it(c.name, () => {
      const a = sample(spec(c.ref));
      const b = sample(spec(c.cur));
      const kind = c.kind as DriftKind;
      const js = jensenShannonDetails(a, b, kind);
      const ps = psiDetails(a, b, kind);
      if (c.edges) {
        expect(js.binning.kind).toBe('edges');
        if (js.binning.kind === 'edges') expect(js.binning.edges).toEqual(c.edges);
      } else {
        expect(js.binning.kind).toBe('categories');
      }
      expect(js.binning.referenceShares).toEqual(c.jsShares[0]);
      expect(js.binning.currentShares).toEqual(c.jsShares[1]);
      expect(ps.binning.referenceShares).toEqual(c.psiShares[0]);
      expect(ps.binning.currentShares).toEqual(c.psiShares[1]);
      close(jensenShannon(a, b, kind), c.js, 1e-12, 1e-15);
      close(psi(a, b, kind), c.psi, 1e-12, 1e-15);
    });
  }
});

describe("driftTest: Evidently's default method, threshold and verdict", () => {
  for (const c of fixture.default) {
    it(c.name, () => {
      const r = driftTest(sample(spec(c.ref)), sample(spec(c.cur)), c.kind as DriftKind);
      expect(r.method).toBe(c.method);
      expect(r.threshold).toBe(c.threshold);
      expect(r.drifted).toBe(c.drifted);
      close(r.score, c.score, 1e-9, 1e-6 * (1 + c.score));
      expect(r.details.rule.uniqueValues).toBeGreaterThan(0);
      expect(r.details.evidence.method).toBe(r.method);
    });
  }
  it('datasetDrift: share of drifted columns against the 0.5 and 0.25 shares', () => {
    const columns = fixture.default.map((c) => ({
      name: c.name,
      ref: sample(spec(c.ref)),
      cur: sample(spec(c.cur)),
      kind: c.kind as DriftKind,
    }));
    const half = datasetDrift(columns);
    expect(half.driftedCount).toBe(fixture.dataset.driftedCount);
    expect(half.driftedShare).toBe(fixture.dataset.driftedShare);
    expect(half.drifted).toBe(fixture.dataset.driftedAtHalf);
    expect(datasetDrift(columns, 0.25).drifted).toBe(fixture.dataset.driftedAtQuarter);
    expect(half.columns.map((c) => c.name)).toEqual(columns.map((c) => c.name));
  });
});

describe('rules and edges', () => {
  it('chooses the method by reference size, kind and distinct values', () => {
    expect(chooseDriftMethod('numerical', 1000, 6)).toBe('ks');
    expect(chooseDriftMethod('numerical', 1000, 5)).toBe('chisquare');
    expect(chooseDriftMethod('numerical', 1000, 2)).toBe('z');
    expect(chooseDriftMethod('categorical', 10, 40)).toBe('chisquare');
    expect(chooseDriftMethod('categorical', 10, 1)).toBe('z');
    expect(chooseDriftMethod('numerical', 1001, 6)).toBe('wasserstein');
    expect(chooseDriftMethod('numerical', 1001, 5)).toBe('jensenshannon');
    expect(chooseDriftMethod('categorical', 1001, 500)).toBe('jensenshannon');
  });
  it('KS drifts at p <= threshold, chi-square and Z at p < threshold, distances at >=', () => {
    const ks = driftTest([1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6], 'numerical', { threshold: 1 });
    expect([ks.method, ks.score, ks.drifted]).toEqual(['ks', 1, true]);
    const z = driftTest(['a', 'b'], ['a', 'b'], 'categorical', { threshold: 1 });
    expect([z.method, z.score, z.drifted]).toEqual(['z', 1, false]);
    const ref = Array.from({ length: 2000 }, (_, i) => i);
    const w = driftTest(ref, ref, 'numerical');
    expect([w.method, w.score, w.drifted]).toEqual(['wasserstein', 0, false]);
    expect(driftTest(ref, ref, 'numerical', { threshold: 1e-9 }).drifted).toBe(false);
  });
  it('explains its verdict', () => {
    const r = driftTest([1, 2, 3, 4, 5, 6, 7], [2, 3, 4, 5, 6, 7, 8, 9], 'numerical');
    expect(r.details.rule).toMatchObject({ referenceSize: 7, currentSize: 8, uniqueValues: 9 });
    expect(r.details.rule.comparison).toBe('p <= threshold');
    expect(r.details.rule.text).toMatch(/Reference has 7 rows \(<= 1000\).*Kolmogorov-Smirnov/);
    if (r.details.evidence.method !== 'ks') throw new Error('expected KS');
    expect(r.details.evidence.mode).toBe('exact');
  });
  it('takes a prepared reference and gives the same verdict', () => {
    for (const c of fixture.default) {
      const ref = sample(spec(c.ref));
      const cur = sample(spec(c.cur));
      const kind = c.kind as DriftKind;
      expect(driftTest(prepareReference(ref, kind), cur, kind)).toEqual(driftTest(ref, cur, kind));
    }
    const prepared = prepareReference(['a', 'b'], 'categorical');
    expect(() => driftTest(prepared, [1, 2], 'categorical')).toThrow(
      /ref holds strings and cur holds numbers/,
    );
    expect(() => driftTest(prepared, ['a'], 'numerical')).toThrow(
      /prepared as categorical, not numerical/,
    );
    expect(() => prepareReference([NaN], 'numerical')).toThrow(/ref\[0\] is NaN/);
  });
  it('refuses empty input, NaN, mixed types and an unknown kind, naming the place', () => {
    expect(() => driftTest([], [1], 'numerical')).toThrow(/driftTest: ref is empty/);
    expect(() => driftTest([1], [NaN], 'numerical')).toThrow(/cur\[0\] is NaN/);
    expect(() => driftTest(['a'], [NaN], 'categorical')).toThrow(/cur\[0\] is NaN/);
    expect(() => driftTest(['a', 1], ['a'], 'categorical')).toThrow(
      /ref\[1\] is 1, but ref\[0\] is a string/,
    );
    expect(() => driftTest(['a'], [1], 'categorical')).toThrow(
      /ref holds strings and cur holds numbers/,
    );
    expect(() => driftTest(['a'], ['a'], 'numerical')).toThrow(
      /ref\[0\] is a, expected a finite number/,
    );
    expect(() => driftTest([1], [1], 'ordinal' as DriftKind)).toThrow(/kind must be/);
    expect(() => psi([1], [], 'numerical')).toThrow(/psi: cur is empty/);
    expect(() => jensenShannon([], ['a'], 'categorical')).toThrow(/jensenShannon: ref is empty/);
    expect(() => datasetDrift([])).toThrow(/no columns/);
    expect(() =>
      datasetDrift([{ name: 'pixel 3', ref: [1], cur: [NaN], kind: 'numerical' }]),
    ).toThrow(/datasetDrift: pixel 3: driftTest: cur\[0\] is NaN/);
  });
});
