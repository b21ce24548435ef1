/**
 * `onnxToMlp`: an ONNX file back to {@link MlpWeights}. It reads only the graph patterns the app
 * itself emits (see `patterns.ts`), so it is also the allowlist for imported files: anything else
 * is refused with an {@link UnsupportedModelError} that names the first thing it cannot run.
 */
import type { MlpWeights } from '../mlp';
import { decodeModel, isDefaultDomain } from './decode';
import { UnsupportedModelError } from './errors';
import { summarize, type NodeSummary, type ValueSummary } from './inspect';
import {
  FLOAT_OPS,
  PATTERNS,
  QUANTIZED_OPS,
  SUPPORTED_OPS,
  type Pattern,
  type ReadState,
} from './patterns';
import { quantizationOf, type QuantizationReport } from './q-read';
import { makeState } from './read-state';

export { OnnxError, OnnxFormatError, UnsupportedModelError } from './errors';
export type { QuantizationReport } from './q-read';

/**
 * Default-domain opsets read. 13 is the first where Softmax works along one axis (before, it
 * flattened the input to 2-D); every operator read here (Sub, Mul, Add 14; Relu 14; MatMul,
 * Sigmoid, Tanh, Softmax 13) has the same float32 meaning in every opset from 13 to 21, the newest
 * checked. Files are also held to IR version 8 (see `decode.ts`), which ONNX pairs with opset 18
 * at most; a file stamped IR 8 with a newer opset is still read.
 */
export const MIN_IMPORT_OPSET = 13;
export const MAX_IMPORT_OPSET = 21;

const nodeLabel = (n: NodeSummary, i: number) => `node ${n.name ? `'${n.name}'` : `#${i}`}`;

/** The one float32 `[batch, features]` input that is not an initializer; returns `features`. */
function readInput(inputs: ValueSummary[], initializers: Set<string>): [string, number] {
  const real = inputs.filter((v) => !initializers.has(v.name));
  if (real.length !== 1) {
    throw new UnsupportedModelError(`the graph has ${real.length} inputs; this lab reads 1.`);
  }
  const { name, elemType, shape } = real[0];
  if (elemType !== 'float32') {
    throw new UnsupportedModelError(`input '${name}' is ${elemType}; this lab reads float32.`);
  }
  if (shape.length !== 2 || typeof shape[1] !== 'number' || shape[1] < 1) {
    throw new UnsupportedModelError(
      `input '${name}' has shape [${shape.join(', ')}]; this lab reads [batch, features] with a ` +
        'fixed number of features.',
    );
  }
  return [name, shape[1]];
}

/** True when `node` is in the domain a pattern reads (the default one unless it names one). */
const inDomain = (node: NodeSummary, domain?: string) =>
  domain ? node.domain === domain : isDefaultDomain(node.domain);

/** The first pattern that may start at `nodes[i]` now, or `undefined`. */
function findPattern(nodes: NodeSummary[], i: number, state: ReadState): Pattern | undefined {
  return PATTERNS.find(
    (p) =>
      p.when(state) &&
      p.ops.every((op, j) => nodes[i + j]?.opType === op && inDomain(nodes[i + j], p.domain)),
  );
}

/**
 * Whether some pattern reads this operator: default-domain operators by name; another domain's
 * (onnxruntime's `com.microsoft` contrib ops) only when the file imports that domain's opset 1.
 */
function isReadable(node: NodeSummary, imported: { domain: string; version: number }[]): boolean {
  if (isDefaultDomain(node.domain)) return SUPPORTED_OPS.includes(node.opType);
  const opset = imported.find((o) => o.domain === node.domain);
  return (
    opset?.version === 1 &&
    PATTERNS.some((p) => p.domain === node.domain && p.ops.includes(node.opType))
  );
}

function checkAttributes(nodes: readonly NodeSummary[], pattern: Pattern, at: number): void {
  nodes.forEach((node, j) => {
    const allowed = pattern.attributes?.[node.opType] ?? [];
    const extra = Object.keys(node.attributes).find((a) => !allowed.includes(a));
    if (extra !== undefined) {
      throw new UnsupportedModelError(
        `${nodeLabel(node, at + j)} (${node.opType}) has attribute '${extra}', which this lab does not read.`,
      );
    }
  });
}

