/**
 * Evidently's distance-based drift measures (legacy stattests; scipy 1.10 underneath), each with
 * the facts a UI needs to explain it: the normed Wasserstein distance, Jensen-Shannon and PSI.
 * Rules are cited per function; files are under `src/evidently/legacy/calculations/stattests/`.
 */
import {
  binColumn,
  numericalBinning,
  perValueBinningOfCounts,
  type Binning,
} from './drift-binning';
import { sortedNumbers, type Category } from './drift-input';
import { mergeScan, type MergeScan } from './stats-merge';

/** Wasserstein distance normed by the reference's standard deviation. */
export type WassersteinResult = {
  /** distance / norm; unitless. */
  score: number;
  /** scipy `wasserstein_distance`, in the feature's unit. */
  distance: number;
  /** Population standard deviation (ddof = 0) of the reference, in the feature's unit. */
  referenceStd: number;
  /** max(referenceStd, 0.001). */
  norm: number;
};

/** numpy `std` with ddof = 0 (two passes: mean, then mean squared deviation). */
export function populationStd(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  const mean = s / x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - mean) ** 2;
  return Math.sqrt(ss / x.length);
}

/**
 * `wassersteinNormed` with its parts, on sorted samples.
 * @param scan `mergeScan(a, b)` when the caller already has it.
 * @param referenceStd the reference's population standard deviation when already known.
 */
export function wassersteinSortedDetails(
  a: Float64Array,
  b: Float64Array,
  scan: MergeScan = mergeScan(a, b),
  referenceStd: number = populationStd(a),
): WassersteinResult {
  const distance = scan.wasserstein;
  const norm = Math.max(referenceStd, 0.001);
  return { score: distance / norm, distance, referenceStd, norm };
}

/**
 * Evidently's normed Wasserstein distance (`wasserstein_distance_norm.py`):
 * scipy `wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)` (ddof = 0). Unitless: 0.1
 * means the distributions are a tenth of a reference standard deviation apart. Drift (in
 * `driftTest`) when the distance >= threshold.
 * @throws Error on an empty sample or a NaN / infinite value.
 */
export function wassersteinNormed(ref: ArrayLike<number>, cur: ArrayLike<number>): number {
  return wassersteinDetails(ref, cur).score;
}

export function wassersteinDetails(
  ref: ArrayLike<number>,
  cur: ArrayLike<number>,
): WassersteinResult {
  const fn = 'wassersteinNormed';
  return wassersteinSortedDetails(sortedNumbers(fn, ref, 'ref'), sortedNumbers(fn, cur, 'cur'));
}

/** scipy `jensenshannon(p, q)` with the natural log: both renormalised to sum 1. */
export function jensenShannonOfShares(p: number[], q: number[]): number {
  const sp = p.reduce((s, x) => s + x, 0);
  const sq = q.reduce((s, x) => s + x, 0);
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const m = (pi + qi) / 2;
    // scipy.special.rel_entr: x log(x / y) for x > 0, 0 for x = 0.
    if (pi > 0) js += pi * Math.log(pi / m);
    if (qi > 0) js += qi * Math.log(qi / m);
  }
  // Rounding can leave a -1e-17 for identical shares, where scipy's sqrt gives NaN; 0 here.
  return Math.sqrt(Math.max(0, js / 2));
}

/** Jensen-Shannon distance with the binning it was computed on. */
export type BinnedScore = { score: number; binning: Binning };

/**
 * Evidently's Jensen-Shannon distance (`jensenshannon.py`): shares from `get_binned_data`
 * WITHOUT zero filling, then scipy `distance.jensenshannon` (natural log, so in [0, sqrt(ln 2)]).
 * Drift (in `driftTest`) when the distance >= threshold.
 */
export function jensenShannon(
  ref: ArrayLike<Category>,
  cur: ArrayLike<Category>,
  kind: 'numerical' | 'categorical',
): number {
  return jensenShannonDetails(ref, cur, kind).score;
}

export function jensenShannonDetails(
  ref: ArrayLike<Category>,
  cur: ArrayLike<Category>,
  kind: 'numerical' | 'categorical',
): BinnedScore {
  const binning = binColumn('jensenShannon', ref, cur, kind, false);
  return { score: jensenShannonOfShares(binning.referenceShares, binning.currentShares), binning };
}

/** PSI of binned shares: sum (ref - cur) ln(ref / cur); shares must be zero-filled. */
export function psiOfShares(ref: number[], cur: number[]): number {
  let sum = 0;
  for (let i = 0; i < ref.length; i++) sum += (ref[i] - cur[i]) * Math.log(ref[i] / cur[i]);
  return sum;
}

/**
 * Evidently's population stability index (`psi.py`): shares from `get_binned_data` WITH zero
 * filling, then sum (ref - cur) * ln(ref / cur). Unitless, >= 0; Evidently's default threshold
 * is 0.1 (drift when >= 0.1). Not one of Evidently's default tests; offered for teaching.
 */
export function psi(
  ref: ArrayLike<Category>,
  cur: ArrayLike<Category>,
  kind: 'numerical' | 'categorical',
): number {
  return psiDetails(ref, cur, kind).score;
}

export function psiDetails(
  ref: ArrayLike<Category>,
  cur: ArrayLike<Category>,
  kind: 'numerical' | 'categorical',
): BinnedScore {
  const binning = binColumn('psi', ref, cur, kind, true);
  return { score: psiOfShares(binning.referenceShares, binning.currentShares), binning };
}

/** Jensen-Shannon on two sorted numerical samples (no re-validation). */
export function jensenShannonSorted(a: Float64Array, b: Float64Array): BinnedScore {
  const binning = numericalBinning(a, b, false);
  return { score: jensenShannonOfShares(binning.referenceShares, binning.currentShares), binning };
}

/** Jensen-Shannon from each categorical sample's value counts and size (no re-validation). */
export function jensenShannonOfCounts(
  a: Map<Category, number>,
  b: Map<Category, number>,
  nRef: number,
  nCur: number,
): BinnedScore {
  const binning = perValueBinningOfCounts(a, b, nRef, nCur, false);
  return { score: jensenShannonOfShares(binning.referenceShares, binning.currentShares), binning };
}
