/**
 * Errors for ONNX files the app refuses. Both kinds carry a message written for the learner: it
 * says what is wrong and, where it helps, where in the file. Catch {@link OnnxError} to handle any
 * refused file; check the subclass to tell a broken file from a valid model the lab cannot run.
 */

/** Base class of every refusal of an ONNX file. */
export class OnnxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxError';
  }
}

/**
 * The bytes are not a readable ONNX model: empty, not protobuf, truncated, no graph, a newer IR
 * version than the app reads, or no opset for the default domain.
 */
export class OnnxFormatError extends OnnxError {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxFormatError';
  }
}

/**
 * A well-formed ONNX model that uses an operator, opset, data type or graph pattern outside the
 * allowlist of `onnxToMlp` (the patterns the app itself emits).
 */
export class UnsupportedModelError extends OnnxError {
  constructor(message: string) {
    super(`unsupported model: ${message}`);
    this.name = 'UnsupportedModelError';
  }
}
