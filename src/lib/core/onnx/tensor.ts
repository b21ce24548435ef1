/**
 * Reading `TensorProto`s: where the data lives, how many bytes it takes, and float32 values.
 */
import { bytesToFloat32, DataType, elemTypeBytes, int64, type onnx } from './proto';

/** Where a tensor's values are stored: `raw_data`, a typed repeated field, or outside the file. */
export type TensorStorage = 'raw' | 'typed' | 'external';

/** `TensorProto.DataLocation.EXTERNAL`. */
const EXTERNAL = 1;
const COMPLEX64 = 14;
const COMPLEX128 = 15;

/** The dims of a tensor as numbers (each a non-negative integer in a valid file). */
export function tensorDims(t: onnx.ITensorProto): number[] {
  return (t.dims ?? []).map((d) => int64(d));
}

/** Product of `dims` (1 for a scalar). */
export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Number of values in whichever typed repeated field holds data (0 when none). */
function typedCount(t: onnx.ITensorProto): number {
  const fields = [t.floatData, t.int32Data, t.int64Data, t.doubleData, t.uint64Data, t.stringData];
  for (const f of fields) if (f && f.length > 0) return f.length;
  return 0;
}

/**
 * Where the data lives and its size in bytes: the `raw_data` length; for typed fields, elements
 * times the element size (strings: the sum of their lengths); for external data, the `length`
 * entry when given, else 0.
 */
export function tensorStorage(t: onnx.ITensorProto): { storage: TensorStorage; bytes: number } {
  if (t.dataLocation === EXTERNAL) {
    const length = (t.externalData ?? []).find((e) => e.key === 'length')?.value;
    const bytes = Number(length ?? 0);
    return { storage: 'external', bytes: Number.isFinite(bytes) ? bytes : 0 };
  }
  const raw = t.rawData;
  if (raw && raw.length > 0) return { storage: 'raw', bytes: raw.length };
  const type = t.dataType ?? 0;
  if (type === 8) {
    const bytes = (t.stringData ?? []).reduce((sum, s) => sum + s.length, 0);
    return { storage: 'typed', bytes };
  }
  const perValue = type === COMPLEX64 || type === COMPLEX128 ? 2 : 1;
  return { storage: 'typed', bytes: (typedCount(t) / perValue) * elemTypeBytes(type) };
}

/**
 * The values of a float32 tensor, copied into a fresh `Float32Array`.
 * @returns `null` when the tensor is not float32, is stored outside the file, or its data does
 *   not hold exactly `product(dims)` values.
 */
export function readFloat32(t: onnx.ITensorProto): Float32Array | null {
  if (t.dataType !== DataType.FLOAT || t.dataLocation === EXTERNAL) return null;
  const n = elementCount(tensorDims(t));
  const raw = t.rawData;
  if (raw && raw.length > 0) return raw.length === n * 4 ? bytesToFloat32(raw) : null;
  const values = t.floatData ?? [];
  return values.length === n ? Float32Array.from(values) : null;
}
