/**
 * `readOnnx`: what an ONNX file holds, as plain data for the registry and the import screen
 * (opsets, IR version, inputs and outputs with shapes, nodes, initializer sizes, metadata).
 */
import { decodeModel, type DecodedModel } from './decode';
import { OnnxFormatError } from './errors';
import { AttrType, elemTypeName, int64, type onnx } from './proto';
import { tensorDims, tensorStorage, type TensorStorage } from './tensor';

export { checkGraph, type GraphProblem, type GraphRule } from './check';
export { MAX_IR_VERSION } from './decode';
export { OnnxError, OnnxFormatError, UnsupportedModelError } from './errors';

/** A graph input, output or intermediate value. */
export type ValueSummary = {
  name: string;
  /** `float32`, `int64`... (`sequence`, `map` or `optional` for non-tensor values). */
  elemType: string;
  /**
   * One entry per axis: a size, a symbolic name (`'batch'`), or `'?'` when unnamed and unknown.
   * Empty when the file gives no shape (or the value is a scalar).
   */
  shape: (number | string)[];
};

/** A value of a node attribute: numbers, strings, lists; tensors and graphs as a description. */
export type AttributeValue = number | string | number[] | string[];

export type NodeSummary = {
  name: string;
  opType: string;
  /** `''` for the default ONNX domain. */
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, AttributeValue>;
};

export type InitializerSummary = {
  name: string;
  /** `float32`, `int8`... */
  dataType: string;
  dims: number[];
  /** Size of the stored data, in bytes. */
  bytes: number;
  storage: TensorStorage;
};

export type OnnxSummary = {
  irVersion: number;
  /** Imported operator sets; domain `''` is the default ONNX domain. */
  opsets: { domain: string; version: number }[];
  /** `producer_name`, e.g. `pocket-mlops`. */
  producer: string;
  producerVersion: string;
  graphName: string;
  docString: string;
  inputs: ValueSummary[];
  outputs: ValueSummary[];
  /** Shapes the file states for intermediate values (`value_info`). */
  valueInfo: ValueSummary[];
  /** In file order (which a valid graph keeps topological). */
  nodes: NodeSummary[];
  initializers: InitializerSummary[];
  /** `metadata_props`, key -> value. */
  metadata: Record<string, string>;
  /** Size of the whole file, in bytes. */
  sizeBytes: number;
};

const utf8 = new TextDecoder();

function valueSummary(v: onnx.IValueInfoProto): ValueSummary {
  const name = v.name ?? '';
  const type = v.type;
  if (!type?.tensorType) {
    const kind = type?.sequenceType ? 'sequence' : type?.mapType ? 'map' : 'optional';
    return { name, elemType: type ? kind : 'undefined', shape: [] };
  }
  const dims = type.tensorType.shape?.dim ?? [];
  const shape = dims.map((d): number | string => {
    if (d.dimParam) return d.dimParam;
    if (d.dimValue !== null && d.dimValue !== undefined) return int64(d.dimValue);
    return '?';
  });
  return { name, elemType: elemTypeName(type.tensorType.elemType ?? 0), shape };
}

function attributeValue(a: onnx.IAttributeProto): AttributeValue {
  switch (a.type ?? 0) {
    case AttrType.FLOAT:
      return a.f ?? 0;
    case AttrType.INT:
      return int64(a.i);
    case AttrType.STRING:
      return utf8.decode(a.s ?? new Uint8Array());
    case AttrType.FLOATS:
      return [...(a.floats ?? [])];
    case AttrType.INTS:
      return (a.ints ?? []).map((i) => int64(i));
    case AttrType.STRINGS:
      return (a.strings ?? []).map((s) => utf8.decode(s));
    case AttrType.TENSOR: {
      const t = a.t ?? {};
      return `tensor ${elemTypeName(t.dataType ?? 0)} [${tensorDims(t).join(', ')}]`;
    }
    case AttrType.GRAPH:
      return `graph '${a.g?.name ?? ''}'`;
    default:
      return `attribute of type ${a.type ?? 0}`;
  }
}

function nodeSummary(n: onnx.INodeProto): NodeSummary {
  const attributes: Record<string, AttributeValue> = {};
  for (const a of n.attribute ?? []) attributes[a.name ?? ''] = attributeValue(a);
  return {
    name: n.name ?? '',
    opType: n.opType ?? '',
    domain: n.domain ?? '',
    inputs: [...(n.input ?? [])],
    outputs: [...(n.output ?? [])],
    attributes,
  };
}

function initializerSummary(t: onnx.ITensorProto): InitializerSummary {
  const { storage, bytes } = tensorStorage(t);
  const dims = tensorDims(t);
  return { name: t.name ?? '', dataType: elemTypeName(t.dataType ?? 0), dims, bytes, storage };
}

/** Builds the summary of an already decoded model (for modules that also need the tensors). */
export function summarize(decoded: DecodedModel, sizeBytes: number): OnnxSummary {
  const { proto, graph } = decoded;
  const metadata: Record<string, string> = {};
  for (const p of proto.metadataProps) metadata[p.key ?? ''] = p.value ?? '';
  try {
    return {
      irVersion: decoded.irVersion,
      opsets: proto.opsetImport.map((o) => ({ domain: o.domain ?? '', version: int64(o.version) })),
      producer: proto.producerName,
      producerVersion: proto.producerVersion,
      graphName: graph.name ?? '',
      docString: proto.docString,
      inputs: (graph.input ?? []).map(valueSummary),
      outputs: (graph.output ?? []).map(valueSummary),
      valueInfo: (graph.valueInfo ?? []).map(valueSummary),
      nodes: (graph.node ?? []).map(nodeSummary),
      initializers: (graph.initializer ?? []).map(initializerSummary),
      metadata,
      sizeBytes,
    };
  } catch (err) {
    if (err instanceof RangeError) throw new OnnxFormatError(`not an ONNX model: ${err.message}.`);
    throw err;
  }
}

/**
 * Reads an ONNX file without running it.
 * @param bytes the whole `.onnx` file.
 * @throws OnnxFormatError when the file is empty, not protobuf ("not an ONNX model: ..."),
 *   truncated, has no graph, an IR version above 8, or no default-domain opset.
 */
export function readOnnx(bytes: Uint8Array): OnnxSummary {
  return summarize(decodeModel(bytes), bytes.length);
}
