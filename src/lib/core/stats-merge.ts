/**
 * One merge pass over two sorted samples that yields everything the numerical drift tests need:
 * the number of distinct pooled values (Evidently's n_values), the extremes of the ECDF
 * difference F_a - F_b (the KS statistic, as scipy forms it) and the integral of |F_a - F_b|
 * (scipy's wasserstein_distance). Fusing them saves a pass per feature per window.
 */

export type MergeScan = {
  /** Distinct values in both samples together. */
  distinct: number;
  /** max over pooled values x of c_a(x)/n_a - c_b(x)/n_b (c = count <= x), and where. */
  maxDiff: number;
  maxAt: number;
  /** min of the same difference, and where. */
  minDiff: number;
  minAt: number;
  /** integral of |F_a - F_b| dx, in the samples' unit (scipy `wasserstein_distance`). */
  wasserstein: number;
};

/**
 * Scans sorted, non-empty samples `a` (reference) and `b` (current).
 * The differences are `i / na - j / nb`, the same floats numpy forms in `ks_2samp`. Where the
 * extreme is reached at several values, the location is numpy's argmax/argmin over
 * concat(sorted a, sorted b): the smallest such value present in `a`, else the smallest in `b`.
 */
export function mergeScan(a: Float64Array, b: Float64Array): MergeScan {
  const na = a.length;
  const nb = b.length;
  let i = 0;
  let j = 0;
  let distinct = 0;
  let maxDiff = -Infinity;
  let minDiff = Infinity;
  let maxAt = a[0];
  let minAt = a[0];
  let maxInA = true;
  let minInA = true;
  let wasserstein = 0;
  let v = a[0] < b[0] ? a[0] : b[0];
  for (;;) {
    const i0 = i;
    while (i < na && a[i] === v) i++;
    while (j < nb && b[j] === v) j++;
    distinct++;
    const inA = i > i0;
    const diff = i / na - j / nb;
    if (diff > maxDiff || (diff === maxDiff && inA && !maxInA)) {
      maxDiff = diff;
      maxAt = v;
      maxInA = inA;
    }
    if (diff < minDiff || (diff === minDiff && inA && !minInA)) {
      minDiff = diff;
      minAt = v;
      minInA = inA;
    }
    if (i === na && j === nb) break;
    const next = j >= nb || (i < na && a[i] <= b[j]) ? a[i] : b[j];
    wasserstein += Math.abs(diff) * (next - v);
    v = next;
  }
  return { distinct, maxDiff, maxAt, minDiff, minAt, wasserstein };
}
