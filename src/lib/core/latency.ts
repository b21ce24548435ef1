/**
 * Latency statistics for the benchmark harness: mean, min, max and percentiles with numpy's
 * default method (`np.percentile(x, p)`, method 'linear': the value at rank `(n - 1) * p / 100`,
 * interpolated between its two neighbours). The fixtures in tests/fixtures/quantize come from
 * numpy.
 */

/** Summary of timing samples, all in the unit of the samples (milliseconds). */
export type LatencySummary = {
  /** Number of samples. */
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  min: number;
};

/**
 * numpy's linear interpolation between `a` and `b` at `t` in [0, 1] (`numpy.lib.function_base
 * ._lerp`): computed from the nearer end, so that `t = 1` gives `b` exactly and the result stays
 * monotonic.
 */
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * The `p`-th percentile of ascending `sorted` values, numpy's default ('linear') method.
 * @param sorted ascending, non-empty, no NaN.
 * @param p in [0, 100].
 */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error('percentile of no samples: there is nothing to summarize.');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile must be in [0, 100] (got ${p}).`);
  const rank = (n - 1) * (p / 100);
  const below = Math.floor(rank);
  const above = Math.min(below + 1, n - 1);
  return lerp(sorted[below], sorted[above], rank - below);
}

/**
 * Summarizes latency samples.
 * @param samplesMs timings (any order; not modified), each a finite number.
 * @returns n, mean, p50, p95, p99 (numpy's default percentile), max and min.
 * @throws Error when there are no samples, or a sample is NaN or infinite (naming its index).
 */
export function summarize(samplesMs: ArrayLike<number>): LatencySummary {
  const n = samplesMs.length;
  if (n === 0) {
    throw new Error('No latency samples to summarize: time at least one call.');
  }
  const sorted = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = samplesMs[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`Latency sample ${i} is ${String(v)}, not a finite number of milliseconds.`);
    }
    sorted[i] = v;
    sum += v;
  }
  sorted.sort();
  return {
    n,
    mean: sum / n,
    p50: percentileSorted(sorted, 50),
    p95: percentileSorted(sorted, 95),
    p99: percentileSorted(sorted, 99),
    max: sorted[n - 1],
    min: sorted[0],
  };
}
