/**
 * The graph patterns `onnxToMlp` recognises: a small table, tried in order at each node. To read a
 * new form (int8 DequantizeLinear weights, MatMulInteger, fp16 weights with Cast...), add a row:
 * its operators, when it may apply, and how it changes the model being read. A row that only
 * makes weights (DequantizeLinear of an initializer) can store them with `state.constants`, where
 * `state.float` finds them like initializers. The rows for quantized files live in `q-patterns.ts`.
 */
import type { Activation, DenseLayer } from '../mlp';
import { ACTIVATION_OPS } from './export';
import { UnsupportedModelError } from './errors';
import type { NodeSummary } from './inspect';
import type { onnx } from './proto';
import { QUANTIZED_PATTERNS } from './q-patterns';
import type { QuantizedReading } from './q-read';

/** What has been read so far, and the value flowing from the graph input. */
export type ReadState = {
  inputSize: number;
  /** Name of the value the next layer pattern must consume. */
  current: string;
  /** Its width (features per row). */
  width: number;
  preprocess?: { offset: Float32Array; scale: Float32Array };
  layers: DenseLayer[];
  /** True once the last layer has its activation node. */
  activated: boolean;
  /** float32 values computed by weight-making patterns, by value name. */
  constants: Map<string, { dims: number[]; values: Float32Array }>;
  /**
   * A float32 initializer (or constant) of one of the allowed shapes (-1: any size on that axis).
   * @throws UnsupportedModelError naming the node when it is missing, not float32, or misshapen.
   */
  float(name: string, shapes: number[][], node: NodeSummary): Float32Array;
  /** The stored initializer of that name, of any element type (for quantized weights). */
  initializer(name: string): onnx.ITensorProto | undefined;
  /** The quantized forms read so far (see `q-patterns.ts`). */
  quantized: QuantizedReading;
};

export type Pattern = {
  /** A short name used in messages, e.g. `dense layer`. */
  name: string;
  /** Operator types, in node order. */
  ops: readonly string[];
  /** The operators' domain, when not the default ONNX domain (e.g. `com.microsoft`). */
  domain?: string;
  /** Attributes each operator may carry (none when absent). */
  attributes?: Readonly<Record<string, readonly string[]>>;
  /** Whether the pattern may start at this point of the reading. */
  when(state: ReadState): boolean;
  /** Reads the matched nodes into `state`; throws {@link UnsupportedModelError} when they misfit. */
  apply(nodes: readonly NodeSummary[], state: ReadState): void;
};

const label = (n: NodeSummary) => `node '${n.name}' (${n.opType})`;

/**
 * Checks that `nodes` form a chain from `state.current`, each node with one output and the
 * previous value among its inputs.
 * @returns for each node, its other inputs (the operands, in order).
 */
export function chain(nodes: readonly NodeSummary[], state: ReadState): string[][] {
  let flowing = state.current;
  return nodes.map((node) => {
    if (node.outputs.length !== 1) {
      throw new UnsupportedModelError(`${label(node)} has ${node.outputs.length} outputs, not 1.`);
    }
    const at = node.inputs.indexOf(flowing);
    if (at < 0) {
      throw new UnsupportedModelError(
        `${label(node)} does not take '${flowing}', so the graph is not the single chain of ` +
          'layers this lab reads.',
      );
    }
    flowing = node.outputs[0];
    return node.inputs.filter((_, i) => i !== at);
  });
}

/** Checks that `node` takes `value` as its input number `index` (for non-commutative ops). */
function expectInputAt(node: NodeSummary, value: string, index: number): void {
  if (node.inputs[index] !== value) {
    throw new UnsupportedModelError(
      `${label(node)} must take '${value}' as input ${index + 1}; it takes [${node.inputs.join(', ')}].`,
    );
  }
}

function one(operands: string[], node: NodeSummary): string {
  if (operands.length !== 1) {
    throw new UnsupportedModelError(`${label(node)} has ${node.inputs.length} inputs, not 2.`);
  }
  return operands[0];
}

