/**
 * Content fingerprints for lineage: a run, a model and an ONNX file record which exact rows (and
 * which split) they came from. The encoding is fixed and documented so that another tool (the
 * fixture script tests/fixtures/data/gen_data.py does it with numpy) can recompute it.
 */
import type { Dataset } from './data';

const encoder = new TextEncoder();

/**
 * Lowercase hex SHA-256 of `bytes`, via `globalThis.crypto.subtle` (Node 20, browsers, workers;
 * needs a secure context in browsers).
 * @returns 64 hex characters.
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // Copy so that a view over a SharedArrayBuffer, or part of a larger buffer, hashes the same.
  const own = new Uint8Array(bytes.byteLength);
  own.set(bytes);
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', own));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

function headerBytes(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value) + '\n');
}

/** Little-endian explicitly, so a big-endian host would produce the same bytes. */
function float32Bytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

function int32Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setInt32(i * 4, values[i], true);
  return out;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * The canonical bytes behind `datasetFingerprint` (format `pocket-mlops-dataset-v1`), in order:
 * 1. UTF-8 of `JSON.stringify({format, id, rows, features, nClasses, classNames, featureNames})`
 *    (keys in that order, no spaces) and `\n`;
 * 2. `x` as float32 little-endian, row-major; 3. `y` as int32 little-endian;
 * 4. when a split is given, per part in ascending name order (`Array.prototype.sort`, UTF-16 code
 *    units): `JSON.stringify({part, length})` and `\n`, then the indices as int32 little-endian,
 *    in the order stored (a reordered part is a different split: batches would differ).
 */
export function datasetCanonicalBytes(ds: Dataset, split?: Record<string, Int32Array>): Uint8Array {
  if (ds.x.length !== ds.rows * ds.features || ds.y.length !== ds.rows) {
    throw new Error(
      `dataset ${ds.id}: x has ${ds.x.length} values and y ${ds.y.length} labels, ` +
        `expected ${ds.rows * ds.features} and ${ds.rows}`,
    );
  }
  const chunks: Uint8Array[] = [
    headerBytes({
      format: 'pocket-mlops-dataset-v1',
      id: ds.id,
      rows: ds.rows,
      features: ds.features,
      nClasses: ds.nClasses,
      classNames: ds.classNames,
      featureNames: ds.featureNames,
    }),
    float32Bytes(ds.x),
    int32Bytes(ds.y),
  ];
  if (split) {
    for (const part of Object.keys(split).sort()) {
      const indices = split[part];
      chunks.push(headerBytes({ part, length: indices.length }), int32Bytes(indices));
    }
  }
  return concat(chunks);
}

/**
 * Hex SHA-256 of `datasetCanonicalBytes(ds, split)`: equal for equal contents (names, values,
 * labels, split parts and their order), different for any changed value, label, name or index.
 * @returns 64 lowercase hex characters.
 */
export async function datasetFingerprint(
  ds: Dataset,
  split?: Record<string, Int32Array>,
): Promise<string> {
  return sha256Hex(datasetCanonicalBytes(ds, split));
}
