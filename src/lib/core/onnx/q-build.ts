/**
 * Small builders the quantized exports share: typed initializers (float32, float16, int8, uint8),
 * value infos, nodes, and an int8 weight quantized the way every mode here stores it.
 */
import { toFloat16 } from '../float16';
import { quantizeAffine } from '../quantize';
import { AttrType, DataType, float32ToBytes, type onnx } from './proto';

type Shape = (number | string)[];

/** A float32 initializer (`raw_data`, little-endian). */
export function floatInit(name: string, dims: number[], values: Float32Array): onnx.ITensorProto {
  return { name, dataType: DataType.FLOAT, dims, rawData: float32ToBytes(values) };
}

/** A float16 initializer: the values rounded to fp16 (nearest even), stored as raw bits. */
export function float16Init(name: string, dims: number[], values: Float32Array): onnx.ITensorProto {
  const bits = toFloat16(values);
  const raw = new Uint8Array(bits.length * 2);
  const view = new DataView(raw.buffer);
  bits.forEach((b, i) => view.setUint16(i * 2, b, true));
  return { name, dataType: DataType.FLOAT16, dims, rawData: raw };
}

/** An int8 or uint8 initializer; `values` must already be in the type's range. */
export function byteInit(
  name: string,
  dims: number[],
  values: ArrayLike<number>,
  signed: boolean,
): onnx.ITensorProto {
  const raw = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) raw[i] = values[i] & 0xff; // two's complement for int8
  return { name, dataType: signed ? DataType.INT8 : DataType.UINT8, dims, rawData: raw };
}

/** A value info of a tensor type and shape (`batch` and other strings are symbolic axes). */
export function valueInfo(name: string, elemType: number, shape: Shape): onnx.IValueInfoProto {
  const dim = shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/** A node of the default domain (or `domain`), with integer attributes. */
export function node(
  name: string,
  opType: string,
  input: string[],
  output: string[],
  ints: Record<string, number> = {},
  domain?: string,
): onnx.INodeProto {
  const attribute = Object.entries(ints).map(([key, i]) => ({ name: key, type: AttrType.INT, i }));
  return {
    name,
    opType,
    input,
    output,
    ...(attribute.length > 0 ? { attribute } : {}),
    ...(domain ? { domain } : {}),
  };
}

/** The initializers of an int8 weight: values, scale and zero point, and their names. */
export type QuantizedWeight = {
  /** `{prefix}.weight_quantized`, int8 `[in, out]`. */
  q: string;
  /** `{prefix}.weight_scale`, float32 scalar (per tensor) or `[out]` (per channel). */
  scale: string;
  /** `{prefix}.weight_zero_point`, int8, same shape as the scale (all 0: symmetric). */
  zeroPoint: string;
  initializers: onnx.ITensorProto[];
  /** Scales as stored (length 1 or `out`). */
  scales: Float32Array;
};

/**
 * Quantizes a `[in, out]` weight to symmetric int8 ([-127, 127], zero point 0), per tensor or per
 * output column (`axis = 1`), as onnxruntime's tool does for MatMul weights.
 */
export function int8Weight(
  prefix: string,
  weights: Float32Array,
  inSize: number,
  out: number,
  perChannel: boolean,
): QuantizedWeight {
  const { q, scale, zeroPoint } = quantizeAffine(weights, {
    bits: 8,
    signed: true,
    symmetric: true,
    ...(perChannel ? { axis: 1, channels: out } : {}),
  });
  const names = {
    q: `${prefix}.weight_quantized`,
    scale: `${prefix}.weight_scale`,
    zeroPoint: `${prefix}.weight_zero_point`,
  };
  const paramDims = perChannel ? [out] : [];
  return {
    ...names,
    scales: scale,
    initializers: [
      byteInit(names.q, [inSize, out], q, true),
      floatInit(names.scale, paramDims, scale),
      byteInit(names.zeroPoint, paramDims, zeroPoint, true),
    ],
  };
}
