/**
 * Bytes -> a decoded ModelProto, or an {@link OnnxFormatError} that says what is wrong with the
 * file. Shared by `readOnnx` (inspection) and `onnxToMlp` (import).
 */
import { OnnxFormatError } from './errors';
import { int64, onnx } from './proto';
import { scanModelWire } from './wire';

/**
 * Newest ONNX IR version read. IR 8 is what ONNX 1.10 to 1.13 write and what onnx-proto 8 (built
 * from ONNX 1.10.2) describes; IR 9 and 10 add element types (float8, int4) it does not know.
 */
export const MAX_IR_VERSION = 8;

/** A decoded model that passed the format checks, with its graph and default opset at hand. */
export type DecodedModel = {
  proto: onnx.ModelProto;
  graph: onnx.GraphProto;
  irVersion: number;
  /** The opset version imported for the default domain (`''` or `'ai.onnx'`). */
  defaultOpset: number;
};

/** True for the default ONNX operator domain, which files spell `''` or `'ai.onnx'`. */
export function isDefaultDomain(domain: string | null | undefined): boolean {
  return !domain || domain === 'ai.onnx';
}

function decodeProto(bytes: Uint8Array): onnx.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    if (/index out of range/.test(detail)) {
      throw new OnnxFormatError(
        `not an ONNX model, or a corrupt one: a field inside it runs past the end of the field ` +
          `that holds it (${detail}).`,
      );
    }
    throw new OnnxFormatError(
      `not an ONNX model: a field inside it cannot be decoded (${detail}).`,
    );
  }
}

/**
 * Decodes and checks an ONNX file.
 * @param bytes the whole `.onnx` file.
 * @throws OnnxFormatError when the file is empty, not protobuf, truncated, has no graph, an IR
 *   version above {@link MAX_IR_VERSION} (or none), or no opset for the default domain.
 */
export function decodeModel(bytes: Uint8Array): DecodedModel {
  if (!(bytes instanceof Uint8Array)) {
    throw new OnnxFormatError('not an ONNX model: expected the bytes of a file.');
  }
  if (bytes.length === 0) {
    throw new OnnxFormatError('empty file: 0 bytes (an ONNX model holds at least a graph).');
  }
  const verdict = scanModelWire(bytes);
  if (verdict.kind !== 'ok') throw new OnnxFormatError(verdict.message);
  const proto = decodeProto(bytes);

  let irVersion: number;
  let defaultOpset = 0;
  try {
    irVersion = int64(proto.irVersion);
    for (const entry of proto.opsetImport) {
      if (isDefaultDomain(entry.domain)) defaultOpset = int64(entry.version);
    }
  } catch (err) {
    throw new OnnxFormatError(`not an ONNX model: ${(err as Error).message}.`);
  }
  if (!proto.graph) {
    throw new OnnxFormatError(
      'no graph: the file decodes as an ONNX ModelProto but holds no graph, so there is nothing to run.',
    );
  }
  if (irVersion < 1) {
    throw new OnnxFormatError('no IR version: every ONNX model states its ir_version.');
  }
  if (irVersion > MAX_IR_VERSION) {
    throw new OnnxFormatError(
      `IR version ${irVersion} is newer than this app reads (at most ${MAX_IR_VERSION}, as ONNX ` +
        `1.10 to 1.13 write it); export with ir_version ${MAX_IR_VERSION} (and opset 18 or lower).`,
    );
  }
  if (defaultOpset < 1) {
    throw new OnnxFormatError(
      'missing opset: the model imports no opset for the default ONNX domain, so its operators ' +
        'have no defined version.',
    );
  }
  return { proto, graph: proto.graph as onnx.GraphProto, irVersion, defaultOpset };
}
