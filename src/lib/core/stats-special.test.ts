import { describe, expect, it } from 'vitest';
import fixture from '../../../tests/fixtures/drift/drift.json';
import {
  chiSquareSf,
  gammaP,
  gammaQ,
  logGamma,
  normalCdf,
  normalPpf,
  normalSf,
  roundHalfEven,
} from './stats-special';

/** |a - b| <= tol * max(|b|, tiny), with the relative scale floored for values near 0. */
function expectRel(actual: number, expected: number, tol: number, floor = 1e-300): void {
  const err = Math.abs(actual - expected);
  expect(err, `${actual} vs ${expected}`).toBeLessThanOrEqual(
    tol * Math.max(Math.abs(expected), floor),
  );
}

describe('special functions against scipy 1.10', () => {
  it('logGamma', () => {
    for (const c of fixture.special.gammaln) expectRel(logGamma(c.x), c.v, 1e-13, 1);
  });
  it('chi-square survival function', () => {
    for (const c of fixture.special.chi2) expectRel(chiSquareSf(c.x, c.df), c.sf, 1e-11);
  });
  it('normal survival function and cdf', () => {
    for (const c of fixture.special.normSf) {
      // exp(-x^2/2) amplifies rounding of x^2/2 far in the tail (x = 37: 2e-12 relative).
      expectRel(normalSf(c.x), c.sf, 1e-11);
      expectRel(normalCdf(-c.x), c.sf, 1e-11);
    }
  });
  it('normal quantile', () => {
    for (const c of fixture.special.normPpf) expectRel(normalPpf(c.p), c.x, 1e-13, 1e-300);
    expect(normalPpf(0)).toBe(-Infinity);
    expect(normalPpf(1)).toBe(Infinity);
  });
  it('P + Q = 1 and the edges', () => {
    for (const [a, x] of [
      [0.5, 0.2],
      [3, 3.5],
      [40, 41],
      [7, 0.01],
    ]) {
      expect(gammaP(a, x) + gammaQ(a, x)).toBeCloseTo(1, 14);
    }
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(chiSquareSf(Infinity, 3)).toBe(0);
    expect(() => chiSquareSf(1, 0)).toThrow(/df > 0/);
    expect(() => logGamma(-1)).toThrow(/x > 0/);
  });
  it('rounds halves to even like numpy', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven)).toEqual([
      0, 2, 2, -0, -2, 2, 3,
    ]);
  });
});