/**
 * Reads an MLP from an ONNX file made of the patterns `mlpToOnnx` and `quantizeModel` emit.
 * @param bytes the whole `.onnx` file.
 * @returns the weights (fresh arrays) and the model's `metadata_props`.
 *   `onnxToMlp(mlpToOnnx(m, meta)).model` equals `m` exactly. For a quantized file, the weights
 *   are the DEQUANTIZED values (fp16 and int8 weights back in float32) and `quantization` says
 *   how the file is quantized (read from its graph, not from its metadata). A float forward pass
 *   of those weights computes exactly what fp16 and int8-weight files compute, but only
 *   approximates int8-dynamic and int8-static files: their run-time rounding of activations to
 *   8 bits cannot be expressed in `MlpWeights` ("emulated (dequantized)").
 * @throws OnnxFormatError for a file that is not a readable ONNX model; UnsupportedModelError
 *   naming the first unsupported opset, operator, data type, shape or pattern.
 */
export function onnxToMlp(bytes: Uint8Array): {
  model: MlpWeights;
  metadata: Record<string, string>;
  quantization?: QuantizationReport;
} {
  const decoded = decodeModel(bytes);
  const summary = summarize(decoded, bytes.length);
  const opset = decoded.defaultOpset;
  if (opset < MIN_IMPORT_OPSET || opset > MAX_IMPORT_OPSET) {
    throw new UnsupportedModelError(
      `opset ${opset} of the default ONNX domain; this lab reads opsets ${MIN_IMPORT_OPSET} to ` +
        `${MAX_IMPORT_OPSET}.`,
    );
  }
  const nodes = summary.nodes;
  nodes.forEach((node, i) => {
    if (isReadable(node, summary.opsets)) return;
    const op = isDefaultDomain(node.domain) ? node.opType : `${node.domain}.${node.opType}`;
    throw new UnsupportedModelError(
      `operator ${op} (${nodeLabel(node, i)}) is not one this lab can run; supported: ` +
        `${FLOAT_OPS.join(', ')}. Quantized models, as this app writes them, also use ` +
        `${QUANTIZED_OPS.join(', ')} (the last with the com.microsoft opset 1 imported).`,
    );
  });

  const initNames = new Set(summary.initializers.map((t) => t.name));
  const [inputName, inputSize] = readInput(summary.inputs, initNames);
  const state = makeState(inputName, inputSize, decoded.graph);
  for (let i = 0; i < nodes.length;) {
    const pattern = findPattern(nodes, i, state);
    if (!pattern) {
      const expected = PATTERNS.filter((p) => p.when(state)).map((p) => p.name);
      throw new UnsupportedModelError(
        `${nodeLabel(nodes[i], i)} (${nodes[i].opType}) does not fit the patterns this lab reads; ` +
          `after '${state.current}' it expects ${expected.join(', or ')}.`,
      );
    }
    const matched = nodes.slice(i, i + pattern.ops.length);
    checkAttributes(matched, pattern, i);
    pattern.apply(matched, state);
    i += pattern.ops.length;
  }

  if (state.layers.length === 0) {
    throw new UnsupportedModelError('the graph holds no dense layer (MatMul then Add).');
  }
  const outputs = summary.outputs;
  if (outputs.length !== 1 || outputs[0].name !== state.current) {
    const names = outputs.map((o) => `'${o.name}'`).join(', ');
    throw new UnsupportedModelError(
      `the graph outputs ${names || 'nothing'}; this lab reads one output, the end of the chain ('${state.current}').`,
    );
  }
  const { elemType, shape } = outputs[0];
  if (elemType !== 'float32' || (typeof shape[1] === 'number' && shape[1] !== state.width)) {
    throw new UnsupportedModelError(
      `output '${state.current}' is ${elemType} [${shape.join(', ')}]; the layers compute float32 ` +
        `[batch, ${state.width}].`,
    );
  }
  const model: MlpWeights = { inputSize, layers: state.layers };
  if (state.preprocess) model.preprocess = state.preprocess;
  const quantization = quantizationOf(state.quantized);
  return { model, metadata: summary.metadata, ...(quantization ? { quantization } : {}) };
}
