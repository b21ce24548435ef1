/**
 * Evidently's binning for PSI and Jensen-Shannon (legacy `stattests/utils.py::get_binned_data`):
 * - a numerical column whose REFERENCE has more than 20 distinct values is cut into Sturges bins
 *   computed on reference and current together (`np.histogram_bin_edges(concat, 'sturges')`:
 *   ceil(ptp / (ptp / (log2(N) + 1))) equal bins from the pooled min to the pooled max), and each
 *   sample is counted with `np.histogram(sample, edges)`: bin i holds edges[i] <= x < edges[i+1],
 *   the last bin also holds its right edge;
 * - anything else (categorical, or 20 or fewer reference values) gets one bin per value seen in
 *   either sample;
 * - shares are counts / sample size. For PSI only, zero shares are then filled per sample with
 *   0.0001, or with (smallest non-zero share) / 1e6 when that share is <= 0.0001.
 */
import {
  checkCategoryPair,
  countDistinctSorted,
  sortedNumbers,
  sortedKeys,
  valueCounts,
  type Category,
} from './drift-input';

/** Bins of one comparison with each sample's counts and shares (shares sum to 1 before filling). */
export type Binning = (
  | {
      kind: 'edges';
      /** Ascending bin edges (the feature's unit), one more than there are bins. */
      edges: number[];
    }
  | { kind: 'categories'; categories: Category[] }
) & {
  referenceCounts: number[];
  currentCounts: number[];
  /** Fractions in [0, 1]; after zero filling (PSI) no share is 0. */
  referenceShares: number[];
  currentShares: number[];
  /** Whether zero shares were replaced (PSI) or not (Jensen-Shannon). */
  zeroSharesFilled: boolean;
};

/** Above this many distinct reference values a numerical column gets Sturges bins. */
export const MAX_VALUES_FOR_PER_VALUE_BINS = 20;

/** numpy's `histogram_bin_edges(values, bins='sturges')` for the union of two sorted samples. */
export function sturgesEdges(a: Float64Array, b: Float64Array): number[] {
  const lo = Math.min(a[0], b[0]);
  const hi = Math.max(a[a.length - 1], b[b.length - 1]);
  const ptp = hi - lo;
  let first = lo;
  let last = hi;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = ptp / (Math.log2(a.length + b.length) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  // np.linspace(first, last, bins + 1): i * step + first, the last edge set to `last`.
  const delta = last - first;
  const step = delta / bins;
  const edges = new Array<number>(bins + 1);
  for (let i = 0; i <= bins; i++)
    edges[i] = step === 0 ? (i / bins) * delta + first : i * step + first;
  edges[bins] = last;
  return edges;
}

/** First index whose value is >= v (`side='left'`), or > v (`side='right'`). */
function searchSorted(sorted: Float64Array, v: number, side: 'left' | 'right'): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v || (side === 'right' && sorted[mid] === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `np.histogram(sample, edges)[0]` for a sorted sample. */
export function histogramCounts(sorted: Float64Array, edges: number[]): number[] {
  const bins = edges.length - 1;
  const cum = edges.map((e, i) => searchSorted(sorted, e, i === bins ? 'right' : 'left'));
  return cum.slice(1).map((c, i) => c - cum[i]);
}

/** Evidently's zero filling, in place (see the file comment). */
export function fillZeroShares(shares: number[]): void {
  let min = Infinity;
  for (const s of shares) if (s !== 0 && s < min) min = s;
  const fill = min <= 0.0001 ? min / 1e6 : 0.0001;
  for (let i = 0; i < shares.length; i++) if (shares[i] === 0) shares[i] = fill;
}

function finish(
  bins: { kind: 'edges'; edges: number[] } | { kind: 'categories'; categories: Category[] },
  referenceCounts: number[],
  currentCounts: number[],
  nRef: number,
  nCur: number,
  fill: boolean,
): Binning {
  const referenceShares = referenceCounts.map((c) => c / nRef);
  const currentShares = currentCounts.map((c) => c / nCur);
  if (fill) {
    fillZeroShares(referenceShares);
    fillZeroShares(currentShares);
  }
  return {
    ...bins,
    referenceCounts,
    currentCounts,
    referenceShares,
    currentShares,
    zeroSharesFilled: fill,
  };
}

/** One bin per value seen in either sample, values ascending. */
export function perValueBinning(
  ref: ArrayLike<Category>,
  cur: ArrayLike<Category>,
  fill: boolean,
): Binning {
  return perValueBinningOfCounts(valueCounts(ref), valueCounts(cur), ref.length, cur.length, fill);
}

/** `perValueBinning` from each sample's value counts and size. */
export function perValueBinningOfCounts(
  a: Map<Category, number>,
  b: Map<Category, number>,
  nRef: number,
  nCur: number,
  fill: boolean,
): Binning {
  const categories = sortedKeys(a, b);
  const rc = categories.map((k) => a.get(k) ?? 0);
  const cc = categories.map((k) => b.get(k) ?? 0);
  return finish({ kind: 'categories', categories }, rc, cc, nRef, nCur, fill);
}

/** Evidently's binning for two sorted numerical samples. */
export function numericalBinning(a: Float64Array, b: Float64Array, fill: boolean): Binning {
  if (countDistinctSorted(a) <= MAX_VALUES_FOR_PER_VALUE_BINS) return perValueBinning(a, b, fill);
  const edges = sturgesEdges(a, b);
  const rc = histogramCounts(a, edges);
  const cc = histogramCounts(b, edges);
  return finish({ kind: 'edges', edges }, rc, cc, a.length, b.length, fill);
}

/**
 * Evidently's binning of a column (see the file comment), checking the input first.
 * @param fill true for PSI (zero shares filled), false for Jensen-Shannon.
 * @throws Error on an empty sample, NaN, an infinite number (numerical), or mixed types.
 */
export function binColumn(
  fn: string,
  ref: ArrayLike<Category>,
  cur: ArrayLike<Category>,
  kind: 'numerical' | 'categorical',
  fill: boolean,
): Binning {
  if (kind === 'categorical') {
    checkCategoryPair(fn, ref, cur);
    return perValueBinning(ref, cur, fill);
  }
  const a = sortedNumbers(fn, ref as ArrayLike<number>, 'ref');
  const b = sortedNumbers(fn, cur as ArrayLike<number>, 'cur');
  return numericalBinning(a, b, fill);
}
