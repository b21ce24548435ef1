import { describe, expect, it } from 'vitest';
import { ksTest } from '../core/drift';
import { createRng } from '../core/rng';
import {
  displayHistogram,
  ecdfAt,
  ecdfSteps,
  sampleBoth,
  sampleIndices,
  sizeLadder,
} from './operate-view-explain';

const normal = (n: number, mean: number, seed: number) => {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => mean + rng.normal());
};
const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);

describe('displayHistogram', () => {
  it('gives one bar per value for few distinct values', () => {
    const h = displayHistogram([0, 0, 16, 4], [4, 4, 8, 8]);
    expect(h.kind).toBe('values');
    expect(h.values).toEqual([0, 4, 8, 16]);
    expect(h.reference).toEqual([0.5, 0.25, 0, 0.25]);
    expect(h.current).toEqual([0, 0.5, 0.5, 0]);
  });
  it('uses shared equal-width bins over the pooled range otherwise', () => {
    const ref = Array.from({ length: 50 }, (_, i) => i / 10); // 0 .. 4.9
    const cur = Array.from({ length: 50 }, (_, i) => 5 + i / 10); // 5 .. 9.9
    const h = displayHistogram(ref, cur, 10);
    expect(h.kind).toBe('edges');
    expect(h.edges[0]).toBe(0);
    expect(h.edges[10]).toBe(9.9);
    expect(sum(h.reference)).toBeCloseTo(1, 12);
    expect(sum(h.current)).toBeCloseTo(1, 12);
    // The maximum lands in the last bin, not past it.
    expect(h.current[9]).toBeGreaterThan(0);
    expect(h.reference.slice(0, 5).every((s) => s > 0)).toBe(true);
    expect(h.reference.slice(6)).toEqual([0, 0, 0, 0]);
  });
  it('refuses empty samples and NaN', () => {
    expect(() => displayHistogram([], [1])).toThrow(/at least one value/);
    expect(() => displayHistogram([1, NaN], [1])).toThrow(/not a finite number/);
  });
});

describe('ECDF', () => {
  it('steps at each distinct value to the share at or below it', () => {
    expect(ecdfSteps([3, 1, 1, 2])).toEqual([
      { x: 1, y: 0.5 },
      { x: 2, y: 0.75 },
      { x: 3, y: 1 },
    ]);
    expect(ecdfAt([3, 1, 1, 2], 1.5)).toBe(0.5);
  });
  it('thins long step lists but keeps the last step', () => {
    const s = ecdfSteps(normal(5000, 0, 1), 100);
    expect(s.length).toBe(100);
    expect(s[99].y).toBe(1);
  });
  it('the largest ECDF gap is the KS statistic', () => {
    const a = normal(300, 0, 2);
    const b = normal(200, 0.3, 3);
    const ks = ksTest(a, b);
    const gap = Math.abs(ecdfAt(a, ks.location) - ecdfAt(b, ks.location));
    expect(gap).toBeCloseTo(ks.statistic, 2);
  });
});

describe('sampleIndices', () => {
  it('subsamples without replacement up to the column length, deterministically', () => {
    const a = sampleIndices(100, 100, 9);
    expect(new Set(a).size).toBe(100);
    expect(sampleIndices(100, 100, 9)).toEqual(a);
    expect(sampleIndices(100, 100, 10)).not.toEqual(a);
  });
  it('nests sizes and resamples with replacement beyond the length', () => {
    const small = sampleIndices(100, 40, 9);
    const big = sampleIndices(100, 400, 9);
    expect(big.subarray(0, 40)).toEqual(small);
    expect(Math.max(...big)).toBeLessThan(100);
    expect(new Set(big.subarray(100)).size).toBeLessThan(300);
  });
  it('refuses an empty column or a size below 1', () => {
    expect(() => sampleIndices(0, 5, 1)).toThrow(/empty/);
    expect(() => sampleIndices(5, 0, 1)).toThrow(/>= 1/);
  });
  it('samples both columns to the same size', () => {
    const s = sampleBoth(normal(30, 0, 1), normal(70, 0, 2), 50);
    expect([s.reference.length, s.current.length]).toEqual([50, 50]);
  });
});

describe('sizeLadder', () => {
  it('KS flags a tiny shift only on large samples; the rule switches tests above 1,000 rows', () => {
    const ref = normal(2000, 0, 11);
    const cur = normal(2000, 0.07, 12);
    const rungs = sizeLadder(ref, cur, [50, 1000, 10000]);
    expect(rungs.map((r) => r.verdict.method)).toEqual(['ks', 'ks', 'wasserstein']);
    expect(rungs[0].ks.pValue).toBeGreaterThan(0.05);
    expect(rungs[1].ks.pValue).toBeLessThan(rungs[0].ks.pValue);
    expect(rungs[2].ks.pValue).toBeLessThan(0.01);
    // The distance used above 1,000 rows does not grow with the sample: no drift at 0.07 std.
    expect(rungs[2].verdict.drifted).toBe(false);
  });
});
