/**
 * Row selection and feature standardisation. The standardizer is fitted on training rows only
 * (fitting on all rows leaks test statistics into the model) and travels with the model as its
 * preprocess step `(x - offset) * scale`.
 */
import type { Dataset } from './data';

/** Feature-wise preprocess of a model: `x' = (x - offset) * scale`, both of length `features`. */
export type Standardizer = { offset: Float32Array; scale: Float32Array };

/**
 * Copies the chosen rows (in the order given; repeats allowed) out of a data set.
 * @returns `x` row-major `[rows, ds.features]`, `y` of length `rows`, `rows = indices.length`.
 * @throws Error when an index is not an integer in `[0, ds.rows)`, naming its position.
 */
export function gatherRows(
  ds: Pick<Dataset, 'x' | 'y' | 'rows' | 'features'>,
  indices: ArrayLike<number>,
): { x: Float32Array; y: Int32Array; rows: number } {
  const rows = indices.length;
  const f = ds.features;
  const x = new Float32Array(rows * f);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const i = indices[r];
    if (!Number.isInteger(i) || i < 0 || i >= ds.rows) {
      throw new Error(`gatherRows: index ${i} at position ${r} is outside 0..${ds.rows - 1}`);
    }
    x.set(ds.x.subarray(i * f, (i + 1) * f), r * f);
    y[r] = ds.y[i];
  }
  return { x, y, rows };
}

/**
 * Fits a standardizer: `offset` = per-feature mean, `scale` = 1 / standard deviation (population,
 * ddof = 0), and scale 1 where the deviation is 0 (a constant feature, such as the corner pixels
 * of digits, would otherwise divide by zero). Sums run in float64; results are stored as float32.
 * @param x row-major `[rows, features]`, the training rows only.
 * @throws Error when `rows` is 0 or `x.length !== rows * features`.
 */
export function standardizer(x: ArrayLike<number>, rows: number, features: number): Standardizer {
  if (!Number.isInteger(rows) || rows <= 0) {
    throw new Error(`standardizer: empty input, needs at least one row (got ${rows})`);
  }
  if (x.length !== rows * features) {
    throw new Error(
      `standardizer: x has ${x.length} values, expected rows * features = ${rows * features}`,
    );
  }
  const mean = new Float64Array(features);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < features; c++) mean[c] += x[r * features + c];
  }
  for (let c = 0; c < features; c++) mean[c] /= rows;
  // Two passes: the one-pass sum of squares loses precision when the mean is large.
  const variance = new Float64Array(features);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < features; c++) {
      const d = x[r * features + c] - mean[c];
      variance[c] += d * d;
    }
  }
  const offset = new Float32Array(features);
  const scale = new Float32Array(features);
  for (let c = 0; c < features; c++) {
    const std = Math.sqrt(variance[c] / rows);
    offset[c] = mean[c];
    scale[c] = std > 0 ? 1 / std : 1;
  }
  return { offset, scale };
}

/**
 * Applies `(x - offset) * scale` feature-wise with float32 rounding after each operation.
 * @returns a new row-major array of the same shape as `x`.
 */
export function applyStandardizer(
  x: Float32Array,
  features: number,
  st: Standardizer,
): Float32Array {
  if (st.offset.length !== features || st.scale.length !== features || x.length % features !== 0) {
    throw new Error(
      `applyStandardizer: ${x.length} values do not fit ${features} features, or the ` +
        `standardizer has ${st.offset.length} offsets and ${st.scale.length} scales`,
    );
  }
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = i % features;
    // Round after each step as float32 Sub then Mul do (ONNX, tfjs), so results match bit for bit.
    out[i] = Math.fround(x[i] - st.offset[c]) * st.scale[c];
  }
  return out;
}
