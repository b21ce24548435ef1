/**
 * A look at the protobuf wire format of a would-be ModelProto before decoding it: tells a
 * truncated download from a file that was never ONNX, and catches nested fields that run past the
 * message holding them (protobufjs's decoder reads on into the next bytes instead of failing).
 * Field numbers are those of onnx.proto.
 */

/** ModelProto's fields: number -> [name, wire type] (0: varint, 2: length-delimited). */
const MODEL_FIELDS: Record<number, [string, number]> = {
  1: ['ir_version', 0],
  2: ['producer_name', 2],
  3: ['producer_version', 2],
  4: ['domain', 2],
  5: ['model_version', 0],
  6: ['doc_string', 2],
  7: ['graph', 2],
  8: ['opset_import', 2],
  14: ['metadata_props', 2],
  20: ['training_info', 2],
  25: ['functions', 2],
};

/** For each message checked inside: field number -> the message type that field holds. */
const SUB_MESSAGES: Record<string, Record<number, string>> = {
  Model: { 7: 'Graph', 8: 'Leaf', 14: 'Leaf' },
  Graph: { 1: 'Node', 5: 'Tensor', 11: 'ValueInfo', 12: 'ValueInfo', 13: 'ValueInfo' },
  Node: { 5: 'Attribute' },
  Attribute: { 5: 'Tensor', 6: 'Graph', 10: 'Tensor', 11: 'Graph', 14: 'Type', 15: 'Type' },
  Tensor: { 13: 'Leaf' },
  ValueInfo: { 2: 'Type' },
  Type: { 1: 'TypeTensor', 4: 'TypeElem', 5: 'TypeMap', 8: 'TypeTensor', 9: 'TypeElem' },
  TypeTensor: { 2: 'Shape' },
  TypeElem: { 1: 'Type' },
  TypeMap: { 2: 'Type' },
  Shape: { 1: 'Leaf' },
  Leaf: {},
};

/** Magic numbers of files people mistake for ONNX models. */
const KNOWN_FORMATS: [number[], string][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'a zip archive (a PyTorch .pt/.pth file is one)'],
  [[0x89, 0x48, 0x44, 0x46], 'an HDF5 file (a Keras .h5 model)'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x1f, 0x8b], 'a gzip file (decompress it first)'],
  [[0x80], 'a Python pickle (a scikit-learn or PyTorch file)'],
  [[0x7b], 'JSON text'],
  [[0x3c], 'HTML or XML text'],
];

/** What the scan found. */
export type WireVerdict =
  { kind: 'ok' } | { kind: 'garbage'; message: string } | { kind: 'truncated'; message: string };

function describeStart(bytes: Uint8Array): string {
  const hex = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const known = KNOWN_FORMATS.find(([magic]) => magic.every((b, i) => bytes[i] === b));
  return known ? `it looks like ${known[1]}` : `it starts with bytes ${hex}`;
}

/** A base-128 varint at `pos` before `end`: `null` when it runs past `end`, NaN when over 10 bytes. */
function readVarint(bytes: Uint8Array, pos: number, end: number) {
  let value = 0;
  let factor = 1;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= end) return null;
    const b = bytes[pos + i];
    value += (b & 0x7f) * factor;
    factor *= 128;
    if ((b & 0x80) === 0) return { value, next: pos + i + 1 };
  }
  return { value: NaN, next: pos + 10 };
}

/**
 * One field at `pos`: its number, wire type and payload bounds; or `error`, what runs past `end`
 * (`bad` when the field is malformed rather than cut off).
 */
