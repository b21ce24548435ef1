import type { Activation, MlpWeights } from './mlp';

/**
 * A compact binary form of `MlpWeights` for storage and backups:
 * `[u32 header length][header JSON, UTF-8][padding to 4 bytes][float32 data, little-endian]`.
 * The header lists the layer shapes and activations; the data holds, in order, the preprocess
 * offset and scale (if any) then each layer's weights (row-major [in, out]) and bias.
 */
const MAGIC = 'pocket-mlops-mlp-v1';

interface Header {
  magic: typeof MAGIC;
  inputSize: number;
  preprocess: boolean;
  layers: { in: number; out: number; activation: Activation }[];
}

/** Encodes a model; the result is independent of the input's buffers. */
export function encodeMlp(model: MlpWeights): ArrayBuffer {
  let inSize = model.inputSize;
  const layers = model.layers.map((l) => {
    const out = l.bias.length;
    if (l.weights.length !== inSize * out) {
      throw new Error(`layer weights have ${l.weights.length} values; expected ${inSize}×${out}`);
    }
    const shape = { in: inSize, out, activation: l.activation };
    inSize = out;
    return shape;
  });
  const header: Header = {
    magic: MAGIC,
    inputSize: model.inputSize,
    preprocess: model.preprocess !== undefined,
    layers,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align4(4 + json.length);
  const arrays: Float32Array[] = [];
  if (model.preprocess) arrays.push(model.preprocess.offset, model.preprocess.scale);
  for (const l of model.layers) arrays.push(l.weights, l.bias);
  const floats = arrays.reduce((n, a) => n + a.length, 0);
  const buffer = new ArrayBuffer(dataStart + floats * 4);
  const view = new DataView(buffer);
  view.setUint32(0, json.length, true);
  new Uint8Array(buffer, 4, json.length).set(json);
  let offset = dataStart;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++, offset += 4) view.setFloat32(offset, a[i], true);
  }
  return buffer;
}

/** Decodes `encodeMlp` output; throws an Error saying what is wrong on malformed bytes. */
export function decodeMlp(buffer: ArrayBuffer): MlpWeights {
  if (buffer.byteLength < 4) throw new Error('model bytes are truncated (no header)');
  const view = new DataView(buffer);
  const headerLength = view.getUint32(0, true);
  if (4 + headerLength > buffer.byteLength) throw new Error('model bytes are truncated (header)');
  let header: Header;
  try {
    header = JSON.parse(
      new TextDecoder().decode(new Uint8Array(buffer, 4, headerLength)),
    ) as Header;
  } catch {
    throw new Error('model header is not valid JSON');
  }
  if (header.magic !== MAGIC) throw new Error('not a Pocket MLOps model encoding');
  let offset = align4(4 + headerLength);
  const take = (n: number): Float32Array => {
    if (offset + n * 4 > buffer.byteLength) throw new Error('model bytes are truncated (data)');
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++, offset += 4) out[i] = view.getFloat32(offset, true);
    return out;
  };
  const preprocess = header.preprocess
    ? { offset: take(header.inputSize), scale: take(header.inputSize) }
    : undefined;
  const layers = header.layers.map((l) => ({
    weights: take(l.in * l.out),
    bias: take(l.out),
    activation: l.activation,
  }));
  return { inputSize: header.inputSize, layers, ...(preprocess ? { preprocess } : {}) };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
