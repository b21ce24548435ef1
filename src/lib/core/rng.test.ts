import { describe, expect, it } from 'vitest';
import { createRng, hashString, shuffleInPlace } from './rng';

describe('createRng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 100 }, () => a.uint32());
    const sb = Array.from({ length: 100 }, () => b.uint32());
    const sc = Array.from({ length: 100 }, () => c.uint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('keeps its stream stable across versions (splits and benchmarks depend on it)', () => {
    // Golden values: changing the generator changes every recorded split. Update them only on
    // purpose, together with the data set fingerprints recorded by runs.
    // The same four numbers came from an independent Python transcription of sfc32 + splitmix32.
    const GOLDEN = [3734042760, 2101669168, 3246498290, 1549820005];
    const rng = createRng(0);
    expect(Array.from({ length: 4 }, () => rng.uint32())).toEqual(GOLDEN);
  });

  it('tells apart seeds that differ only above 32 bits, and accepts negative seeds', () => {
    expect(createRng(1).uint32()).not.toBe(createRng(1 + 2 ** 32).uint32());
    expect(createRng(-1).uint32()).toBe(createRng(-1).uint32());
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => createRng(0.5)).toThrow(/safe integer/);
    expect(() => createRng(Number.NaN)).toThrow(/safe integer/);
    expect(() => createRng(2 ** 60)).toThrow(/safe integer/);
  });

  it('next() stays in [0, 1) and is roughly uniform', () => {
    const rng = createRng(7);
    const bins = new Array<number>(10).fill(0);
    const n = 100_000;
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const v = rng.next();
      if (!(v >= 0 && v < 1)) outside++;
      bins[Math.floor(v * 10)]++;
      sum += v;
    }
    // Chi-square with 9 degrees of freedom: 27.9 is the 0.999 quantile.
    const expected = n / 10;
    const chi2 = bins.reduce((acc, o) => acc + (o - expected) ** 2 / expected, 0);
    expect(outside).toBe(0);
    expect(chi2).toBeLessThan(27.9);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
  });

  it('int(n) covers [0, n) evenly and validates n', () => {
    const rng = createRng(3);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[rng.int(7)]++;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(70_000);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(rng.int(1)).toBe(0);
    expect(() => rng.int(0)).toThrow();
    expect(() => rng.int(2.5)).toThrow();
    expect(() => rng.int(2 ** 32 + 1)).toThrow();
  });

  it('normal() has mean about 0 and variance about 1', () => {
    const rng = createRng(11);
    const n = 50_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const v = rng.normal();
      sum += v;
      sq += v * v;
    }
    const mean = sum / n;
    expect(Number.isFinite(sq)).toBe(true);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(sq / n - mean * mean - 1)).toBeLessThan(0.03);
  });
});

describe('shuffleInPlace', () => {
  it('permutes in place, deterministically, and returns the same array', () => {
    const a = Int32Array.from({ length: 50 }, (_, i) => i);
    const out = shuffleInPlace(a, createRng(5));
    expect(out).toBe(a);
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...a]).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    const b = shuffleInPlace(
      Array.from({ length: 50 }, (_, i) => i),
      createRng(5),
    );
    expect(b).toEqual([...a]);
  });

  it('makes every permutation of 3 items about equally likely', () => {
    const rng = createRng(9);
    const seen = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const key = shuffleInPlace(['a', 'b', 'c'], rng).join('');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBe(6);
    for (const c of seen.values()) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('leaves empty and one-item arrays alone', () => {
    expect(shuffleInPlace([], createRng(1))).toEqual([]);
    expect(shuffleInPlace([4], createRng(1))).toEqual([4]);
  });
});

describe('hashString', () => {
  it('is a stable 32-bit unsigned integer that differs between close ids', () => {
    const h = hashString('user-1');
    expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
    expect(hashString('user-1')).toBe(h);
    expect(hashString('user-2')).not.toBe(h);
    expect(hashString('')).toBe(hashString(''));
    expect(hashString('é')).not.toBe(hashString('e'));
  });

  it('spreads sequential ids evenly over buckets', () => {
    const buckets = new Array<number>(4).fill(0);
    for (let i = 0; i < 40_000; i++) buckets[hashString(`req-${i}`) % 4]++;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(400);
  });
});
