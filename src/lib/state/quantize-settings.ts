/**
 * The Quantize panel's settings: what the learner picks, the defaults, the settings in words, and
 * why a choice cannot run. No onnx-proto here: the mode names and the checks are plain data.
 */
import type { QuantizeMode } from '../core/onnx/quantize';

export type { QuantizeMode } from '../core/onnx/quantize';

/** What the learner picks before pressing Quantize. */
export type QuantizeSettings = {
  mode: QuantizeMode;
  /** int8 modes: one scale per output column of each weight. */
  perChannel: boolean;
  /** int8-static: how many rows of the train split calibrate the activation ranges. */
  calibrationRows: number;
  calibrationMethod: 'minmax' | 'percentile';
  /** int8-dynamic: the standard `MatMulInteger` graph or the contrib op (onnxruntime only). */
  dynamicOp: 'MatMulInteger' | 'DynamicQuantizeMatMul';
  /** int8-static: QuantizeLinear/DequantizeLinear pairs, or QLinearMatMul. */
  staticFormat: 'qdq' | 'qlinear';
};

export const DEFAULT_CALIBRATION_ROWS = 200;
/** The percentile the panel's "percentile" method clips activations at. */
export const CALIBRATION_PERCENTILE = 99.99;

export const MODE_LABELS: Readonly<Record<QuantizeMode, string>> = Object.freeze({
  fp16: 'fp16 (half-precision weights)',
  'int8-weight': 'int8 weight-only (QDQ)',
  'int8-dynamic': 'int8 dynamic (activations at run time)',
  'int8-static': 'int8 static (calibrated activations)',
});

/** The tolerance of CONTRACTS.md a mode is held to. */
export function toleranceVariant(mode: QuantizeMode): 'fp16' | 'int8' {
  return mode === 'fp16' ? 'fp16' : 'int8';
}

/**
 * Rows per runtime call when measuring. int8-dynamic computes one activation range per call, so
 * rows that share a call share a range (one outlier row coarsens them all): it is measured one row
 * per call, as an endpoint without batching serves it. Every other mode computes each row alone.
 */
export function rowsPerCall(mode: QuantizeMode): number {
  return mode === 'int8-dynamic' ? 1 : 256;
}

/** The settings in a few words, e.g. "int8 static, per-channel, minmax on 200 rows, QDQ". */
export function describeSettings(s: QuantizeSettings): string {
  if (s.mode === 'fp16') return 'fp16';
  const parts = [s.mode.replace('-', ' '), s.perChannel ? 'per-channel' : 'per-tensor'];
  if (s.mode === 'int8-dynamic' && s.dynamicOp === 'DynamicQuantizeMatMul')
    parts.push('DynamicQuantizeMatMul (onnxruntime only)');
  if (s.mode === 'int8-static') {
    const method =
      s.calibrationMethod === 'minmax' ? 'minmax' : `percentile ${CALIBRATION_PERCENTILE}`;
    parts.push(
      `${method} on ${s.calibrationRows} rows`,
      s.staticFormat === 'qdq' ? 'QDQ' : 'QLinearMatMul',
    );
  }
  return parts.join(', ');
}

/** Why the settings cannot run (null when they can); `trainCount` is the train split's size. */
export function settingsProblem(s: QuantizeSettings, trainCount: number): string | null {
  if (s.mode !== 'int8-static') return null;
  const n = s.calibrationRows;
  if (!Number.isInteger(n) || n < 1 || n > trainCount)
    return `Calibration rows must be a whole number from 1 to ${trainCount} (the train split's size); got ${Number.isFinite(n) ? n : 'nothing'}.`;
  return null;
}
