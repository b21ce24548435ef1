import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseDigitsCsv } from './data';
import { DEFAULT_SPLIT, stratifiedSplit } from './split';

const root = new URL('../../../', import.meta.url);
const digits = parseDigitsCsv(
  gunzipSync(readFileSync(new URL('public/data/digits.csv.gz', root))).toString('utf8'),
);

function countBy(labels: ArrayLike<number>, indices: ArrayLike<number>): Map<number, number> {
  const m = new Map<number, number>();
  for (let i = 0; i < indices.length; i++) {
    const l = labels[indices[i]];
    m.set(l, (m.get(l) ?? 0) + 1);
  }
  return m;
}

describe('stratifiedSplit', () => {
  it('is deterministic for a seed and changes with the seed', () => {
    const a = stratifiedSplit(digits.y, DEFAULT_SPLIT, 0);
    const b = stratifiedSplit(digits.y, DEFAULT_SPLIT, 0);
    const c = stratifiedSplit(digits.y, DEFAULT_SPLIT, 1);
    expect(a).toEqual(b);
    expect(Array.from(a.test)).not.toEqual(Array.from(c.test));
  });

  it('covers every row exactly once across disjoint parts', () => {
    const parts = stratifiedSplit(digits.y, DEFAULT_SPLIT, 0);
    expect(Object.keys(parts)).toEqual(['train', 'validation', 'test']);
    const seen = new Uint8Array(digits.rows);
    for (const part of Object.values(parts)) for (const i of part) seen[i]++;
    expect(seen.every((v) => v === 1)).toBe(true);
  });

  it('cuts every class in the requested proportions', () => {
    const parts = stratifiedSplit(digits.y, DEFAULT_SPLIT, 0);
    const classSizes = countBy(
      digits.y,
      Int32Array.from({ length: digits.rows }, (_, i) => i),
    );
    for (const [name, fraction] of Object.entries(DEFAULT_SPLIT)) {
      const perClass = countBy(digits.y, parts[name as keyof typeof DEFAULT_SPLIT]);
      for (const [label, size] of classSizes) {
        expect(Math.abs((perClass.get(label) ?? 0) - fraction * size)).toBeLessThan(1);
      }
      const partSize = parts[name as keyof typeof DEFAULT_SPLIT].length;
      expect(Math.abs(partSize - fraction * digits.rows)).toBeLessThan(1);
    }
    // 80% train+validation, 20% test (0.2 * 1797 = 359.4): the benchmark split.
    expect(parts.test.length).toBe(359);
    expect(parts.train.length).toBe(1258);
    expect(parts.validation.length).toBe(180);
  });

  it('returns parts in shuffled order with classes interleaved', () => {
    const { test } = stratifiedSplit(digits.y, DEFAULT_SPLIT, 0);
    const sorted = Array.from(test).sort((p, q) => p - q);
    expect(Array.from(test)).not.toEqual(sorted);
    const firstTen = new Set(Array.from(test.subarray(0, 20), (i) => digits.y[i]));
    expect(firstTen.size).toBeGreaterThan(3);
  });

  it('handles tiny classes, any label values and custom parts', () => {
    const labels = [5, 5, 5, 5, 5, -2, -2, 9];
    const parts = stratifiedSplit(labels, { a: 0.5, b: 0.5 }, 3);
    // Class -2 splits 1/1; class 5's spare row breaks the tie toward the first part, a;
    // class 9's single row then goes to b, the part now below its share.
    expect(countBy(labels, parts.a)).toEqual(
      new Map([
        [-2, 1],
        [5, 3],
      ]),
    );
    expect(countBy(labels, parts.b)).toEqual(
      new Map([
        [-2, 1],
        [5, 2],
        [9, 1],
      ]),
    );
    const single = stratifiedSplit([0, 1, 2], { all: 1 }, 0);
    expect(Array.from(single.all).sort()).toEqual([0, 1, 2]);
  });

  it('keeps overall part sizes within one row of their share on random label sets', () => {
    const shapes: Record<string, number>[] = [
      { a: 0.15, b: 0.15, c: 0.7 },
      { a: 0.05, b: 0.95 },
      { a: 0.33, b: 0.33, c: 0.34 },
    ];
    let worst = 0;
    for (let t = 0; t < 60; t++) {
      const n = 1 + ((t * 7919) % 997);
      const labels = Array.from({ length: n }, (_, i) => ((i * 31 + t) % 13) % (1 + (t % 9)));
      const fractions = shapes[t % shapes.length];
      const parts = stratifiedSplit(labels, fractions, t);
      for (const [name, f] of Object.entries(fractions)) {
        worst = Math.max(worst, Math.abs(parts[name].length - f * n));
      }
    }
    expect(worst).toBeLessThan(1);
  });

  it('keeps exact sizes where float products land just off an integer', () => {
    const labels = new Array<number>(100).fill(0);
    const parts = stratifiedSplit(labels, { a: 0.29, b: 0.71 }, 0);
    expect([parts.a.length, parts.b.length]).toEqual([29, 71]);
    const thirty = stratifiedSplit(new Array<number>(30).fill(1), { v: 0.1, t: 0.9 }, 0);
    expect([thirty.v.length, thirty.t.length]).toEqual([3, 27]);
  });

  it('rejects bad fractions, labels and seeds', () => {
    expect(() => stratifiedSplit([], DEFAULT_SPLIT, 0)).toThrow(/empty/);
    expect(() => stratifiedSplit([0, 1], {}, 0)).toThrow(/no parts/);
    expect(() => stratifiedSplit([0, 1], { a: 0.5, b: 0.4 }, 0)).toThrow(/sum to 1/);
    expect(() => stratifiedSplit([0, 1], { a: 1, b: 0 }, 0)).toThrow(/'b' must be > 0/);
    expect(() => stratifiedSplit([0, 1], { a: 1.5, b: -0.5 }, 0)).toThrow(/'b' must be > 0/);
    expect(() => stratifiedSplit([0, 1], { a: Number.NaN }, 0)).toThrow(/'a' must be > 0/);
    expect(() => stratifiedSplit([0, 0.5], { a: 1 }, 0)).toThrow(/index 1 is not an integer/);
    expect(() => stratifiedSplit([0, 1], { a: 1 }, 0.5)).toThrow(/safe integer/);
    expect(() => stratifiedSplit([0, 1], { a: 0.3, b: 0.7 + 1e-12 }, 0)).not.toThrow();
  });
});
