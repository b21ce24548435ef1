/**
 * The explainable-drift panel's computations: shared display bins for a reference and a current
 * column, ECDF steps for the KS picture, a seeded sample of both columns at any size (the sample
 * size slider), and the drift test at a ladder of sizes. Pure: no DOM; randomness only from a
 * seeded generator.
 */
import { driftTest, ksTest, type DriftResult, type KsResult } from '../core/drift';
import { createRng } from '../core/rng';

/** Shared bins with each sample's shares (fractions summing to 1). */
export type DisplayHistogram = {
  /** 'values': one bin per distinct value (`values`); 'edges': equal-width bins (`edges`). */
  kind: 'values' | 'edges';
  values: number[];
  /** Ascending edges, one more than bins; bin i holds edges[i] <= x < edges[i+1], the last closed. */
  edges: number[];
  reference: number[];
  current: number[];
};

/** Up to this many distinct values (both samples together) get one bar each. */
export const MAX_VALUE_BARS = 24;

/**
 * Bins for showing two samples on one axis: one bar per value when both together hold at most
 * `MAX_VALUE_BARS` distinct values (digits pixels are integers 0..16), else `bins` equal-width
 * bins over the pooled range (a constant sample gets one bin).
 * @throws Error on an empty sample or a value that is not a finite number.
 */
export function displayHistogram(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  bins = 20,
): DisplayHistogram {
  if (reference.length === 0 || current.length === 0) {
    throw new Error('histogram: both samples need at least one value');
  }
  const distinct = new Set<number>();
  let [lo, hi] = [Infinity, -Infinity];
  for (const s of [reference, current]) {
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (!Number.isFinite(v)) throw new Error(`histogram: value ${v} is not a finite number`);
      if (distinct.size <= MAX_VALUE_BARS) distinct.add(v);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const share = (s: ArrayLike<number>, bin: (v: number) => number, k: number): number[] => {
    const out = new Array<number>(k).fill(0);
    for (let i = 0; i < s.length; i++) out[bin(s[i])] += 1 / s.length;
    return out;
  };
  if (distinct.size <= MAX_VALUE_BARS) {
    const values = [...distinct].sort((a, b) => a - b);
    const at = new Map(values.map((v, i) => [v, i]));
    const bin = (v: number) => at.get(v) as number;
    return {
      kind: 'values',
      values,
      edges: [],
      reference: share(reference, bin, values.length),
      current: share(current, bin, values.length),
    };
  }
  const k = hi > lo ? bins : 1;
  const width = (hi - lo) / k;
  const edges = Array.from({ length: k + 1 }, (_, i) => (i === k ? hi : lo + i * width));
  const bin = (v: number) => Math.min(k - 1, Math.floor((v - lo) / (width || 1)));
  return {
    kind: 'edges',
    values: [],
    edges,
    reference: share(reference, bin, k),
    current: share(current, bin, k),
  };
}

/**
 * The ECDF of a sample as steps: at each distinct value x (ascending), F(x) = share <= x. At most
 * `maxSteps` points: beyond that, the steps at evenly spaced ranks (a drawing, not a statistic).
 */
export function ecdfSteps(sample: ArrayLike<number>, maxSteps = 400): { x: number; y: number }[] {
  const s = Float64Array.from(sample).sort();
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i < s.length; i++) {
    if (i + 1 < s.length && s[i + 1] === s[i]) continue;
    out.push({ x: s[i], y: (i + 1) / s.length });
  }
  if (out.length <= maxSteps) return out;
  const stride = out.length / maxSteps;
  const thin = Array.from({ length: maxSteps }, (_, i) => out[Math.floor(i * stride)]);
  thin[maxSteps - 1] = out[out.length - 1];
  return thin;
}

/** F(x) = share of the sample <= x. */
export function ecdfAt(sample: ArrayLike<number>, x: number): number {
  let k = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] <= x) k++;
  return k / sample.length;
}

/**
 * Row indices for a sample of any size from a column of `length` rows, nested across sizes
 * (size n is the first n of one fixed sequence, so a larger size adds rows): the first `length`
 * entries are a seeded permutation (a subsample without replacement), any further ones are
 * seeded draws with replacement (a resample: the same distribution, more rows).
 */
export function sampleIndices(length: number, size: number, seed: number): Uint32Array {
  if (!(Number.isInteger(length) && length >= 1)) throw new Error('sample: the column is empty');
  if (!(Number.isInteger(size) && size >= 1))
    throw new Error(`sample size must be >= 1, got ${size}`);
  const rng = createRng(seed);
  const perm = Uint32Array.from({ length }, (_, i) => i);
  const out = new Uint32Array(size);
  const k = Math.min(size, length);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(length - i);
    [perm[i], perm[j]] = [perm[j], perm[i]];
    out[i] = perm[i];
  }
  for (let i = k; i < size; i++) out[i] = rng.int(length);
  return out;
}

/** `column` at `indices`, as a new array. */
export function gather(column: ArrayLike<number>, indices: Uint32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = column[indices[i]];
  return out;
}

/** Seeds of the two columns' samples: fixed, so each size always draws the same rows. */
export const SAMPLE_SEEDS = { reference: 61, current: 62 } as const;

/** Both columns sampled to `size` rows each (`sampleIndices` with fixed seeds). */
export function sampleBoth(reference: ArrayLike<number>, current: ArrayLike<number>, size: number) {
  return {
    reference: gather(reference, sampleIndices(reference.length, size, SAMPLE_SEEDS.reference)),
    current: gather(current, sampleIndices(current.length, size, SAMPLE_SEEDS.current)),
  };
}

/** One rung of the sample-size ladder: KS on both samples and the test Evidently's rule picks. */
export type SizeRung = {
  size: number;
  ks: KsResult;
  /** Evidently's default test at this reference size (numerical column), with its verdict. */
  verdict: DriftResult;
};

/** The sizes the panel compares (rows per sample). */
export const SIZE_LADDER = [50, 100, 200, 500, 1000, 2000, 5000, 10000] as const;

/**
 * KS and Evidently's default test at each size, on nested seeded samples of both columns.
 * @throws Error when a column is empty or holds NaN (from the core tests).
 */
export function sizeLadder(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  sizes: readonly number[] = SIZE_LADDER,
): SizeRung[] {
  return sizes.map((size) => {
    const s = sampleBoth(reference, current, size);
    const verdict = driftTest(s.reference, s.current, 'numerical');
    return { size, ks: ksTest(s.reference, s.current), verdict };
  });
}
