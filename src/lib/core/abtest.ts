/**
 * A/B statistics on a success rate (accuracy on labelled traffic, or a business conversion):
 * the two-proportion z-test with its confidence interval, and the sample size to plan for.
 * Normal approximations throughout; tests/fixtures/abtest/gen_abtest.py checks them against
 * statsmodels 0.13 and scipy 1.10.
 */
import { normalPpf, normalSf } from './stats-special';

export type TwoProportionResult = {
  /** Pooled z statistic of pB - pA; positive when B does better. */
  z: number;
  /** Two-sided p-value, 2 Pr(Z > |z|). */
  pValue: number;
  /** pB - pA, a difference of rates (fractions, not percentage points). */
  diff: number;
  /** Unpooled (Wald) 95% interval of pB - pA: diff -/+ z_0.975 sqrt(pA qA / nA + pB qB / nB). */
  ci95: [number, number];
  pA: number;
  pB: number;
};

function checkCount(fn: string, name: string, v: number, max?: number): void {
  if (!Number.isInteger(v) || v < 0 || (max !== undefined && v > max)) {
    const range = max === undefined ? 'a positive integer' : `an integer in [0, ${max}]`;
    throw new Error(`${fn}: ${name} is ${v}, expected ${range}`);
  }
}

/**
 * Two-proportion z-test of arm B against arm A: statsmodels `proportions_ztest([sB, sA], [nB,
 * nA])` (pooled variance p (1 - p) (1/nA + 1/nB), p = (sA + sB) / (nA + nB)), with the Wald
 * interval of `confint_proportions_2indep(..., method='wald')`. When both arms are all successes
 * or all failures the pooled variance is 0: there is no evidence either way, z = 0 and p = 1.
 * @param successA successes in arm A (an integer in [0, totalA]); likewise for B.
 * @param totalA trials in arm A (a positive integer); likewise for B.
 * @throws Error on a non-integer, negative or impossible count.
 */
export function twoProportionZTest(
  successA: number,
  totalA: number,
  successB: number,
  totalB: number,
): TwoProportionResult {
  const fn = 'twoProportionZTest';
  checkCount(fn, 'totalA', totalA);
  checkCount(fn, 'totalB', totalB);
  if (totalA === 0 || totalB === 0) throw new Error(`${fn}: each arm needs at least one trial`);
  checkCount(fn, 'successA', successA, totalA);
  checkCount(fn, 'successB', successB, totalB);
  const pA = successA / totalA;
  const pB = successB / totalB;
  const diff = pB - pA;
  const pooled = (successA + successB) / (totalA + totalB);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / totalA + 1 / totalB));
  const z = se0 === 0 ? 0 : diff / se0;
  const pValue = se0 === 0 ? 1 : Math.min(1, 2 * normalSf(Math.abs(z)));
  const half = normalPpf(0.975) * Math.sqrt((pA * (1 - pA)) / totalA + (pB * (1 - pB)) / totalB);
  return { z, pValue, diff, ci95: [diff - half, diff + half], pA, pB };
}

/**
 * Unrounded per-arm sample size of `sampleSizePerArm` (see there for the formula).
 */
export function sampleSizeUnrounded(
  baseline: number,
  mde: number,
  alpha: number,
  power: number,
): number {
  const fn = 'sampleSizePerArm';
  if (!(baseline > 0 && baseline < 1)) {
    throw new Error(`${fn}: baseline must be a rate in (0, 1), got ${baseline}`);
  }
  const p2 = baseline + mde;
  if (!(mde !== 0 && p2 > 0 && p2 < 1)) {
    throw new Error(
      `${fn}: mde must be a non-zero absolute difference with baseline + mde in (0, 1), got ${mde}`,
    );
  }
  if (!(alpha > 0 && alpha < 1)) throw new Error(`${fn}: alpha must be in (0, 1), got ${alpha}`);
  if (!(power > 0 && power < 1)) throw new Error(`${fn}: power must be in (0, 1), got ${power}`);
  const p1 = baseline;
  const pBar = (p1 + p2) / 2;
  const zAlpha = normalPpf(1 - alpha / 2);
  const zBeta = normalPpf(power);
  const root =
    zAlpha * Math.sqrt(2 * pBar * (1 - pBar)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return (root * root) / (mde * mde);
}

/**
 * Rows needed in EACH arm to detect an absolute change `mde` from `baseline` with a two-sided
 * test at level `alpha` and the given `power`: the normal-approximation formula for two
 * independent proportions, null variance pooled, alternative variance unpooled, no continuity
 * correction, far tail ignored (statsmodels `samplesize_proportions_2indep_onetail(diff=mde,
 * prop2=baseline, power, ratio=1, alpha, alternative='two-sided')`; Fleiss, Levin & Paik,
 * Statistical Methods for Rates and Proportions, ch. 4, without the continuity correction).
 * With p1 = baseline, p2 = baseline + mde and p = (p1 + p2) / 2:
 *   n = (z_{1-alpha/2} sqrt(2 p (1 - p)) + z_{power} sqrt(p1 (1 - p1) + p2 (1 - p2)))^2 / mde^2,
 * rounded up.
 * @param baseline the current rate, in (0, 1) (e.g. 0.9 accuracy).
 * @param mde minimum detectable effect, absolute (0.01 = one percentage point), either sign;
 *   baseline + mde must stay in (0, 1).
 * @param alpha significance level, e.g. 0.05. @param power e.g. 0.8.
 * @returns a positive integer: rows per arm (twice that in total).
 * @throws Error when an argument is outside its range.
 */
export function sampleSizePerArm(
  baseline: number,
  mde: number,
  alpha: number,
  power: number,
): number {
  return Math.ceil(sampleSizeUnrounded(baseline, mde, alpha, power));
}
