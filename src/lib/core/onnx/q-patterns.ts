/**
 * The rows of the `onnxToMlp` pattern table (`patterns.ts`) for the quantized graphs
 * `quantizeModel` writes. Weights are read back DEQUANTIZED, as float32 `MlpWeights` that the
 * plain TypeScript forward pass runs: for fp16 and int8-weight files that is exactly what the file
 * computes; for int8-dynamic and int8-static it is not, since the quantization of activations
 * (rounding each input to 256 levels at run time) has no place in `MlpWeights` and is dropped
 * here, so a float forward pass only approximates such a file ("emulated (dequantized)").
 */
import { UnsupportedModelError } from './errors';
import type { NodeSummary } from './inspect';
import type { Pattern, ReadState } from './patterns';
import { DataType } from './proto';
import {
  label,
  readActivationParams,
  readFloat16,
  readQuantizedWeight,
  type QuantizedForm,
} from './q-read';

const MS_DOMAIN = 'com.microsoft';

function note(s: ReadState, form: QuantizedForm, perChannel = false): void {
  s.quantized.forms.add(form);
  if (perChannel) s.quantized.perChannel = true;
}

/** Checks `node`'s input and output counts. */
function arity(node: NodeSummary, inputs: number[], outputs = 1): void {
  if (!inputs.includes(node.inputs.length) || node.outputs.length !== outputs) {
    throw new UnsupportedModelError(
      `${label(node)} has ${node.inputs.length} inputs and ${node.outputs.length} outputs; ` +
        `this lab reads ${inputs.join(' or ')} and ${outputs}.`,
    );
  }
}

/** Checks that `node` takes `value` as its input number `index`. */
function takes(node: NodeSummary, value: string, index: number): void {
  if (node.inputs[index] !== value) {
    throw new UnsupportedModelError(
      `${label(node)} must take '${value}' as input ${index + 1}; it takes ` +
        `[${node.inputs.join(', ')}], so the graph is not the chain of layers this lab reads.`,
    );
  }
}

/** The operand of a two-input commutative node other than `value`. */
function other(node: NodeSummary, value: string): string {
  arity(node, [2]);
  const at = node.inputs.indexOf(value);
  if (at < 0) takes(node, value, 0);
  return node.inputs[1 - at];
}

/** Checks a `Cast` to float32. */
function castsToFloat(node: NodeSummary): void {
  if (node.attributes.to !== DataType.FLOAT) {
    throw new UnsupportedModelError(
      `${label(node)} casts to type ${String(node.attributes.to)}; this lab reads Cast to float32.`,
    );
  }
}

/** Adds a dense layer read from quantized nodes, ending at `output`. */
function pushLayer(s: ReadState, weights: Float32Array, bias: Float32Array, output: string): void {
  s.layers.push({ weights, bias, activation: 'linear' });
  s.activated = false;
  s.width = bias.length;
  s.current = output;
}

const fp16Weight: Pattern = {
  name: 'fp16 weight (Cast of a float16 initializer)',
  ops: ['Cast'],
  attributes: { Cast: ['to'] },
  when: () => true,
  apply([cast], s) {
    arity(cast, [1]);
    castsToFloat(cast);
    const name = cast.inputs[0];
    s.constants.set(cast.outputs[0], readFloat16(s.initializer(name), name, cast));
    note(s, 'fp16-weight');
  },
};

const int8Weight: Pattern = {
  name: 'int8 weight (DequantizeLinear of an int8 initializer)',
  ops: ['DequantizeLinear'],
  attributes: { DequantizeLinear: ['axis'] },
  when: () => true,
  apply([dq], s) {
    arity(dq, [2, 3]);
    const axis = dq.attributes.axis;
    const [q, scale, zeroPoint] = dq.inputs;
    const find = (n: string) => s.initializer(n);
    const names = { q, scale, zeroPoint };
    const read = readQuantizedWeight(find, names, dq, -1, typeof axis === 'number' ? axis : 1);
    s.constants.set(dq.outputs[0], { dims: read.dims, values: read.values });
    note(s, 'int8-weight', read.perChannel);
  },
};

