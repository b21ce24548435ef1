/**
 * `mlpToOnnx`: an {@link MlpWeights} as a real ONNX model (IR version 8, opset 13) that
 * onnxruntime, Netron and Python's onnx open. Graph, for each row of the input:
 * `[Sub(x, offset) -> Mul(., scale)] -> (MatMul(., W) -> Add(., b) -> activation)+`.
 */
import type { Activation, MlpWeights } from '../mlp';
import { AttrType, DataType, float32ToBytes, onnx, ownedBytes } from './proto';

/** What the file says about itself besides the weights. */
export type OnnxMeta = {
  /** Name of the graph input, `[batch, features]` float32. */
  inputName: string;
  /** Name of the graph output, `[batch, nClasses]` float32 (probabilities after softmax). */
  outputName: string;
  /** Model `metadata_props` (run id, data fingerprint, class names...). */
  properties: Record<string, string>;
  /** `producer_version`, e.g. the app version. */
  producerVersion?: string;
  /** Graph name (default `mlp`). */
  graphName?: string;
  /** Model `doc_string`. */
  docString?: string;
};

export const PRODUCER_NAME = 'pocket-mlops';
export const EXPORT_IR_VERSION = 8;
export const EXPORT_OPSET = 13;
/** The symbolic name of the batch axis. */
export const BATCH_DIM = 'batch';

/** The ONNX operator of each activation (`null`: none, the Add output is the layer output). */
export const ACTIVATION_OPS: Readonly<Record<Activation, string | null>> = Object.freeze({
  relu: 'Relu',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  softmax: 'Softmax',
  linear: null,
});

type Shape = (number | string)[];

function floatTensor(name: string, dims: number[], values: Float32Array): onnx.ITensorProto {
  return { name, dataType: DataType.FLOAT, dims, rawData: float32ToBytes(values) };
}

function floatValue(name: string, shape: Shape): onnx.IValueInfoProto {
  const dim = shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim } } } };
}

/** Throws when the layer shapes do not chain or `meta` names are unusable. */
function validate(model: MlpWeights, meta: OnnxMeta): void {
  const n = model.inputSize;
  if (!Number.isInteger(n) || n < 1) throw new Error(`inputSize must be >= 1 (got ${n}).`);
  if (model.layers.length === 0) throw new Error('The model has no layers to export.');
  const pre = model.preprocess;
  if (pre && (pre.offset.length !== n || pre.scale.length !== n)) {
    throw new Error(`preprocess offset/scale need ${n} values each.`);
  }
  let inSize = n;
  model.layers.forEach((layer, k) => {
    const out = layer.bias.length;
    if (out < 1 || layer.weights.length !== inSize * out) {
      throw new Error(
        `Layer ${k} weights hold ${layer.weights.length} values, not ${inSize} x ${out}.`,
      );
    }
    if (!(layer.activation in ACTIVATION_OPS)) {
      throw new Error(`Layer ${k} has an unknown activation '${String(layer.activation)}'.`);
    }
    inSize = out;
  });
  const { inputName, outputName } = meta;
  if (!inputName || !outputName || inputName === outputName) {
    throw new Error('inputName and outputName must be two different, non-empty names.');
  }
  if (
    /^(layer\d+|preprocess)[./]/.test(inputName) ||
    /^(layer\d+|preprocess)[./]/.test(outputName)
  ) {
    throw new Error('inputName and outputName may not start with layerN/, layerN. or preprocess.');
  }
  for (const [key, value] of Object.entries(meta.properties)) {
    if (typeof value !== 'string') throw new Error(`Metadata '${key}' must be a string.`);
  }
}

/**
 * Builds the ONNX file of an MLP.
 * @param model weights (row-major `[in, out]`), optional preprocessing `(x - offset) * scale`.
 * @param meta names, metadata properties and descriptions.
 * @returns the `.onnx` bytes in a buffer of their own (safe to transfer or store). Input
 *   `meta.inputName` is float32 `[batch, inputSize]` (`batch` symbolic), output `meta.outputName`
 *   float32 `[batch, nClasses]`; initializers are float32 `raw_data`, little-endian; names are
 *   stable (`layer0/MatMul`, `layer0.weight`, `layer0/relu`...).
 * @throws Error when the layer shapes do not chain or the names are unusable.
 */
export function mlpToOnnx(model: MlpWeights, meta: OnnxMeta): Uint8Array {
  validate(model, meta);
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  const valueInfo: onnx.IValueInfoProto[] = [];
  const n = model.inputSize;
  let current = meta.inputName;
  /** Appends a node that takes the current value (plus `operands`) and writes `output`. */
  const step = (
    name: string,
    opType: string,
    operands: string[],
    output: string,
    width: number,
    attribute?: onnx.IAttributeProto[],
  ) => {
    nodes.push({
      name,
      opType, // domain left out: the default ONNX domain
      input: [current, ...operands],
      output: [output],
      attribute,
    });
    valueInfo.push(floatValue(output, [BATCH_DIM, width]));
    current = output;
  };

  if (model.preprocess) {
    initializers.push(floatTensor('preprocess.offset', [n], model.preprocess.offset));
    initializers.push(floatTensor('preprocess.scale', [n], model.preprocess.scale));
    step('preprocess/Sub', 'Sub', ['preprocess.offset'], 'preprocess/centered', n);
    step('preprocess/Mul', 'Mul', ['preprocess.scale'], 'preprocess/scaled', n);
  }
  let inSize = n;
  model.layers.forEach((layer, k) => {
    const out = layer.bias.length;
    const p = `layer${k}`;
    initializers.push(floatTensor(`${p}.weight`, [inSize, out], layer.weights));
    initializers.push(floatTensor(`${p}.bias`, [out], layer.bias));
    step(`${p}/MatMul`, 'MatMul', [`${p}.weight`], `${p}/matmul`, out);
    step(`${p}/Add`, 'Add', [`${p}.bias`], `${p}/linear`, out);
    const op = ACTIVATION_OPS[layer.activation];
    // Softmax-13 normalises along one axis: the last one, the classes.
    const attrs = op === 'Softmax' ? [{ name: 'axis', type: AttrType.INT, i: -1 }] : undefined;
    if (op) step(`${p}/${op}`, op, [], `${p}/${layer.activation}`, out, attrs);
    inSize = out;
  });
  // The last node writes the graph output itself: rename its value, drop its value_info.
  const last = nodes[nodes.length - 1];
  last.output = [meta.outputName];
  valueInfo.pop();

  const graph: onnx.IGraphProto = {
    name: meta.graphName ?? 'mlp',
    node: nodes,
    initializer: initializers,
    input: [floatValue(meta.inputName, [BATCH_DIM, n])],
    output: [floatValue(meta.outputName, [BATCH_DIM, inSize])],
    valueInfo,
  };
  const proto = onnx.ModelProto.create({
    irVersion: EXPORT_IR_VERSION,
    producerName: PRODUCER_NAME,
    ...(meta.producerVersion ? { producerVersion: meta.producerVersion } : {}),
    ...(meta.docString ? { docString: meta.docString } : {}),
    opsetImport: [{ domain: '', version: EXPORT_OPSET }],
    metadataProps: Object.entries(meta.properties).map(([key, value]) => ({ key, value })),
    graph,
  });
  return ownedBytes(onnx.ModelProto.encode(proto).finish());
}
