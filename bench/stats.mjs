// Summaries of raw samples. Percentiles use numpy's default ("linear") method, so that a figure
// here can be checked with `numpy.percentile(samples, q)` on the raw samples in results.json.

/** numpy.percentile(values, q) with method='linear': q in [0, 100]; null for no values. */
export function percentile(values, q) {
  if (values.length === 0) return null;
  const s = Float64Array.from(values).sort();
  const h = ((s.length - 1) * q) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

/** The median (numpy.median): the mean of the two middle values for an even count. */
export const median = (values) => percentile(values, 50);

/** p50, p95, p99, mean, min, max and the count of `values`. */
export function summarize(values) {
  const n = values.length;
  return {
    n,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    mean: n ? values.reduce((a, v) => a + v, 0) / n : null,
    min: n ? Math.min(...values) : null,
    max: n ? Math.max(...values) : null,
  };
}