const preprocess: Pattern = {
  name: 'preprocessing (Sub then Mul)',
  ops: ['Sub', 'Mul'],
  when: (s) => s.layers.length === 0 && !s.preprocess,
  apply(nodes, s) {
    const [sub, mul] = nodes;
    const [subOps, mulOps] = chain(nodes, s);
    expectInputAt(sub, s.current, 0); // x - offset, not offset - x
    const shapes = [[s.width], [1, s.width]];
    const offset = s.float(one(subOps, sub), shapes, sub);
    const scale = s.float(one(mulOps, mul), shapes, mul);
    s.preprocess = { offset, scale };
    s.current = mul.outputs[0];
  },
};

const dense: Pattern = {
  name: 'dense layer (MatMul then Add)',
  ops: ['MatMul', 'Add'],
  when: () => true,
  apply(nodes, s) {
    const [matmul, add] = nodes;
    const [mmOps, addOps] = chain(nodes, s);
    expectInputAt(matmul, s.current, 0); // x · W, not W · x
    const weights = s.float(one(mmOps, matmul), [[s.width, -1]], matmul);
    const out = weights.length / s.width;
    if (out < 1) throw new UnsupportedModelError(`${label(matmul)} has a weight with 0 columns.`);
    const bias = s.float(one(addOps, add), [[out], [1, out]], add);
    s.layers.push({ weights, bias, activation: 'linear' });
    s.activated = false;
    s.width = out;
    s.current = add.outputs[0];
  },
};

function activation(act: Activation, op: string): Pattern {
  return {
    name: `${op} activation`,
    ops: [op],
    attributes: op === 'Softmax' ? { Softmax: ['axis'] } : undefined,
    when: (s) => s.layers.length > 0 && !s.activated,
    apply(nodes, s) {
      const [node] = nodes;
      const [operands] = chain(nodes, s);
      if (operands.length > 0) {
        throw new UnsupportedModelError(`${label(node)} has ${node.inputs.length} inputs, not 1.`);
      }
      const axis = node.attributes.axis;
      // Rank-2 values: axis 1 is the last axis, and opset 13 defaults to -1.
      if (axis !== undefined && axis !== -1 && axis !== 1) {
        throw new UnsupportedModelError(
          `${label(node)} has axis ${String(axis)}; this lab reads softmax over classes (axis -1).`,
        );
      }
      s.layers[s.layers.length - 1].activation = act;
      s.activated = true;
      s.current = node.outputs[0];
    },
  };
}

const FLOAT_PATTERNS: readonly Pattern[] = [
  preprocess,
  dense,
  ...Object.entries(ACTIVATION_OPS).flatMap(([act, op]) =>
    op ? [activation(act as Activation, op)] : [],
  ),
];

/** The patterns, tried in this order at each node: float32 rows, then the quantized ones. */
export const PATTERNS: readonly Pattern[] = [...FLOAT_PATTERNS, ...QUANTIZED_PATTERNS];

const opsOf = (rows: readonly Pattern[]) => [...new Set(rows.flatMap((p) => p.ops))];

/** The float32 operators, in table order (for messages). */
export const FLOAT_OPS: readonly string[] = opsOf(FLOAT_PATTERNS);

/** Every default-domain operator some pattern reads, in table order. */
export const SUPPORTED_OPS: readonly string[] = opsOf(PATTERNS.filter((p) => !p.domain));

/**
 * Operators only quantized files use, for messages: default-domain ones by name, others as
 * `domain.Op` (read only in a file that imports that domain's opset 1).
 */
export const QUANTIZED_OPS: readonly string[] = [
  ...SUPPORTED_OPS.filter((op) => !FLOAT_OPS.includes(op)),
  ...PATTERNS.filter((p) => p.domain).flatMap((p) => p.ops.map((op) => `${p.domain}.${op}`)),
];