function readField(bytes: Uint8Array, pos: number, end: number) {
  const tag = readVarint(bytes, pos, end);
  if (!tag) return { error: 'a field header', bad: false } as const;
  if (Number.isNaN(tag.value)) return { error: 'an invalid field header', bad: true } as const;
  const field = Math.floor(tag.value / 8);
  const wireType = tag.value % 8;
  const from = tag.next;
  let start = from;
  let to: number;
  if (wireType === 0) {
    const v = readVarint(bytes, from, end);
    if (!v || Number.isNaN(v.value)) return { field, wireType, error: `field ${field}`, bad: !v };
    to = v.next;
  } else if (wireType === 2) {
    const len = readVarint(bytes, from, end);
    if (!len || Number.isNaN(len.value)) {
      return { field, wireType, error: `the length of field ${field}`, bad: !len };
    }
    start = len.next;
    to = start + len.value;
  } else if (wireType === 1 || wireType === 5) {
    to = from + (wireType === 1 ? 8 : 4);
  } else {
    return { field, wireType, error: `field ${field} with wire type ${wireType}`, bad: true };
  }
  if (to > end)
    return { field, wireType, error: `field ${field} of ${to - start} bytes`, bad: false };
  return { field, wireType, from: start, to, error: null };
}

/** Checks the fields of a nested message of `type` in `[start, end)`; a problem or `null`. */
function walk(
  bytes: Uint8Array,
  type: string,
  start: number,
  end: number,
  depth: number,
): string | null {
  if (depth > 64) return `messages nested over 64 deep at byte ${start}`;
  const subs = SUB_MESSAGES[type];
  for (let pos = start; pos < end;) {
    const f = readField(bytes, pos, end);
    if (f.error !== null) {
      return f.bad
        ? `${f.error} at byte ${pos} is malformed`
        : `${f.error} at byte ${pos} runs past the message holding it`;
    }
    const sub = f.wireType === 2 ? subs[f.field] : undefined;
    const problem = sub ? walk(bytes, sub, f.from, f.to, depth + 1) : null;
    if (problem) return problem;
    pos = f.to;
  }
  return null;
}

/**
 * Scans `bytes` as a ModelProto: strictly at the top level (only ModelProto's fields), then the
 * bounds of every nested message the app reads (graph, nodes, attributes, tensors, types).
 * @returns `garbage` for a field no ModelProto has or a nested field past its parent,
 *   `truncated` when a top-level field runs past the last byte, otherwise `ok`.
 */
export function scanModelWire(bytes: Uint8Array): WireVerdict {
  const total = bytes.length;
  const garbage = (why: string): WireVerdict => ({
    kind: 'garbage',
    message: `not an ONNX model: ${why}; ${describeStart(bytes)}.`,
  });
  // Writers emit fields in number order, so a real model starts with ir_version (tag 0x08): a
  // field running past the end of anything else is more likely noise than a cut-short file.
  const truncated = (what: string, pos: number): WireVerdict =>
    bytes[0] !== 0x08
      ? garbage(
          `${what} at byte ${pos} runs past the end, and the file does not open with ir_version`,
        )
      : {
          kind: 'truncated',
          message:
            `truncated: ${what} (at byte ${pos}) runs past the end of the file (${total} bytes); ` +
            'the file was cut short, for example by an interrupted download.',
        };
  for (let pos = 0; pos < total;) {
    const f = readField(bytes, pos, total);
    const known = f.field === undefined ? undefined : MODEL_FIELDS[f.field];
    if (f.field !== undefined && (!known || known[1] !== f.wireType)) {
      return garbage(
        `byte ${pos} holds field ${f.field} with wire type ${f.wireType}, which no ModelProto has`,
      );
    }
    if (f.error !== null) {
      const what = known ? f.error.replace(/field \d+/, `field '${known[0]}'`) : f.error;
      return f.bad ? garbage(`${what} at byte ${pos} is malformed`) : truncated(what, pos);
    }
    const sub = SUB_MESSAGES.Model[f.field];
    const problem = sub ? walk(bytes, sub, f.from, f.to, 1) : null;
    if (problem) {
      return {
        kind: 'garbage',
        message: `not an ONNX model, or a corrupt one: inside field '${known?.[0]}', ${problem}.`,
      };
    }
    pos = f.to;
  }
  return { kind: 'ok' };
}
