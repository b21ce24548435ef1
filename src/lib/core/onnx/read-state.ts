/**
 * The starting {@link ReadState} of `onnxToMlp`: the value flowing from the graph input, and the
 * lookup of float32 weights by name with the checks every pattern needs.
 */
import { OnnxFormatError, UnsupportedModelError } from './errors';
import type { ReadState } from './patterns';
import { DataType, elemTypeName, type onnx } from './proto';
import { readFloat32, tensorDims, tensorStorage } from './tensor';

const showDims = (d: number[]) => `[${d.map((x) => (x < 0 ? 'n' : x)).join(', ')}]`;

function matchesShape(dims: number[], shape: number[]): boolean {
  return dims.length === shape.length && shape.every((d, i) => d < 0 || d === dims[i]);
}

/**
 * A fresh reading state at the graph input, before any pattern.
 * @param inputName the graph input, where the chain starts.
 * @param inputSize features per row.
 * @param graph the decoded graph, whose initializers hold the weights.
 */
export function makeState(
  inputName: string,
  inputSize: number,
  graph: onnx.IGraphProto,
): ReadState {
  const tensors = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const state: ReadState = {
    inputSize,
    current: inputName,
    width: inputSize,
    layers: [],
    activated: false,
    constants: new Map(),
    quantized: { forms: new Set(), perChannel: false },
    initializer: (name) => tensors.get(name),
    float(name, shapes, node) {
      const where = `weight '${name}' of node '${node.name}' (${node.opType})`;
      const constant = state.constants.get(name);
      const t = tensors.get(name);
      if (!constant && !t) {
        throw new UnsupportedModelError(
          `node '${node.name}' (${node.opType}) reads '${name}', which is not a stored weight ` +
            '(initializer); this lab reads one chain of layers with stored weights.',
        );
      }
      let dims: number[];
      let values: Float32Array | null;
      if (constant) {
        ({ dims, values } = constant);
      } else {
        const tensor = t as onnx.ITensorProto;
        dims = tensorDims(tensor);
        const type = tensor.dataType ?? 0;
        if (type !== DataType.FLOAT) {
          throw new UnsupportedModelError(
            `${where} is ${elemTypeName(type)}; this lab reads float32.`,
          );
        }
        const { storage, bytes } = tensorStorage(tensor);
        if (storage === 'external') {
          throw new UnsupportedModelError(`${where} is stored outside the file (external data).`);
        }
        values = readFloat32(tensor);
        if (!values) {
          throw new OnnxFormatError(
            `corrupt: ${where} has dims ${showDims(dims)} but ${bytes} bytes.`,
          );
        }
      }
      if (!shapes.some((s) => matchesShape(dims, s))) {
        throw new UnsupportedModelError(
          `${where} has dims ${showDims(dims)}; expected ${shapes.map(showDims).join(' or ')} ` +
            `to follow a value of width ${state.width}.`,
        );
      }
      return values;
    },
  };
  return state;
}
