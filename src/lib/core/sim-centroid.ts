/**
 * A nearest-centroid classifier: one mean vector per class, probabilities by a softmax of
 * negative Euclidean distances over a temperature. Trains in one pass without a runtime, so the
 * simulator can run (and be tested) without tfjs; it also makes a simple fallback baseline.
 */

export type CentroidModel = {
  features: number;
  nClasses: number;
  /** Row-major [nClasses, features] class means. */
  centroids: Float32Array;
  /** Softmax temperature, in feature units (distance / temperature); > 0. */
  temperature: number;
};

/**
 * Fits the class means of `rows` rows of `x` (row-major [rows, features]).
 * @throws Error on a shape mismatch, a label out of range or a class without rows.
 */
export function fitCentroids(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  features: number,
  nClasses: number,
  temperature = 1,
): CentroidModel {
  const rows = y.length;
  if (x.length !== rows * features) {
    throw new Error(`fitCentroids: ${x.length} values for ${rows} rows of ${features} features`);
  }
  if (!(temperature > 0 && temperature < Infinity)) {
    throw new Error(`fitCentroids: temperature must be > 0, got ${temperature}`);
  }
  const sums = new Float64Array(nClasses * features);
  const counts = new Int32Array(nClasses);
  for (let r = 0; r < rows; r++) {
    const c = y[r];
    if (!(Number.isInteger(c) && c >= 0 && c < nClasses)) {
      throw new Error(`fitCentroids: label ${c} at row ${r} is not a class in [0, ${nClasses})`);
    }
    counts[c]++;
    for (let j = 0; j < features; j++) sums[c * features + j] += x[r * features + j];
  }
  const centroids = new Float32Array(nClasses * features);
  for (let c = 0; c < nClasses; c++) {
    if (counts[c] === 0) throw new Error(`fitCentroids: class ${c} has no rows`);
    for (let j = 0; j < features; j++)
      centroids[c * features + j] = sums[c * features + j] / counts[c];
  }
  return { features, nClasses, centroids, temperature };
}

/**
 * Class probabilities for `rows` rows: softmax(-distance / temperature), row-major
 * [rows, nClasses], each row summing to 1.
 */
export function centroidProbabilities(
  model: CentroidModel,
  x: ArrayLike<number>,
  rows: number,
): Float32Array {
  const { features: f, nClasses: k, centroids, temperature } = model;
  if (x.length < rows * f)
    throw new Error(`centroidProbabilities: ${x.length} values for ${rows} rows of ${f}`);
  const out = new Float32Array(rows * k);
  const logits = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      let d2 = 0;
      for (let j = 0; j < f; j++) {
        const d = x[r * f + j] - centroids[c * f + j];
        d2 += d * d;
      }
      logits[c] = -Math.sqrt(d2) / temperature;
      if (logits[c] > max) max = logits[c];
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += logits[c] = Math.exp(logits[c] - max);
    for (let c = 0; c < k; c++) out[r * k + c] = logits[c] / sum;
  }
  return out;
}
