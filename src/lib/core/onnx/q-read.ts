/**
 * Reading the quantized weights `onnxToMlp` meets (float16, int8, uint8 initializers with their
 * scales and zero points), and naming the quantization mode of a file from the forms its layers
 * were read in.
 */
import { fromFloat16 } from '../float16';
import { dequantize } from '../quantize';
import { OnnxFormatError, UnsupportedModelError } from './errors';
import type { NodeSummary } from './inspect';
import type { QuantizeMode } from './quantize';
import { DataType, elemTypeName, type onnx } from './proto';
import { elementCount, readFloat32, tensorDims, tensorStorage } from './tensor';

/** The form in which one quantized piece of a layer was read. */
export type QuantizedForm =
  | 'fp16-weight'
  | 'int8-weight'
  | 'dynamic-matmulinteger'
  | 'dynamic-contrib'
  | 'static-qdq'
  | 'static-qlinear';

/** What the quantized patterns saw while reading a file. */
export type QuantizedReading = { forms: Set<QuantizedForm>; perChannel: boolean };

/** How a file read back by `onnxToMlp` is quantized. */
export type QuantizationReport = {
  mode: QuantizeMode;
  /** True when some weight has one scale per output column. */
  perChannel: boolean;
  /**
   * True for int8-dynamic and int8-static: the file rounds activations to 8 bits at run time,
   * which the read-back float weights cannot express, so a float forward pass of them only
   * approximates the file. False for fp16 and int8-weight: it computes the same thing.
   */
  activationsQuantized: boolean;
  /** True when the file uses an onnxruntime contrib operator (`com.microsoft`). */
  onnxruntimeOnly?: boolean;
};

export const label = (n: NodeSummary) => `node '${n.name}' (${n.opType})`;

const showDims = (d: number[]) => `[${d.join(', ')}]`;

/** A stored tensor read as numbers: its element type, dims and values. */
export type StoredTensor = { type: number; dims: number[]; values: Float32Array | Int32Array };

/** Little-endian raw bytes of 1- or 2-byte integers as numbers. */
function rawIntegers(raw: Uint8Array, type: number): Int32Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (type) {
    case DataType.INT8:
      return Int32Array.from(raw, (b) => (b << 24) >> 24);
    case DataType.UINT8:
      return Int32Array.from(raw);
    default: // FLOAT16 bits
      return Int32Array.from({ length: raw.length / 2 }, (_, i) => view.getUint16(i * 2, true));
  }
}

/**
 * The initializer `name`, read as numbers. float32 gives its values; int8, uint8 give integers;
 * float16 gives its bits (convert with `fromFloat16`).
 * @throws UnsupportedModelError when it is missing (not an initializer), of another type than
 *   `types`, or stored outside the file; OnnxFormatError when its data does not fit its dims.
 */
export function storedTensor(
  t: onnx.ITensorProto | undefined,
  name: string,
  node: NodeSummary,
  types: readonly number[],
): StoredTensor {
  const where = `'${name}' of ${label(node)}`;
  if (!t) {
    throw new UnsupportedModelError(
      `${where} is not a stored tensor (initializer); this lab reads quantized weights, scales ` +
        'and zero points that are stored in the file.',
    );
  }
  const type = t.dataType ?? 0;
  if (!types.includes(type)) {
    const wanted = types.map(elemTypeName).join(' or ');
    throw new UnsupportedModelError(`${where} is ${elemTypeName(type)}; expected ${wanted}.`);
  }
  const { storage, bytes } = tensorStorage(t);
  if (storage === 'external') {
    throw new UnsupportedModelError(`${where} is stored outside the file (external data).`);
  }
  const dims = tensorDims(t);
  const n = elementCount(dims);
  const corrupt = () =>
    new OnnxFormatError(`corrupt: ${where} has dims ${showDims(dims)} but ${bytes} bytes.`);
  if (type === DataType.FLOAT) {
    const values = readFloat32(t);
    if (!values) throw corrupt();
    return { type, dims, values };
  }
  const raw = t.rawData;
  // ONNX stores int8, uint8 and float16 (bits) in int32_data when not in raw_data.
  const values =
    raw && raw.length > 0 ? rawIntegers(raw, type) : Int32Array.from(t.int32Data ?? []);
  if (values.length !== n) throw corrupt();
  return { type, dims, values };
}

/** True for dims `[]` (a scalar) or `[n]` with `n` given. */
function isScalarOr(dims: number[], n: number): boolean {
  return dims.length === 0 || (dims.length === 1 && dims[0] === n);
}

/** Checks that scales are positive and finite. */
function checkScales(scales: Float32Array, name: string, node: NodeSummary): void {
  if (!scales.every((s) => s > 0 && Number.isFinite(s))) {
    throw new UnsupportedModelError(
      `scale '${name}' of ${label(node)} must be positive and finite.`,
    );
  }
}

/** float16 weight initializer -> float32 values. */
export function readFloat16(
  t: onnx.ITensorProto | undefined,
  name: string,
  node: NodeSummary,
): { dims: number[]; values: Float32Array } {
  const { dims, values } = storedTensor(t, name, node, [DataType.FLOAT16]);
  return { dims, values: fromFloat16(Uint16Array.from(values)) };
}

