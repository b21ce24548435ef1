/**
 * Every quantized tensor of the file `buildCandidate` writes, as stored: its scales and zero
 * points, its quantization error (weights and biases) and a few values through the quantizer.
 * Pure TypeScript, with the arithmetic of ONNX `DequantizeLinear` and `Cast` from float16; the
 * panel's scale / zero-point explainer and error histograms show these.
 */
import type { MlpWeights } from '../core/mlp';
import { calibrate } from '../core/onnx/q-calibrate';
import type { Calibration } from '../core/onnx/quantize';
import {
  affineParams,
  dequantize,
  fromFloat16,
  quantizeAffine,
  quantizeValue,
  quantRange,
  toFloat16,
} from '../core/quantize';
import { errorHistogram, type ErrorHistogram } from './quantize-histogram';
import type { QuantizeSettings } from './quantize-settings';

/** One value through the quantizer: `x -> q -> x̂`. For fp16, `q` is the 16-bit pattern. */
export type Example = {
  label: string;
  x: number;
  /** The channel (column) whose scale applies; 0 per tensor. */
  channel: number;
  q: number;
  xHat: number;
  /** `round(x / scale) + zp` fell outside the q range and was clipped (x beyond the range). */
  saturated: boolean;
};

/** A tensor as stored in the quantized file, with its error and examples. */
export type TensorInfo = {
  /** E.g. `layer0.weight`, `layer1.input` (an activation). */
  name: string;
  role: 'weight' | 'bias' | 'activation';
  storage: 'int8' | 'uint8' | 'float16';
  /** `batch` for the rows of an activation. */
  shape: (number | string)[];
  /** float32 scales and zero points (length 1, or one per channel); empty for float16. */
  scale: number[];
  zeroPoint: number[];
  /** Integer range of `q`; null for float16. */
  qRange: [number, number] | null;
  perChannel: boolean;
  /** Weight and bias tensors only (an activation's error depends on the input). */
  histogram: ErrorHistogram | null;
  examples: Example[];
  /** For activations: the calibrated real range the scale covers. */
  range?: { min: number; max: number };
};

/** Indices of the smallest, largest, nearest-to-zero and quartile values (distinct, at most 5). */
function exampleIndices(values: Float32Array): { i: number; label: string }[] {
  if (values.length === 0) return [];
  const order = Array.from(values.keys()).sort((a, b) => values[a] - values[b]);
  let near = 0;
  for (let i = 1; i < values.length; i++)
    if (Math.abs(values[i]) < Math.abs(values[near])) near = i;
  const picks = [
    { i: order[0], label: 'smallest' },
    { i: order[Math.floor(order.length / 4)], label: 'lower quartile' },
    { i: near, label: 'closest to 0' },
    { i: order[Math.floor((order.length * 3) / 4)], label: 'upper quartile' },
    { i: order[order.length - 1], label: 'largest' },
  ];
  return picks.filter((p, k) => picks.findIndex((o) => o.i === p.i) === k);
}

function errorsOf(original: Float32Array, restored: Float32Array): Float64Array {
  return Float64Array.from(original, (v, i) => restored[i] - v);
}

/** fp16: the float16 round trip (`Cast` back to float32 is exact). */
function fp16Tensor(
  name: string,
  role: 'weight' | 'bias',
  shape: number[],
  v: Float32Array,
): TensorInfo {
  const bits = toFloat16(v);
  const restored = fromFloat16(bits);
  return {
    name,
    role,
    storage: 'float16',
    shape,
    scale: [],
    zeroPoint: [],
    qRange: null,
    perChannel: false,
    histogram: errorHistogram(errorsOf(v, restored)),
    examples: exampleIndices(v).map(({ i, label }) => ({
      label,
      x: v[i],
      channel: 0,
      q: bits[i],
      xHat: restored[i],
      saturated: !Number.isFinite(restored[i]),
    })),
  };
}

