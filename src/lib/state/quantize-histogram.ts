/** The weight quantization error of one tensor as a histogram of `dequantized - original`. */

export const HISTOGRAM_BINS = 30;

/** A histogram of `dequantized - original` over one tensor. */
export type ErrorHistogram = {
  /** `bins` equal-width bins from `lo` to `hi`. */
  lo: number;
  hi: number;
  counts: number[];
  n: number;
  min: number;
  max: number;
  maxAbs: number;
  meanAbs: number;
};

/** Bins `errors` into `bins` equal bins over their range (a flat tensor gets a small band). */
export function errorHistogram(errors: ArrayLike<number>, bins = HISTOGRAM_BINS): ErrorHistogram {
  let min = Infinity;
  let max = -Infinity;
  let sumAbs = 0;
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i];
    if (e < min) min = e;
    if (e > max) max = e;
    sumAbs += Math.abs(e);
  }
  const n = errors.length;
  if (n === 0) [min, max] = [0, 0];
  let [lo, hi] = [min, max];
  if (hi === lo) {
    const pad = Math.abs(lo) * 0.5 || 1e-9;
    [lo, hi] = [lo - pad, hi + pad];
  }
  const counts = new Array<number>(bins).fill(0);
  const width = (hi - lo) / bins;
  for (let i = 0; i < n; i++) counts[Math.min(bins - 1, Math.floor((errors[i] - lo) / width))]++;
  return {
    lo,
    hi,
    counts,
    n,
    min,
    max,
    maxAbs: Math.max(Math.abs(min), Math.abs(max)),
    meanAbs: n === 0 ? 0 : sumAbs / n,
  };
}
