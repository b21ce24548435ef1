import { describe, expect, it } from 'vitest';
import { createRng } from './rng';
import { sortedCopy } from './stats-sort';

describe('sortedCopy (radix sort of float64)', () => {
  it('orders like the built-in numeric sort, across signs, magnitudes and ties', () => {
    const rng = createRng(11);
    const make = [
      () => rng.normal(),
      () => rng.normal() * 1e-300,
      () => (rng.next() - 0.5) * 1e300,
      () => rng.int(17),
      () => -rng.int(5) - 0.25,
    ];
    for (const n of [0, 1, 255, 256, 1000, 10000]) {
      for (const g of make) {
        const x = Float64Array.from({ length: n }, g);
        expect(Array.from(sortedCopy(x))).toEqual(Array.from(Float64Array.from(x).sort()));
      }
    }
  });
  it('handles infinities, signed zeros and leaves the input alone', () => {
    const base = [3, -Infinity, 0, -0, Infinity, -2.5, 5e-324, -5e-324, 1];
    const x = Array.from({ length: 300 }, (_, i) => base[i % base.length]);
    const copy = x.slice();
    const s = sortedCopy(x);
    for (let i = 1; i < s.length; i++) expect(s[i - 1] <= s[i]).toBe(true);
    expect(s[0]).toBe(-Infinity);
    expect(s[s.length - 1]).toBe(Infinity);
    expect(x).toEqual(copy);
  });
});
