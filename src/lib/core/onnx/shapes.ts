/**
 * A small shape inference over the operators the app emits (elementwise, MatMul, activations),
 * enough to check that the shapes a file states agree with what its nodes compute. Unknown
 * operators make their outputs unknown; they are never an error here.
 */
import type { NodeSummary, OnnxSummary } from './inspect';

/** A shape: sizes, symbolic names (`'batch'`), or `'?'`. */
export type Shape = (number | string)[];

/** Operators whose output has the shape of their (first) input. */
const SAME_SHAPE = new Set(['Relu', 'Tanh', 'Sigmoid', 'Softmax', 'Identity', 'Cast', 'Neg']);
/** Elementwise binary operators with numpy-style broadcasting. */
const BROADCAST = new Set(['Add', 'Sub', 'Mul', 'Div']);

/** One axis of numpy broadcasting; `null` when the two sizes cannot broadcast. */
function broadcastDim(a: number | string, b: number | string): number | string | null {
  if (a === b) return a;
  if (a === 1) return b;
  if (b === 1) return a;
  if (typeof a === 'number' && typeof b === 'number') return null;
  if (typeof a === 'number') return a; // a symbol that broadcasts must equal the size (or be 1)
  if (typeof b === 'number') return b;
  return '?';
}

function broadcast(a: Shape, b: Shape): Shape | null {
  const rank = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    const d = broadcastDim(da, db);
    if (d === null) return null;
    out.push(d);
  }
  return out;
}

const show = (s: Shape): string => `[${s.join(', ')}]`;

/** Output shape of one node, or a problem message. `undefined`: not inferable here. */
function inferNode(node: NodeSummary, ins: (Shape | undefined)[]): Shape | string | undefined {
  const [a, b] = ins;
  const label = `node '${node.name}' (${node.opType})`;
  if (node.domain !== '' && node.domain !== 'ai.onnx') return undefined;
  if (SAME_SHAPE.has(node.opType)) {
    if (!a) return undefined;
    const axis = node.attributes.axis;
    if (node.opType === 'Softmax' && typeof axis === 'number') {
      if (axis < -a.length || axis >= a.length) {
        return `${label}: axis ${axis} is outside an input of rank ${a.length}`;
      }
    }
    return a;
  }
  if (!a || !b) return undefined;
  if (BROADCAST.has(node.opType)) {
    return broadcast(a, b) ?? `${label}: shapes ${show(a)} and ${show(b)} do not broadcast`;
  }
  if (node.opType === 'MatMul' && a.length === 2 && b.length === 2) {
    const [k1, k2] = [a[1], b[0]];
    if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2) {
      return `${label}: inner sizes differ, ${show(a)} x ${show(b)}`;
    }
    return [a[0], b[1]];
  }
  return undefined;
}

/** True when two shapes disagree on rank or on an axis both give as a number. */
function conflict(declared: Shape, inferred: Shape): boolean {
  if (declared.length !== inferred.length) return true;
  return declared.some((d, i) => {
    const e = inferred[i];
    return typeof d === 'number' && typeof e === 'number' && d !== e;
  });
}

/**
 * Infers shapes from the graph inputs and initializers through the nodes, in file order.
 * @returns a message per node whose inputs cannot combine, and per declared shape (`value_info`
 *   or graph output) that disagrees with the inferred one. Empty when consistent.
 */
export function shapeProblems(summary: OnnxSummary): string[] {
  const known = new Map<string, Shape>();
  // Values without a stated shape stay unknown (an empty `shape` may mean "not given").
  for (const v of summary.inputs) if (v.shape.length > 0) known.set(v.name, v.shape);
  for (const t of summary.initializers) known.set(t.name, t.dims);
  const declared = new Map<string, Shape>();
  for (const v of [...summary.valueInfo, ...summary.outputs]) {
    if (v.shape.length > 0) declared.set(v.name, v.shape);
  }
  const problems: string[] = [];
  for (const node of summary.nodes) {
    const result = inferNode(
      node,
      node.inputs.map((name) => known.get(name)),
    );
    if (typeof result === 'string') problems.push(result);
    if (node.outputs.length !== 1) continue;
    const out = node.outputs[0];
    const stated = declared.get(out);
    // Where inference stops, carry on from what the file states.
    if (!Array.isArray(result)) {
      if (stated) known.set(out, stated);
      continue;
    }
    known.set(out, result);
    if (stated && conflict(stated, result)) {
      problems.push(
        `value '${out}' is declared ${show(stated)} but node '${node.name}' (${node.opType}) ` +
          `produces ${show(result)}`,
      );
    }
  }
  return problems;
}
