/**
 * Calibration for int8-static: run the float model on calibration rows and record, for each
 * layer, the range of its MatMul input (the activation that gets quantized) and of its MatMul
 * output (before the bias; needed by QLinearMatMul), as onnxruntime's calibrators do on the
 * float model.
 */
import { forward } from '../forward';
import { percentileSorted } from '../latency';
import type { MlpWeights } from '../mlp';

/** Rows to calibrate on and how to turn the observed values into a range. */
export type Calibration = {
  /** Raw input rows (before preprocessing), row-major `[rows, inputSize]`. */
  x: Float32Array;
  rows: number;
  /**
   * `minmax`: the smallest and largest value seen. `percentile`: the same, clipped to
   * `[-t, t]` where `t` is the `percentile`-th percentile of |values| (numpy's linear method over
   * every value of that tensor), which ignores rare outliers.
   */
  method: 'minmax' | 'percentile';
  /** For `percentile`, in (0, 100]; default 99.999 (onnxruntime's default). */
  percentile?: number;
};

/** A real range `[min, max]` observed on the calibration rows. */
export type Range = { min: number; max: number };

/** Per layer: the range of the MatMul input and of the MatMul output (`input · W`). */
export type LayerRanges = { input: Range; matmul: Range };

export const DEFAULT_PERCENTILE = 99.999;

function checkCalibration(model: MlpWeights, c: Calibration): number {
  const { rows, x } = c;
  if (!Number.isInteger(rows) || rows < 1) {
    throw new Error(`Calibration needs at least 1 row (got ${rows}).`);
  }
  if (x.length !== rows * model.inputSize) {
    throw new Error(
      `Calibration x has ${x.length} values; expected ${rows} rows x ${model.inputSize} features.`,
    );
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      throw new Error(
        `Calibration value ${x[i]} at row ${Math.floor(i / model.inputSize)} is not finite.`,
      );
    }
  }
  if (c.method !== 'minmax' && c.method !== 'percentile') {
    throw new Error(`Unknown calibration method '${String(c.method)}': use minmax or percentile.`);
  }
  const p = c.percentile ?? DEFAULT_PERCENTILE;
  if (c.method === 'percentile' && !(p > 0 && p <= 100)) {
    throw new Error(`percentile must be in (0, 100] (got ${p}).`);
  }
  return p;
}

/** The range of `values` by the chosen method. */
function rangeOf(values: Float32Array, method: Calibration['method'], p: number): Range {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (method === 'minmax') return { min, max };
  const abs = Float64Array.from(values, Math.abs).sort();
  const t = percentileSorted(abs, p);
  return { min: Math.max(min, -t), max: Math.min(max, t) };
}

/** The layer's input after preprocessing, in float32 as the Sub and Mul nodes compute it. */
function preprocessed(model: MlpWeights, x: Float32Array): Float32Array {
  const pre = model.preprocess;
  if (!pre) return x;
  const n = model.inputSize;
  return x.map((v, i) => Math.fround(v - pre.offset[i % n]) * pre.scale[i % n]);
}

/** `a · W` (row-major `[rows, inSize]` times `[inSize, out]`), accumulated in float64. */
function matmul(a: Float32Array, rows: number, w: Float32Array, out: number): Float32Array {
  const inSize = a.length / rows;
  const y = new Float32Array(rows * out);
  const acc = new Float64Array(out);
  for (let r = 0; r < rows; r++) {
    acc.fill(0);
    for (let i = 0; i < inSize; i++) {
      const ai = a[r * inSize + i];
      if (ai === 0) continue;
      for (let j = 0; j < out; j++) acc[j] += ai * w[i * out + j];
    }
    y.set(acc, r * out);
  }
  return y;
}

/**
 * Runs the float model on the calibration rows and measures every layer's MatMul input and
 * output ranges.
 * @throws Error on a bad calibration set (no rows, wrong length, NaN, unknown method or a
 *   percentile outside (0, 100]).
 */
export function calibrate(model: MlpWeights, c: Calibration): LayerRanges[] {
  const p = checkCalibration(model, c);
  return model.layers.map((layer, k) => {
    // The input of layer k is the output of layers 0..k-1 (the reference forward pass).
    const input =
      k === 0
        ? preprocessed(model, c.x)
        : forward({ ...model, layers: model.layers.slice(0, k) }, c.x, c.rows);
    const products = matmul(input, c.rows, layer.weights, layer.bias.length);
    return { input: rangeOf(input, c.method, p), matmul: rangeOf(products, c.method, p) };
  });
}
