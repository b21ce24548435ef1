/**
 * Two-sample Kolmogorov-Smirnov test, two-sided, as scipy 1.10's `ks_2samp(..., method='auto')`
 * computes it (scipy/stats/_stats_py.py; the exact counts in _stats_pythran.py):
 * - D = max |F_ref(x) - F_cur(x)| over the pooled values, with F(x) = #(sample <= x) / n;
 * - 'auto' is exact whenever max(n1, n2) <= 10,000 (MAX_AUTO_N). Unlike method='exact', 'auto'
 *   does NOT check lcm(n1, n2) against int32: it always attempts the exact count there;
 * - exact: with g = gcd(n1, n2), lcm = n1 n2 / g, D is snapped to h / lcm, h = round(D lcm)
 *   (and that snapped D is the statistic returned); h = 0 gives p = 1; equal sizes use the
 *   closed-form alternating sum over the square (`_compute_prob_outside_square`), unequal sizes
 *   count lattice paths that stay strictly inside the band |x/m - y/n| < h / lcm with Viehmann's
 *   stable recursion for the complement (Hodges 1958; Viehmann 2021). If the result is not a
 *   probability in [0, 1], scipy falls back to the asymptotic branch, and so does this;
 * - asymptotic (max(n1, n2) > 10,000): p = kstwo.sf(D, round(n1 n2 / (n1 + n2))), the exact
 *   one-sample distribution at the effective size (`kolmogorovSf`).
 * Cost: sorting, plus O(n) for equal sizes, or about 2 D n1 n2 cell updates for unequal ones
 * (10,000 x 5,000 with D = 0.5 is 5e7 updates): large unequal windows are the slow case.
 */
import { kolmogorovSf } from './stats-kolmogorov';
import { roundHalfEven } from './stats-special';
import { sortedNumbers } from './drift-input';
import { mergeScan, type MergeScan } from './stats-merge';

/** scipy 1.10's MAX_AUTO_N: 'auto' is exact when both samples have at most this many rows. */
export const KS_MAX_EXACT_N = 10000;

/** Result of `ksTest`. */
export type KsResult = {
  /** D in [0, 1]; snapped to a multiple of 1/lcm(n1, n2) when exact, as scipy returns it. */
  statistic: number;
  /** Two-sided p-value in [0, 1]. */
  pValue: number;
  /** Which distribution gave the p-value. */
  mode: 'exact' | 'asymp';
  /** The value x where |F_ref(x) - F_cur(x)| is largest (scipy's statistic_location). */
  location: number;
  /** +1 when F_ref is above F_cur there (reference shifted left), -1 otherwise. */
  sign: 1 | -1;
  n1: number;
  n2: number;
};

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Pr(D_{n,n} >= h/n), the alternating sum 2 (A0 - A0 A1 + ...) in Horner form (scipy's order). */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/**
 * Pr(D_{m,n} >= h / lcm) for m != n: a sliding column of the lattice-path table, each cell the
 * probability that a path through it has already left the band (Viehmann's form of Hodges'
 * inside method), in scipy's operation order except a reciprocal table for 1 / (i + j).
 */
function probOutsideBand(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  // 1 / (i + j) from a table: multiplications instead of a division per cell shorten the
  // loop-carried dependency on `val` (rounding moves by ~1e-16 per step, far inside 1e-6).
  const recip = new Float64Array(m + n + 1);
  for (let k = 1; k <= m + n; k++) recip[k] = 1 / k;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    const off = minj - lastminj;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      const r = recip[i + j];
      // (A i + val j) / (i + j), arranged so that only one multiply-add waits on `val`.
      val = A[jj + off] * i * r + val * (j * r);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, curlen, Math.min(lenA, curlen + (lastlen - curlen)));
  }
  return A[maxj - minj - 1];
}

/** The exact p-value, or null where scipy would give up and fall back to the asymptotic one. */
function exactPValue(n1: number, n2: number, h: number, g: number): number | null {
  if (h === 0) return 1;
  const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
  return p >= 0 && p <= 1 ? p : null;
}

/**
 * Two-sample Kolmogorov-Smirnov test (scipy 1.10 `ks_2samp`, two-sided, method 'auto'; the
 * rules are in the file comment). Inputs may be given already sorted via `ksTestSorted`.
 * @param ref reference sample, finite numbers (unitless: any consistent unit).
 * @param cur current sample, same unit.
 * @throws Error on an empty sample or a NaN / infinite value (naming the index).
 */
export function ksTest(ref: ArrayLike<number>, cur: ArrayLike<number>): KsResult {
  return ksTestSorted(sortedNumbers('ksTest', ref, 'ref'), sortedNumbers('ksTest', cur, 'cur'));
}

/**
 * `ksTest` on samples already sorted ascending (checked by the caller; not re-validated).
 * @param scan `mergeScan(a, b)` when the caller already has it.
 */
export function ksTestSorted(
  a: Float64Array,
  b: Float64Array,
  scan: MergeScan = mergeScan(a, b),
): KsResult {
  const n1 = a.length;
  const n2 = b.length;
  // scipy: minS = clip(-min, 0, 1); D = minS if minS > maxS else maxS.
  const minS = Math.min(1, Math.max(0, -scan.minDiff));
  const neg = minS > scan.maxDiff;
  let d = neg ? minS : scan.maxDiff;
  const stat = {
    location: neg ? scan.minAt : scan.maxAt,
    sign: neg ? (-1 as const) : (1 as const),
  };
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    const p = exactPValue(n1, n2, h, g);
    if (p !== null) return { statistic: d, pValue: p, mode: 'exact', ...stat, n1, n2 };
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  const pValue = Math.min(1, Math.max(0, kolmogorovSf(roundHalfEven(en), d)));
  return { statistic: d, pValue, mode: 'asymp', ...stat, n1, n2 };
}
