import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { normalTable16, poisson, requestRngs, subSeed } from './sim-random';
import { normalCdf } from './stats-special';

describe('poisson', () => {
  it('has mean and variance equal to the mean, for Knuth (< 10) and PTRS (>= 10) draws', () => {
    for (const mean of [0.3, 4, 9.9, 10, 57, 2500]) {
      const rng = createRng(Math.round(mean * 10));
      const n = 40_000;
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const k = poisson(rng, mean);
        expect(Number.isInteger(k) && k >= 0).toBe(true);
        s += k;
        s2 += k * k;
      }
      const m = s / n;
      const v = s2 / n - m * m;
      // 5 standard errors of the sample mean; the variance within 5%.
      expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(mean / n));
      expect(Math.abs(v / mean - 1)).toBeLessThan(0.05);
    }
  });

  it('matches the Poisson probabilities at a small mean (PTRS branch)', () => {
    const mean = 12;
    const rng = createRng(5);
    const n = 100_000;
    const counts = new Array<number>(40).fill(0);
    for (let i = 0; i < n; i++) counts[Math.min(39, poisson(rng, mean))]++;
    let p = Math.exp(-mean);
    for (let k = 0; k < 30; k++) {
      if (k > 0) p *= mean / k;
      expect(Math.abs(counts[k] / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n) + 1e-4);
    }
  });

  it('returns 0 for mean 0 and refuses a bad mean', () => {
    expect(poisson(createRng(1), 0)).toBe(0);
    expect(() => poisson(createRng(1), -1)).toThrow(/bad mean/);
    expect(() => poisson(createRng(1), NaN)).toThrow(/bad mean/);
  });
});

describe('sub-streams', () => {
  it('subSeed keeps the index in the low 32 bits and refuses bad input', () => {
    const a = subSeed(7, 'traffic', 0);
    expect(subSeed(7, 'traffic', 5) - a).toBe(5);
    expect(subSeed(7, 'request', 0)).not.toBe(a);
    expect(Number.isSafeInteger(subSeed(2 ** 40, 'x', 2 ** 32 - 1))).toBe(true);
    expect(() => subSeed(1.5, 'x', 0)).toThrow(/safe integer/);
    expect(() => subSeed(1, 'x', -1)).toThrow(/index/);
  });

  it('requestRngs gives the same stream for the same request, whatever came before', () => {
    const f = requestRngs(3);
    const first = f(42).uint32();
    f(41).uint32();
    expect(requestRngs(3)(42).uint32()).toBe(first);
    expect(f(43).uint32()).not.toBe(first);
    expect(requestRngs(4)(42).uint32()).not.toBe(first);
  });
});

describe('normalTable16', () => {
  it('holds the normal quantiles at the midpoints of 65,536 equal-probability steps', () => {
    const z = normalTable16();
    expect(z.length).toBe(65536);
    for (const h of [0, 100, 20000, 32767, 32768, 50000, 65535]) {
      expect(normalCdf(z[h])).toBeCloseTo((h + 0.5) / 65536, 6);
    }
    expect(z[0]).toBeCloseTo(-z[65535], 5);
    let m = 0;
    let v = 0;
    z.forEach((x) => ((m += x / 65536), (v += (x * x) / 65536)));
    expect(Math.abs(m)).toBeLessThan(1e-6);
    expect(v).toBeCloseTo(1, 3);
  });
});