/**
 * An int8 (or uint8) `[in, out]` weight with its scale and zero point, dequantized.
 * @param scale, zeroPoint per tensor (scalar) or per output column (`[out]`, axis 1).
 * @param width the width of the value the weight multiplies (-1: any; a later MatMul checks it).
 * @param axis the DequantizeLinear `axis` attribute, when the weight is read from one.
 */
export function readQuantizedWeight(
  find: (name: string) => onnx.ITensorProto | undefined,
  names: { q: string; scale: string; zeroPoint?: string },
  node: NodeSummary,
  width: number,
  axis?: number,
): { dims: number[]; values: Float32Array; perChannel: boolean } {
  const q = storedTensor(find(names.q), names.q, node, [DataType.INT8, DataType.UINT8]);
  if (q.dims.length !== 2 || (width >= 0 && q.dims[0] !== width) || q.dims[1] < 1) {
    throw new UnsupportedModelError(
      `weight '${names.q}' of ${label(node)} has dims ${showDims(q.dims)}; expected ` +
        `[${width}, n] to follow a value of width ${width}.`,
    );
  }
  const out = q.dims[1];
  const scale = storedTensor(find(names.scale), names.scale, node, [DataType.FLOAT]);
  const perChannel = scale.dims.length === 1;
  if (!isScalarOr(scale.dims, out)) {
    throw new UnsupportedModelError(
      `scale '${names.scale}' of ${label(node)} has dims ${showDims(scale.dims)}; expected a ` +
        `scalar (per tensor) or [${out}] (one per output column).`,
    );
  }
  if (perChannel && axis !== undefined && axis !== 1 && axis !== -1) {
    throw new UnsupportedModelError(
      `${label(node)} quantizes along axis ${axis}; this lab reads per-column weights (axis 1).`,
    );
  }
  checkScales(scale.values as Float32Array, names.scale, node);
  let zeroPoint: Int32Array = new Int32Array(scale.values.length);
  if (names.zeroPoint) {
    const zp = storedTensor(find(names.zeroPoint), names.zeroPoint, node, [q.type]);
    if (zp.dims.length !== scale.dims.length || !isScalarOr(zp.dims, out)) {
      throw new UnsupportedModelError(
        `zero point '${names.zeroPoint}' of ${label(node)} has dims ${showDims(zp.dims)}, ` +
          `unlike its scale's ${showDims(scale.dims)}.`,
      );
    }
    zeroPoint = zp.values as Int32Array;
  }
  const values = dequantize(q.values, scale.values as Float32Array, zeroPoint);
  return { dims: q.dims, values, perChannel };
}

/**
 * A uint8 or int8 activation's scale and zero point (scalars: one per tensor).
 * @returns the scale and zero point values.
 */
export function readActivationParams(
  find: (name: string) => onnx.ITensorProto | undefined,
  scaleName: string,
  zeroPointName: string | undefined,
  node: NodeSummary,
): { scale: number; zeroPoint: number } {
  const scale = storedTensor(find(scaleName), scaleName, node, [DataType.FLOAT]);
  const zp = zeroPointName
    ? storedTensor(find(zeroPointName), zeroPointName, node, [DataType.UINT8, DataType.INT8])
    : undefined;
  for (const t of zp ? [scale, zp] : [scale]) {
    if (elementCount(t.dims) !== 1 || t.dims.length > 1) {
      throw new UnsupportedModelError(
        `${label(node)} quantizes an activation with ${showDims(t.dims)} parameters; this lab ` +
          'reads one scale and zero point per activation tensor.',
      );
    }
  }
  checkScales(scale.values as Float32Array, scaleName, node);
  return { scale: scale.values[0], zeroPoint: zp ? zp.values[0] : 0 };
}

/** The mode of each allowed combination of forms (sorted, joined by '+'). */
const MODES: Record<string, QuantizeMode> = {
  'fp16-weight': 'fp16',
  'int8-weight': 'int8-weight',
  'dynamic-matmulinteger': 'int8-dynamic',
  'dynamic-contrib': 'int8-dynamic',
  'dynamic-contrib+dynamic-matmulinteger': 'int8-dynamic',
  'int8-weight+static-qdq': 'int8-static',
  'static-qlinear': 'int8-static',
  'int8-weight+static-qdq+static-qlinear': 'int8-static',
};

/**
 * Names the quantization mode of a file from the forms its layers were read in.
 * @returns `undefined` for a float32 file.
 * @throws UnsupportedModelError when the forms mix in a way this app never writes (fp16 and int8
 *   layers together, quantized activations with float weights...).
 */
export function quantizationOf(reading: QuantizedReading): QuantizationReport | undefined {
  if (reading.forms.size === 0) return undefined;
  const key = [...reading.forms].sort().join('+');
  const mode = MODES[key];
  if (!mode) {
    throw new UnsupportedModelError(
      `the layers are quantized in a mix of forms (${key.replaceAll('+', ', ')}) that this app ` +
        'never writes; it reads models quantized one way: fp16, int8-weight, int8-dynamic or int8-static.',
    );
  }
  const activationsQuantized = mode === 'int8-dynamic' || mode === 'int8-static';
  const report: QuantizationReport = { mode, perChannel: reading.perChannel, activationsQuantized };
  if (reading.forms.has('dynamic-contrib')) report.onnxruntimeOnly = true;
  return report;
}
