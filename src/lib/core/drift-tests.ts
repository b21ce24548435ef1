/**
 * Evidently's p-value drift tests for discrete columns (legacy stattests; scipy 1.10
 * underneath), each with the facts a UI needs to explain it: chi-square and the Z test. (KS is in
 * stats-ks.ts, the distances in drift-distances.ts.) Rules are cited per function; files are
 * under `src/evidently/legacy/calculations/stattests/` in Evidently's repository.
 */
import { checkCategoryPair, sortedKeys, valueCounts, type Category } from './drift-input';
import { chiSquareSf, normalSf } from './stats-special';

/** Chi-square goodness of fit of the current counts against the reference shares. */
export type ChiSquareResult = {
  statistic: number;
  pValue: number;
  /** Degrees of freedom: categories - 1. */
  df: number;
  categories: Category[];
  /** Current counts per category. */
  observed: number[];
  /** Reference counts scaled to the current size: refCount * nCur / nRef. */
  expected: number[];
};

/**
 * Evidently's chi-square test (`chisquare_stattest.py`): categories = values seen in either
 * sample; f_exp = reference count * (n_cur / n_ref); p = scipy `chisquare(f_obs, f_exp)`, i.e.
 * chi2.sf(sum (obs - exp)^2 / exp, k - 1). A category absent from the reference has exp = 0, so
 * the statistic is Infinity and p = 0, as in scipy. Drift (in `driftTest`) when p < threshold.
 * @throws Error on empty samples, NaN, mixed types, or a single category (scipy returns NaN).
 */
export function chiSquareTest(ref: ArrayLike<Category>, cur: ArrayLike<Category>): ChiSquareResult {
  checkCategoryPair('chiSquareTest', ref, cur);
  return chiSquareCounts(valueCounts(ref), valueCounts(cur), ref.length, cur.length);
}

export function chiSquareCounts(
  a: Map<Category, number>,
  b: Map<Category, number>,
  nRef: number,
  nCur: number,
): ChiSquareResult {
  const categories = sortedKeys(a, b);
  if (categories.length < 2) {
    throw new Error('chiSquareTest: both samples hold one single value; there is nothing to test');
  }
  const kNorm = nCur / nRef;
  const expected = categories.map((k) => (a.get(k) ?? 0) * kNorm);
  const observed = categories.map((k) => b.get(k) ?? 0);
  let statistic = 0;
  for (let i = 0; i < categories.length; i++) {
    statistic += (observed[i] - expected[i]) ** 2 / expected[i];
  }
  const df = categories.length - 1;
  return { statistic, pValue: chiSquareSf(statistic, df), df, categories, observed, expected };
}

/** Two-proportion z-test between the samples on a two-valued column. */
export type ZTestResult = {
  statistic: number;
  pValue: number;
  /** The values in ascending order; the share reported is that of `categories[1]`. */
  categories: Category[];
  referenceShare: number;
  currentShare: number;
};

/**
 * Evidently's Z test (`z_stattest.py`): if both samples hold one and the same value, p = 1.
 * Otherwise the sorted values' first is coded 0 and the other 1, p1 and p2 are the samples'
 * shares of 1, P = (p1 n1 + p2 n2) / (n1 + n2), z = (p1 - p2) / sqrt(P (1 - P) (1/n1 + 1/n2)),
 * p = 2 (1 - Phi(|z|)) (computed as 2 Phi(-|z|), which keeps precision in the tail).
 * Drift (in `driftTest`) when p < threshold.
 * @throws Error on empty samples, NaN, mixed types, or more than two distinct values.
 */
export function zTest(ref: ArrayLike<Category>, cur: ArrayLike<Category>): ZTestResult {
  checkCategoryPair('zTest', ref, cur);
  return zTestCounts(valueCounts(ref), valueCounts(cur), ref.length, cur.length);
}

export function zTestCounts(
  a: Map<Category, number>,
  b: Map<Category, number>,
  n1: number,
  n2: number,
): ZTestResult {
  const categories = sortedKeys(a, b);
  if (categories.length > 2) {
    throw new Error(
      `zTest compares two categories, got ${categories.length}; use chiSquareTest for more`,
    );
  }
  if (categories.length === 1) {
    return { statistic: 0, pValue: 1, categories, referenceShare: 0, currentShare: 0 };
  }
  const p1 = (a.get(categories[1]) ?? 0) / n1;
  const p2 = (b.get(categories[1]) ?? 0) / n2;
  const P = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(P * (1 - P) * (1 / n1 + 1 / n2));
  return {
    statistic: z,
    pValue: 2 * normalSf(Math.abs(z)),
    categories,
    referenceShare: p1,
    currentShare: p2,
  };
}
