/**
 * Affine (linear) 8-bit quantization, `real = scale * (q - zeroPoint)`, with the formulas of
 * onnxruntime's quantization tool (`onnxruntime/python/tools/quantization/quant_utils.py`:
 * `compute_scale_zp` and `quantize_nparray`), so that the numbers a learner sees here are the ones
 * onnxruntime would write:
 *
 * - the range always includes 0: `rmin = min(min(x), 0)`, `rmax = max(max(x), 0)`, in float32;
 * - symmetric: `rmax = max(|rmin|, |rmax|)`, `rmin = -rmax`; zero point `round((qmin + qmax) / 2)`
 *   (0 for int8 in [-127, 127]);
 * - `scale = float64(float32(rmax - rmin)) / (qmax - qmin)`; asymmetric zero point
 *   `round(qmin - rmin / scale)` with that float64 scale; then the scale is stored as float32;
 * - a range narrower than float32's smallest normal (an all-zero tensor) gets scale 1, zero point 0;
 * - `q = clip(round(float32(x / scale)) + zeroPoint, qmin, qmax)`, every `round` half to even
 *   (onnxruntime's tool clips to the type's full range; a value of the tensor itself never lands
 *   outside `[qmin, qmax]`, so the two agree on every tensor).
 *
 * Per-channel quantization does the same for each column of a row-major `[rows, channels]` tensor
 * (`axis: 1`), as onnxruntime does for a MatMul weight `[in, out]`. Pure TypeScript.
 */
export { fromFloat16, toFloat16 } from './float16';

/** Options of {@link quantizeAffine}. */
export type AffineOptions = {
  /** Bits per value; 8 is the only width (int8 / uint8). */
  bits: 8;
  /** `true`: int8; `false`: uint8. */
  signed: boolean;
  /** `true`: a range symmetric around 0 (int8 uses [-127, 127] and zero point 0). */
  symmetric: boolean;
  /** Per-channel along this axis of a row-major `[rows, channels]` tensor; only 1 is supported. */
  axis?: number;
  /** Number of channels (columns) when `axis` is given. */
  channels?: number;
};

/** Result of {@link quantizeAffine}: one scale and zero point per tensor, or per channel. */
export type AffineQuantized = {
  q: Int8Array | Uint8Array;
  /** float32 scales: length 1 (per tensor) or `channels`. */
  scale: Float32Array;
  /** Zero points, same length as `scale`, each within the integer range of `q`. */
  zeroPoint: Int32Array;
};

/**
 * The integer range of each combination, onnxruntime's `get_qmin_qmax_for_qType`: int8 [-128, 127],
 * symmetric int8 [-127, 127], uint8 [0, 255], symmetric uint8 [0, 254] (zero point 127).
 */
export function quantRange(signed: boolean, symmetric: boolean): [qmin: number, qmax: number] {
  if (signed) return symmetric ? [-127, 127] : [-128, 127];
  return symmetric ? [0, 254] : [0, 255];
}

/** Rounds half to even, as numpy's `round` and onnxruntime's kernels (`nearbyint`) do. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x); // half up
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const FLOAT32_TINY = 2 ** -126;

/**
 * Scale and zero point for a real range `[min, max]` (onnxruntime's `compute_scale_zp`): the
 * range is widened to include 0, made symmetric when asked; see the file header for the formulas.
 * @returns `scale` as a float32 value (a plain number holding it) and an integer zero point.
 * @throws Error when `min` or `max` is not finite, `min > max`, or the width of the range overflows
 *   float32 (onnxruntime would store an infinite scale).
 */
export function affineParams(
  min: number,
  max: number,
  signed: boolean,
  symmetric: boolean,
): { scale: number; zeroPoint: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) {
    throw new Error(`A quantization range needs finite min <= max (got [${min}, ${max}]).`);
  }
  const [qmin, qmax] = quantRange(signed, symmetric);
  let rmin = Math.fround(Math.min(min, 0));
  let rmax = Math.fround(Math.max(max, 0));
  if (symmetric) {
    rmax = Math.max(-rmin, rmax);
    rmin = -rmax;
  }
  const scale = Math.fround(rmax - rmin) / (qmax - qmin); // float32 difference, float64 division
  if (scale < FLOAT32_TINY) return { scale: 1, zeroPoint: 0 };
  if (!Number.isFinite(Math.fround(scale))) {
    throw new Error(
      `The range [${min}, ${max}] is wider than float32 can hold, so it has no usable scale.`,
    );
  }
  const zeroPoint = symmetric
    ? roundHalfEven((qmin + qmax) / 2)
    : roundHalfEven(qmin - rmin / scale);
  return { scale: Math.fround(scale), zeroPoint };
}

