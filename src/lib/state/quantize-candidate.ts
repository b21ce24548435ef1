/**
 * The quantized ONNX file of a registry version: the calibration rows, the parent's metadata
 * carried over (plus `parent_version`), the options for `quantizeModel`, and the bytes it writes.
 */
import type { Dataset } from '../core/data';
import { gatherRows } from '../core/data';
import type { MlpWeights } from '../core/mlp';
import type { OnnxMeta } from '../core/onnx/export';
import type { OnnxSummary } from '../core/onnx/inspect';
import {
  quantizeModel,
  type Calibration,
  type QuantizeMode,
  type QuantizeOptions,
} from '../core/onnx/quantize';
import { CALIBRATION_PERCENTILE, MODE_LABELS, type QuantizeSettings } from './quantize-settings';

/** The first `settings.calibrationRows` rows of the (shuffled) train split, as raw features. */
export function calibrationSet(
  ds: Dataset,
  train: ArrayLike<number>,
  s: QuantizeSettings,
): Calibration {
  const picked = Array.from(
    { length: Math.min(s.calibrationRows, train.length) },
    (_, i) => train[i],
  );
  const { x, rows } = gatherRows(ds, picked);
  return {
    x,
    rows,
    method: s.calibrationMethod,
    ...(s.calibrationMethod === 'percentile' ? { percentile: CALIBRATION_PERCENTILE } : {}),
  };
}

/** Names and metadata of the quantized file: the parent's, plus `parent_version`. */
export function candidateMeta(
  parent: Pick<OnnxSummary, 'inputs' | 'outputs' | 'metadata' | 'producerVersion' | 'graphName'>,
  parentId: string,
  mode: QuantizeMode,
): OnnxMeta {
  const inputName = parent.inputs[0]?.name;
  const outputName = parent.outputs[0]?.name;
  if (!inputName || !outputName) throw new Error(`${parentId} has no graph input or output.`);
  return {
    inputName,
    outputName,
    properties: { ...parent.metadata, parent_version: parentId },
    ...(parent.producerVersion ? { producerVersion: parent.producerVersion } : {}),
    ...(parent.graphName ? { graphName: parent.graphName } : {}),
    docString: `${MODE_LABELS[mode]} of ${parentId}, quantized by Pocket MLOps.`,
  };
}

/** The options `quantizeModel` gets for these settings. */
export function quantizeOptions(
  s: QuantizeSettings,
  meta: OnnxMeta,
  calibration?: Calibration,
): QuantizeOptions {
  return {
    meta,
    perChannel: s.mode !== 'fp16' && s.perChannel,
    ...(s.mode === 'int8-dynamic' ? { dynamicOp: s.dynamicOp } : {}),
    ...(s.mode === 'int8-static' ? { staticFormat: s.staticFormat, calibration } : {}),
  };
}

/** The quantized `.onnx` bytes. @throws Error from `quantizeModel` (e.g. a NaN weight). */
export function buildCandidate(
  model: MlpWeights,
  s: QuantizeSettings,
  meta: OnnxMeta,
  calibration?: Calibration,
): Uint8Array {
  return quantizeModel(model, s.mode, quantizeOptions(s, meta, calibration));
}