/** int8 weight: symmetric, per tensor or per output column, exactly as `quantizeModel` stores it. */
function int8Tensor(
  name: string,
  w: Float32Array,
  inSize: number,
  out: number,
  perChannel: boolean,
): TensorInfo {
  const q8 = quantizeAffine(w, {
    bits: 8,
    signed: true,
    symmetric: true,
    ...(perChannel ? { axis: 1, channels: out } : {}),
  });
  const restored = dequantize(q8.q, q8.scale, q8.zeroPoint);
  const qRange = quantRange(true, true);
  return {
    name,
    role: 'weight',
    storage: 'int8',
    shape: [inSize, out],
    scale: Array.from(q8.scale),
    zeroPoint: Array.from(q8.zeroPoint),
    qRange,
    perChannel,
    histogram: errorHistogram(errorsOf(w, restored)),
    examples: exampleIndices(w).map(({ i, label }) => ({
      label,
      x: w[i],
      channel: perChannel ? i % out : 0,
      q: q8.q[i],
      xHat: restored[i],
      saturated: false, // the symmetric range covers every weight: the largest maps to ±127 exactly
    })),
  };
}

/** A uint8 activation with its calibrated range: examples across it and one beyond (saturates). */
function activationTensor(
  name: string,
  shape: (number | string)[],
  range: { min: number; max: number },
): TensorInfo {
  const { scale, zeroPoint } = affineParams(range.min, range.max, false, false);
  const [qmin, qmax] = quantRange(false, false);
  const span = range.max - range.min;
  const xs = [
    { label: 'range min', x: range.min },
    { label: 'zero', x: 0 },
    { label: 'mid-range', x: range.min + span / 2 },
    { label: 'range max', x: range.max },
    { label: 'beyond the max', x: range.max + Math.max(span / 2, scale * 10) },
  ];
  return {
    name,
    role: 'activation',
    storage: 'uint8',
    shape,
    scale: [scale],
    zeroPoint: [zeroPoint],
    qRange: [qmin, qmax],
    perChannel: false,
    histogram: null,
    range,
    examples: xs
      .filter((e, k) => xs.findIndex((o) => o.x === e.x) === k)
      .map(({ label, x }) => {
        const q = quantizeValue(x, scale, zeroPoint, qmin, qmax);
        const unclipped = quantizeValue(x, scale, zeroPoint, -Infinity, Infinity);
        return {
          label,
          x: Math.fround(x),
          channel: 0,
          q,
          xHat: Math.fround((q - zeroPoint) * scale),
          saturated: q !== unclipped,
        };
      }),
  };
}

/**
 * Every quantized tensor of the file `buildCandidate` writes for these settings: the weights
 * (fp16: and biases), and for int8-static the calibrated activations (QLinearMatMul: and each
 * MatMul output). Pure TypeScript, with the same arithmetic as ONNX `DequantizeLinear`
 * (`(q - zero_point) * scale` in float32) and `Cast` from float16.
 */
export function quantizedTensors(
  model: MlpWeights,
  s: QuantizeSettings,
  calibration?: Calibration,
): TensorInfo[] {
  const ranges =
    s.mode === 'int8-static' && calibration ? calibrate(model, calibration) : undefined;
  const out: TensorInfo[] = [];
  let inSize = model.inputSize;
  model.layers.forEach((layer, k) => {
    const n = layer.bias.length;
    const p = `layer${k}`;
    if (s.mode === 'fp16') {
      out.push(fp16Tensor(`${p}.weight`, 'weight', [inSize, n], layer.weights));
      out.push(fp16Tensor(`${p}.bias`, 'bias', [n], layer.bias));
    } else {
      out.push(int8Tensor(`${p}.weight`, layer.weights, inSize, n, s.perChannel));
    }
    const r = ranges?.[k];
    if (r) {
      out.push(activationTensor(`${p}.input`, ['batch', inSize], r.input));
      if (s.staticFormat === 'qlinear')
        out.push(activationTensor(`${p}.matmul`, ['batch', n], r.matmul));
    }
    inSize = n;
  });
  return out;
}