/** `clip(round(float32(x / scale)) + zeroPoint, qmin, qmax)` for one value. */
export function quantizeValue(
  x: number,
  scale: number,
  zeroPoint: number,
  qmin: number,
  qmax: number,
): number {
  const q = roundHalfEven(Math.fround(Math.fround(x) / scale)) + zeroPoint;
  return q < qmin ? qmin : q > qmax ? qmax : q;
}

/** Number of channels from the options, checking them against `length`; 1 means per tensor. */
function channelCount(length: number, axis?: number, channels?: number): number {
  if (axis === undefined) {
    if (channels !== undefined && channels !== 1) {
      throw new Error('channels is given without axis: pass axis 1 for per-channel quantization.');
    }
    return 1;
  }
  if (axis !== 1) {
    throw new Error(
      `axis ${axis} is not supported: per-channel quantization runs along axis 1 (the columns) ` +
        'of a row-major [rows, channels] tensor.',
    );
  }
  if (channels === undefined || !Number.isInteger(channels) || channels < 1) {
    throw new Error(`axis 1 needs channels, a positive integer (got ${channels}).`);
  }
  if (length % channels !== 0) {
    throw new Error(`${length} values do not split into rows of ${channels} channels.`);
  }
  return channels;
}

/**
 * Quantizes float32 values to int8 or uint8 with onnxruntime's formulas (see the file header).
 * @param values the tensor, row-major `[rows, channels]` when `axis: 1`.
 * @param opts int8 (`signed`) or uint8, symmetric or not, per tensor or per channel.
 * @returns `q` (Int8Array when signed), float32 `scale` and `zeroPoint` (length 1, or `channels`).
 *   An empty tensor or channel gets scale 1 and zero point 0, as does an all-zero one.
 * @throws Error when a value is NaN or infinite (naming its index), the range overflows float32
 *   (values near +-3.4e38 of both signs), or the options are invalid.
 */
export function quantizeAffine(values: Float32Array, opts: AffineOptions): AffineQuantized {
  if (opts.bits !== 8) throw new Error(`bits must be 8 (got ${String(opts.bits)}).`);
  const { signed, symmetric } = opts;
  const channels = channelCount(values.length, opts.axis, opts.channels);
  const mins = new Float64Array(channels).fill(Infinity);
  const maxs = new Float64Array(channels).fill(-Infinity);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      throw new Error(
        `Cannot quantize value ${v} at index ${i}: a NaN or infinite weight has no scale ` +
          '(check the model for a training that diverged).',
      );
    }
    const c = i % channels;
    if (v < mins[c]) mins[c] = v;
    if (v > maxs[c]) maxs[c] = v;
  }
  const scale = new Float32Array(channels);
  const zeroPoint = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const empty = mins[c] > maxs[c];
    const p = affineParams(empty ? 0 : mins[c], empty ? 0 : maxs[c], signed, symmetric);
    scale[c] = p.scale;
    zeroPoint[c] = p.zeroPoint;
  }
  const [qmin, qmax] = quantRange(signed, symmetric);
  const q = signed ? new Int8Array(values.length) : new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = i % channels;
    q[i] = quantizeValue(values[i], scale[c], zeroPoint[c], qmin, qmax);
  }
  return { q, scale, zeroPoint };
}

/**
 * Dequantizes: `float32((q - zeroPoint) * scale)`, as ONNX `DequantizeLinear` computes it.
 * @param q quantized values, row-major `[rows, channels]` when per channel.
 * @param scale length 1 (per tensor) or the number of channels (per channel along axis 1).
 * @param zeroPoint same length as `scale`.
 * @param opts optional check: `axis` (1) and `channels` must agree with `scale.length`.
 * @throws Error when the lengths do not fit together.
 */
export function dequantize(
  q: ArrayLike<number>,
  scale: Float32Array,
  zeroPoint: ArrayLike<number>,
  opts: { axis?: number; channels?: number } = {},
): Float32Array {
  const channels = scale.length;
  if (channels < 1 || zeroPoint.length !== channels) {
    throw new Error(
      `scale and zeroPoint need the same, non-zero length (got ${channels} and ${zeroPoint.length}).`,
    );
  }
  if (opts.axis !== undefined || opts.channels !== undefined) {
    const expected = channelCount(q.length, opts.axis ?? 1, opts.channels);
    if (expected !== channels) {
      throw new Error(`${channels} scales given for ${expected} channels.`);
    }
  } else if (channels > 1 && q.length % channels !== 0) {
    throw new Error(`${q.length} values do not split into rows of ${channels} channels.`);
  }
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) {
    const c = channels === 1 ? 0 : i % channels;
    out[i] = (q[i] - zeroPoint[c]) * scale[c];
  }
  return out;
}
