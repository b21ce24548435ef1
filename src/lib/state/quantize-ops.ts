/**
 * The pure work behind the Quantize panel, gathered in one module: the settings
 * (quantize-settings), the quantized ONNX file of a registry version with its metadata carried
 * over plus `parent_version` (quantize-candidate), the figures of a preview and their verdicts
 * against CONTRACTS.md's tolerances (quantize-preview), the weight quantization error and the
 * scale / zero-point explainer of each tensor (quantize-histogram, quantize-tensors), and the
 * record that registers the result (quantize-version). The outputs come from onnxruntime-web:
 * {@link tapOutputs} records what the serving worker sends back during `checkAgreement`. This
 * module pulls in onnx-proto, so QuantizeState loads it with `import()`.
 */
export { gatherRows } from '../core/data';
export { decodeMlp } from '../core/mlp-codec';
export { forward } from '../core/forward';
export { readOnnx } from '../core/onnx/inspect';
export { importSplitSeed, trainRows } from './registry-ops';
export {
  CALIBRATION_PERCENTILE,
  DEFAULT_CALIBRATION_ROWS,
  MODE_LABELS,
  describeSettings,
  rowsPerCall,
  settingsProblem,
  toleranceVariant,
  type QuantizeMode,
  type QuantizeSettings,
} from './quantize-settings';
export {
  buildCandidate,
  calibrationSet,
  candidateMeta,
  quantizeOptions,
} from './quantize-candidate';
export {
  accuracyOf,
  previewFigures,
  tapOutputs,
  type PreviewFigures,
  type Verdict,
} from './quantize-preview';
export { HISTOGRAM_BINS, errorHistogram, type ErrorHistogram } from './quantize-histogram';
export { quantizedTensors, type Example, type TensorInfo } from './quantize-tensors';
export { defaultNote, quantizedVersion, type ParentFacts } from './quantize-version';
