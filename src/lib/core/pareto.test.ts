import { describe, expect, it } from 'vitest';
import { dominates, paretoFront, type ParetoPoint } from './pareto';

const p = (latency: number, accuracy: number): ParetoPoint => ({ latency, accuracy });

describe('dominates', () => {
  it('needs at least as good on both and better on one', () => {
    expect(dominates(p(1, 0.9), p(2, 0.9))).toBe(true);
    expect(dominates(p(1, 0.95), p(1, 0.9))).toBe(true);
    expect(dominates(p(1, 0.9), p(1, 0.9))).toBe(false);
    expect(dominates(p(1, 0.8), p(2, 0.9))).toBe(false);
  });
});

describe('paretoFront', () => {
  it('keeps the points no other point beats on both, by increasing latency', () => {
    // fp32 ort, int8 ort (faster, a bit less accurate), plain (slower, same as fp32), tfjs (slowest).
    const points = [p(0.017, 0.975), p(0.012, 0.969), p(0.02, 0.975), p(0.3, 0.98), p(0.05, 0.9)];
    expect(paretoFront(points)).toEqual([1, 0, 3]);
  });

  it('computes the same front as a brute-force definition on random points', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 50; trial++) {
      const pts = Array.from({ length: 1 + (trial % 17) }, () =>
        p(Math.round(rand() * 20) / 4, Math.round(rand() * 20) / 20),
      );
      const expected = pts
        .map((_, i) => i)
        .filter((i) => pts.every((q, j) => j === i || !dominates(q, pts[i])));
      expect([...paretoFront(pts)].sort((a, b) => a - b)).toEqual(expected);
    }
  });

  it('keeps equal points together, and ignores points without a finite accuracy', () => {
    expect(paretoFront([p(1, 0.9), p(1, 0.9), p(2, 0.8)])).toEqual([0, 1]);
    expect(paretoFront([p(1, NaN), p(2, 0.8), p(Infinity, 1)])).toEqual([1]);
    expect(paretoFront([])).toEqual([]);
  });

  it('orders ties in latency by accuracy', () => {
    expect(paretoFront([p(1, 0.8), p(0.5, 0.7)])).toEqual([1, 0]);
  });
});