const staticQdq: Pattern = {
  name: 'int8-static activation (QuantizeLinear then DequantizeLinear)',
  ops: ['QuantizeLinear', 'DequantizeLinear'],
  when: () => true,
  apply([quant, dequant], s) {
    arity(quant, [2, 3]);
    arity(dequant, [2, 3]);
    takes(quant, s.current, 0);
    takes(dequant, quant.outputs[0], 0);
    const find = (n: string) => s.initializer(n);
    const a = readActivationParams(find, quant.inputs[1], quant.inputs[2], quant);
    const b = readActivationParams(find, dequant.inputs[1], dequant.inputs[2], dequant);
    if (a.scale !== b.scale || a.zeroPoint !== b.zeroPoint) {
      throw new UnsupportedModelError(
        `${label(quant)} and ${label(dequant)} use different scales or zero points.`,
      );
    }
    s.current = dequant.outputs[0];
    note(s, 'static-qdq');
  },
};

const dynamicMatMulInteger: Pattern = {
  name: 'int8-dynamic layer (DynamicQuantizeLinear, MatMulInteger, Cast, Mul, Mul, Add)',
  ops: ['DynamicQuantizeLinear', 'MatMulInteger', 'Cast', 'Mul', 'Mul', 'Add'],
  attributes: { Cast: ['to'] },
  when: () => true,
  apply([dql, mmi, cast, mulScales, mulOut, add], s) {
    arity(dql, [1], 3);
    takes(dql, s.current, 0);
    const [xq, xs, xzp] = dql.outputs;
    arity(mmi, [4]);
    takes(mmi, xq, 0);
    takes(mmi, xzp, 2);
    arity(cast, [1]);
    takes(cast, mmi.outputs[0], 0);
    castsToFloat(cast);
    const weightScale = other(mulScales, xs);
    other(mulOut, cast.outputs[0]);
    takes(mulOut, mulScales.outputs[0], 1 - mulOut.inputs.indexOf(cast.outputs[0]));
    const find = (n: string) => s.initializer(n);
    const names = { q: mmi.inputs[1], scale: weightScale, zeroPoint: mmi.inputs[3] };
    const w = readQuantizedWeight(find, names, mmi, s.width);
    const biasName = other(add, mulOut.outputs[0]);
    const bias = s.float(biasName, [[w.dims[1]], [1, w.dims[1]]], add);
    pushLayer(s, w.values, bias, add.outputs[0]);
    note(s, 'dynamic-matmulinteger', w.perChannel);
  },
};

const dynamicContrib: Pattern = {
  name: 'int8-dynamic layer (com.microsoft.DynamicQuantizeMatMul)',
  ops: ['DynamicQuantizeMatMul'],
  domain: MS_DOMAIN,
  when: () => true,
  apply([node], s) {
    arity(node, [3, 4, 5]);
    takes(node, s.current, 0);
    const [, q, scale, zeroPoint, biasName] = node.inputs;
    const find = (n: string) => s.initializer(n);
    const names = { q, scale, zeroPoint: zeroPoint || undefined };
    const w = readQuantizedWeight(find, names, node, s.width);
    const out = w.dims[1];
    const bias = biasName ? s.float(biasName, [[out]], node) : new Float32Array(out);
    pushLayer(s, w.values, bias, node.outputs[0]);
    note(s, 'dynamic-contrib', w.perChannel);
  },
};

const staticQLinear: Pattern = {
  name: 'int8-static layer (QuantizeLinear, QLinearMatMul, DequantizeLinear, Add)',
  ops: ['QuantizeLinear', 'QLinearMatMul', 'DequantizeLinear', 'Add'],
  when: () => true,
  apply([quant, qmm, dequant, add], s) {
    arity(quant, [3]);
    takes(quant, s.current, 0);
    arity(qmm, [8]);
    takes(qmm, quant.outputs[0], 0);
    const [, xs, xzp, q, scale, zeroPoint, ys, yzp] = qmm.inputs;
    takes(qmm, quant.inputs[1], 1);
    takes(qmm, quant.inputs[2], 2);
    arity(dequant, [3]);
    takes(dequant, qmm.outputs[0], 0);
    takes(dequant, ys, 1);
    takes(dequant, yzp, 2);
    const find = (n: string) => s.initializer(n);
    readActivationParams(find, xs, xzp, quant);
    readActivationParams(find, ys, yzp, dequant);
    const w = readQuantizedWeight(find, { q, scale, zeroPoint }, qmm, s.width);
    const bias = s.float(other(add, dequant.outputs[0]), [[w.dims[1]], [1, w.dims[1]]], add);
    pushLayer(s, w.values, bias, add.outputs[0]);
    note(s, 'static-qlinear', w.perChannel);
  },
};

/** The quantized rows, tried after the float ones (`patterns.ts`). */
export const QUANTIZED_PATTERNS: readonly Pattern[] = [
  fp16Weight,
  int8Weight,
  staticQdq,
  staticQLinear,
  dynamicMatMulInteger,
  dynamicContrib,
];
