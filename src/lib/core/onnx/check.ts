/**
 * `checkGraph`: the structural rules of the ONNX checker that can be tested on a summary, in
 * TypeScript (the app cannot run Python's `onnx.checker`): topological order, every input defined,
 * unique names, initializer sizes, outputs produced, shapes consistent.
 */
import type { OnnxSummary } from './inspect';
import { elemTypeBytesByName } from './proto';
import { shapeProblems } from './shapes';
import { elementCount } from './tensor';

/** Which rule a problem breaks. */
export type GraphRule =
  | 'topological-order'
  | 'undefined-input'
  | 'duplicate-name'
  | 'initializer-size'
  | 'output-not-produced'
  | 'shape-mismatch';

export type GraphProblem = { rule: GraphRule; message: string };

/**
 * Checks a graph the way `onnx.checker` would, where a summary allows it.
 * @returns every problem found, in graph order; empty for a well-formed graph (every export of
 *   `mlpToOnnx` is one).
 */
export function checkGraph(summary: OnnxSummary): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const add = (rule: GraphRule, message: string) => problems.push({ rule, message });

  /** Every value defined so far: graph inputs, initializers, outputs of earlier nodes. */
  const defined = new Set<string>();
  const seenInputs = new Set<string>();
  for (const v of summary.inputs) {
    if (seenInputs.has(v.name)) add('duplicate-name', `graph input '${v.name}' is listed twice`);
    seenInputs.add(v.name);
    defined.add(v.name);
  }
  const seenInits = new Set<string>();
  for (const t of summary.initializers) {
    if (seenInits.has(t.name)) add('duplicate-name', `initializer '${t.name}' is listed twice`);
    seenInits.add(t.name);
    defined.add(t.name); // an initializer may also be a graph input (a default value): allowed
    const size = elemTypeBytesByName(t.dataType);
    if (size && t.storage !== 'external' && elementCount(t.dims) * size !== t.bytes) {
      add(
        'initializer-size',
        `initializer '${t.name}' has dims [${t.dims.join(', ')}] (${elementCount(t.dims) * size} ` +
          `bytes of ${t.dataType}) but holds ${t.bytes} bytes`,
      );
    }
  }

  /** Where each node output is produced, to tell "later" from "never". */
  const producer = new Map<string, number>();
  summary.nodes.forEach((n, i) => n.outputs.forEach((o) => producer.has(o) || producer.set(o, i)));
  const nodeNames = new Set<string>();
  summary.nodes.forEach((node, i) => {
    const label = `node '${node.name}' (${node.opType})`;
    if (node.name !== '' && nodeNames.has(node.name)) {
      add('duplicate-name', `node name '${node.name}' is used twice`);
    }
    nodeNames.add(node.name);
    for (const input of node.inputs) {
      if (input === '' || defined.has(input)) continue; // '' marks an omitted optional input
      const later = producer.get(input);
      if (later !== undefined && later > i) {
        add(
          'topological-order',
          `${label} uses '${input}' before node '${summary.nodes[later].name}' produces it`,
        );
      } else {
        add('undefined-input', `${label} uses '${input}', which nothing defines`);
      }
    }
    for (const output of node.outputs) {
      if (output === '') continue;
      if (defined.has(output)) add('duplicate-name', `${label} redefines value '${output}'`);
      defined.add(output);
    }
  });

  for (const v of summary.outputs) {
    if (!defined.has(v.name)) {
      add('output-not-produced', `graph output '${v.name}' is produced by no node`);
    }
  }
  for (const message of shapeProblems(summary)) add('shape-mismatch', message);
  return problems;
}
