/** summarize against numpy's mean and default (linear) percentile (gen_quantize.py fixtures). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { percentileSorted, summarize } from './latency';

type LatencyCase = {
  name: string;
  samples: number[];
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
  percentiles: Record<string, number>;
};
const REF = JSON.parse(
  readFileSync(
    new URL('../../../tests/fixtures/quantize/quantize-reference.json', import.meta.url),
    'utf8',
  ),
) as { latency: LatencyCase[] };

describe('summarize matches numpy', () => {
  it.each(REF.latency.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const copy = [...c.samples];
    const s = summarize(c.samples);
    expect(c.samples).toEqual(copy); // not sorted in place
    expect(s.n).toBe(c.n);
    // numpy sums pairwise: the mean may differ in the last bits.
    expect(Math.abs(s.mean - c.mean)).toBeLessThanOrEqual(1e-14 * Math.abs(c.mean));
    // The percentiles follow numpy's arithmetic step by step: exact.
    expect([s.p50, s.p95, s.p99, s.min, s.max]).toEqual([c.p50, c.p95, c.p99, c.min, c.max]);
    const sorted = Float64Array.from(c.samples).sort();
    for (const [p, want] of Object.entries(c.percentiles)) {
      expect(percentileSorted(sorted, Number(p)), `p${p}`).toBe(want);
    }
  });

  it('accepts any array-like of numbers', () => {
    expect(summarize(Float32Array.of(4, 1, 2, 3))).toEqual({
      n: 4,
      mean: 2.5,
      p50: 2.5,
      p95: 3.8499999999999996,
      p99: 3.9699999999999998,
      max: 4,
      min: 1,
    });
  });
});

describe('summarize refuses', () => {
  it('empty input', () => {
    expect(() => summarize([])).toThrow(/No latency samples/);
  });
  it('NaN and infinite samples, naming the index', () => {
    expect(() => summarize([1, NaN])).toThrow(/sample 1 is NaN/);
    expect(() => summarize([Infinity])).toThrow(/sample 0 is Infinity/);
  });
  it('percentiles outside [0, 100]', () => {
    expect(() => percentileSorted([1], 101)).toThrow(/\[0, 100\]/);
    expect(() => percentileSorted([], 50)).toThrow(/no samples/);
  });
});
