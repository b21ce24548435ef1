/**
 * The pure work behind the Quantize panel: the quantized ONNX file of a registry version (its
 * metadata carried over, plus `parent_version`), the calibration rows, the figures of a preview
 * (size, test accuracy, agreement with fp32 and the verdict against CONTRACTS.md's tolerances),
 * the weight quantization error of each tensor, the scale / zero-point explainer, and the record
 * that registers the result. The outputs come from onnxruntime-web: {@link tapOutputs} records
 * what the serving worker sends back during `checkAgreement`. This module pulls in onnx-proto, so
 * QuantizeState loads it with `import()`.
 */
import { TOLERANCES, type Agreement, type Tolerance } from '../core/agreement';
import type { Dataset } from '../core/data';
import { gatherRows } from '../core/data';
import { argmaxRows } from '../core/forward';
import type { MlpWeights } from '../core/mlp';
import type { OnnxMeta } from '../core/onnx/export';
import type { OnnxSummary } from '../core/onnx/inspect';
import { calibrate } from '../core/onnx/q-calibrate';
import {
  quantizeModel,
  type Calibration,
  type QuantizeMode,
  type QuantizeOptions,
} from '../core/onnx/quantize';
import {
  affineParams,
  dequantize,
  fromFloat16,
  quantizeAffine,
  quantizeValue,
  quantRange,
  toFloat16,
} from '../core/quantize';
import type { ServeWorkerLike } from '../engine/serve-client';
import { isServeReply } from '../protocol/serve';
import type { ModelVersionRecord, NewModelVersion } from '../storage';

export { gatherRows } from '../core/data';
export { decodeMlp } from '../core/mlp-codec';
export { forward } from '../core/forward';
export { readOnnx } from '../core/onnx/inspect';
export { importSplitSeed, trainRows } from './registry-ops';
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
export const HISTOGRAM_BINS = 30;

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

/**
 * Wraps a serving-worker factory so that every `result` the worker sends is also recorded, in
 * order. `checkAgreement` reports the agreement only; the recorded probabilities are the very
 * outputs it compared, from which test accuracy is computed.
 */
export function tapOutputs(create: () => ServeWorkerLike): {
  createWorker: () => ServeWorkerLike;
  outputs: () => Float32Array;
} {
  const chunks: Float32Array[] = [];
  const createWorker = (): ServeWorkerLike => {
    const worker = create();
    const record = (event: MessageEvent<unknown>) => {
      const reply = event.data;
      if (isServeReply(reply) && reply.type === 'result') chunks.push(reply.probabilities.slice());
    };
    return {
      postMessage: (message, transfer) => worker.postMessage(message, transfer),
      addEventListener: ((
        type: 'message' | 'error' | 'messageerror',
        listener: (e: never) => void,
      ) => {
        if (type === 'message')
          worker.addEventListener('message', (event) => {
            record(event);
            (listener as (e: MessageEvent<unknown>) => void)(event);
          });
        else worker.addEventListener(type, listener as (e: Event) => void);
      }) as ServeWorkerLike['addEventListener'],
      terminate: () => worker.terminate(),
    };
  };
  const outputs = () => {
    const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  };
  return { createWorker, outputs };
}

/** Fraction of rows whose most probable class is the label. */
export function accuracyOf(
  probabilities: Float32Array,
  labels: ArrayLike<number>,
  nClasses: number,
): number {
  const n = labels.length;
  if (probabilities.length !== n * nClasses)
    throw new Error(
      `${probabilities.length} probabilities do not fit ${n} rows of ${nClasses} classes.`,
    );
  const predicted = argmaxRows(probabilities, n, nClasses);
  let right = 0;
  for (let i = 0; i < n; i++) if (predicted[i] === labels[i]) right++;
  return n === 0 ? 0 : right / n;
}

/** One figure against its limit: `pass`/`fail`, or `info` where no limit applies to the mode. */
export type Verdict = { status: 'pass' | 'fail' | 'info'; text: string };

/** The figures of a preview. Fractions in [0, 1]; `accuracyDelta` = candidate - fp32. */
export type PreviewFigures = {
  rows: number;
  sizeBytes: number;
  parentSizeBytes: number;
  /** `sizeBytes / parentSizeBytes`. */
  ratio: number;
  fp32Accuracy: number;
  accuracy: number;
  accuracyDelta: number;
  agreement: Agreement;
  tolerance: Tolerance;
  toleranceVariant: 'fp16' | 'int8';
  verdicts: { size: Verdict; top1: Verdict; maxAbsDiff: Verdict };
  /** True when the mode's tolerance holds and the file is smaller. */
  ok: boolean;
};

const pct = (f: number) => `${(f * 100).toFixed(f === 1 ? 0 : 2)}%`;

/** Puts the measured numbers together and judges them against `TOLERANCES` of the mode. */
export function previewFigures(input: {
  mode: QuantizeMode;
  sizeBytes: number;
  parentSizeBytes: number;
  agreement: Agreement;
  accuracy: number;
  fp32Accuracy: number;
}): PreviewFigures {
  const { mode, sizeBytes, parentSizeBytes, agreement } = input;
  const variant = toleranceVariant(mode);
  const tolerance = TOLERANCES[variant];
  const judge = (limit: number | undefined, pass: boolean, text: string, none: string): Verdict =>
    limit === undefined ? { status: 'info', text: none } : { status: pass ? 'pass' : 'fail', text };
  const top1 = judge(
    tolerance.minTop1,
    agreement.top1Agreement >= (tolerance.minTop1 ?? 0),
    `needs ≥ ${pct(tolerance.minTop1 ?? 0)}`,
    `reported: the ${variant} limit is on max |Δp|`,
  );
  const maxAbsDiff = judge(
    tolerance.maxAbsDiff,
    agreement.maxAbsDiff <= (tolerance.maxAbsDiff ?? Infinity),
    `needs ≤ ${tolerance.maxAbsDiff ?? ''}`,
    `reported: the ${variant} limit is on top-1 agreement`,
  );
  const smaller = sizeBytes < parentSizeBytes;
  const size: Verdict = {
    status: smaller ? 'pass' : 'fail',
    text: smaller ? 'smaller than fp32' : 'not smaller than fp32',
  };
  return {
    rows: agreement.rows,
    sizeBytes,
    parentSizeBytes,
    ratio: sizeBytes / parentSizeBytes,
    fp32Accuracy: input.fp32Accuracy,
    accuracy: input.accuracy,
    accuracyDelta: input.accuracy - input.fp32Accuracy,
    agreement,
    tolerance,
    toleranceVariant: variant,
    verdicts: { size, top1, maxAbsDiff },
    ok: smaller && top1.status !== 'fail' && maxAbsDiff.status !== 'fail',
  };
}

/** A histogram of `dequantized - original` over one tensor. */
export type ErrorHistogram = {
  /** `bins` equal-width bins from `lo` to `hi`. */
  lo: number;
  hi: number;
  counts: number[];
  n: number;
  min: number;
  max: number;
  maxAbs: number;
  meanAbs: number;
};

/** Bins `errors` into `bins` equal bins over their range (a flat tensor gets a small band). */
export function errorHistogram(errors: ArrayLike<number>, bins = HISTOGRAM_BINS): ErrorHistogram {
  let min = Infinity;
  let max = -Infinity;
  let sumAbs = 0;
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i];
    if (e < min) min = e;
    if (e > max) max = e;
    sumAbs += Math.abs(e);
  }
  const n = errors.length;
  if (n === 0) [min, max] = [0, 0];
  let [lo, hi] = [min, max];
  if (hi === lo) {
    const pad = Math.abs(lo) * 0.5 || 1e-9;
    [lo, hi] = [lo - pad, hi + pad];
  }
  const counts = new Array<number>(bins).fill(0);
  const width = (hi - lo) / bins;
  for (let i = 0; i < n; i++) counts[Math.min(bins - 1, Math.floor((errors[i] - lo) / width))]++;
  return {
    lo,
    hi,
    counts,
    n,
    min,
    max,
    maxAbs: Math.max(Math.abs(min), Math.abs(max)),
    meanAbs: n === 0 ? 0 : sumAbs / n,
  };
}

/** One value through the quantizer: `x -> q -> x̂`. For fp16, `q` is the 16-bit pattern. */
export type Example = {
  label: string;
  x: number;
  /** The channel (column) whose scale applies; 0 per tensor. */
  channel: number;
  q: number;
  xHat: number;
  /** `round(x / scale) + zp` fell outside the q range and was clipped (x beyond the range). */
  saturated: boolean;
};

/** A tensor as stored in the quantized file, with its error and examples. */
export type TensorInfo = {
  /** E.g. `layer0.weight`, `layer1.input` (an activation). */
  name: string;
  role: 'weight' | 'bias' | 'activation';
  storage: 'int8' | 'uint8' | 'float16';
  /** `batch` for the rows of an activation. */
  shape: (number | string)[];
  /** float32 scales and zero points (length 1, or one per channel); empty for float16. */
  scale: number[];
  zeroPoint: number[];
  /** Integer range of `q`; null for float16. */
  qRange: [number, number] | null;
  perChannel: boolean;
  /** Weight and bias tensors only (an activation's error depends on the input). */
  histogram: ErrorHistogram | null;
  examples: Example[];
  /** For activations: the calibrated real range the scale covers. */
  range?: { min: number; max: number };
};

/** Indices of the smallest, largest, nearest-to-zero and quartile values (distinct, at most 5). */
function exampleIndices(values: Float32Array): { i: number; label: string }[] {
  if (values.length === 0) return [];
  const order = Array.from(values.keys()).sort((a, b) => values[a] - values[b]);
  let near = 0;
  for (let i = 1; i < values.length; i++)
    if (Math.abs(values[i]) < Math.abs(values[near])) near = i;
  const picks = [
    { i: order[0], label: 'smallest' },
    { i: order[Math.floor(order.length / 4)], label: 'lower quartile' },
    { i: near, label: 'closest to 0' },
    { i: order[Math.floor((order.length * 3) / 4)], label: 'upper quartile' },
    { i: order[order.length - 1], label: 'largest' },
  ];
  return picks.filter((p, k) => picks.findIndex((o) => o.i === p.i) === k);
}

function errorsOf(original: Float32Array, restored: Float32Array): Float64Array {
  return Float64Array.from(original, (v, i) => restored[i] - v);
}

/** fp16: the float16 round trip (`Cast` back to float32 is exact). */
function fp16Tensor(
  name: string,
  role: 'weight' | 'bias',
  shape: number[],
  v: Float32Array,
): TensorInfo {
  const bits = toFloat16(v);
  const restored = fromFloat16(bits);
  return {
    name,
    role,
    storage: 'float16',
    shape,
    scale: [],
    zeroPoint: [],
    qRange: null,
    perChannel: false,
    histogram: errorHistogram(errorsOf(v, restored)),
    examples: exampleIndices(v).map(({ i, label }) => ({
      label,
      x: v[i],
      channel: 0,
      q: bits[i],
      xHat: restored[i],
      saturated: !Number.isFinite(restored[i]),
    })),
  };
}

/** int8 weight: symmetric, per tensor or per output column, exactly as `quantizeModel` stores it. */
function int8Tensor(
  name: string,
  w: Float32Array,
  inSize: number,
  out: number,
  perChannel: boolean,
): TensorInfo {
  const q8 = quantizeAffine(w, {
    bits: 8,
    signed: true,
    symmetric: true,
    ...(perChannel ? { axis: 1, channels: out } : {}),
  });
  const restored = dequantize(q8.q, q8.scale, q8.zeroPoint);
  const qRange = quantRange(true, true);
  return {
    name,
    role: 'weight',
    storage: 'int8',
    shape: [inSize, out],
    scale: Array.from(q8.scale),
    zeroPoint: Array.from(q8.zeroPoint),
    qRange,
    perChannel,
    histogram: errorHistogram(errorsOf(w, restored)),
    examples: exampleIndices(w).map(({ i, label }) => ({
      label,
      x: w[i],
      channel: perChannel ? i % out : 0,
      q: q8.q[i],
      xHat: restored[i],
      saturated: false, // the symmetric range covers every weight: the largest maps to ±127 exactly
    })),
  };
}

/** A uint8 activation with its calibrated range: examples across it and one beyond (saturates). */
function activationTensor(
  name: string,
  shape: (number | string)[],
  range: { min: number; max: number },
): TensorInfo {
  const { scale, zeroPoint } = affineParams(range.min, range.max, false, false);
  const [qmin, qmax] = quantRange(false, false);
  const span = range.max - range.min;
  const xs = [
    { label: 'range min', x: range.min },
    { label: 'zero', x: 0 },
    { label: 'mid-range', x: range.min + span / 2 },
    { label: 'range max', x: range.max },
    { label: 'beyond the max', x: range.max + Math.max(span / 2, scale * 10) },
  ];
  return {
    name,
    role: 'activation',
    storage: 'uint8',
    shape,
    scale: [scale],
    zeroPoint: [zeroPoint],
    qRange: [qmin, qmax],
    perChannel: false,
    histogram: null,
    range,
    examples: xs
      .filter((e, k) => xs.findIndex((o) => o.x === e.x) === k)
      .map(({ label, x }) => {
        const q = quantizeValue(x, scale, zeroPoint, qmin, qmax);
        const unclipped = quantizeValue(x, scale, zeroPoint, -Infinity, Infinity);
        return {
          label,
          x: Math.fround(x),
          channel: 0,
          q,
          xHat: Math.fround((q - zeroPoint) * scale),
          saturated: q !== unclipped,
        };
      }),
  };
}

/**
 * Every quantized tensor of the file `buildCandidate` writes for these settings: the weights
 * (fp16: and biases), and for int8-static the calibrated activations (QLinearMatMul: and each
 * MatMul output). Pure TypeScript, with the same arithmetic as ONNX `DequantizeLinear`
 * (`(q - zero_point) * scale` in float32) and `Cast` from float16.
 */
export function quantizedTensors(
  model: MlpWeights,
  s: QuantizeSettings,
  calibration?: Calibration,
): TensorInfo[] {
  const ranges =
    s.mode === 'int8-static' && calibration ? calibrate(model, calibration) : undefined;
  const out: TensorInfo[] = [];
  let inSize = model.inputSize;
  model.layers.forEach((layer, k) => {
    const n = layer.bias.length;
    const p = `layer${k}`;
    if (s.mode === 'fp16') {
      out.push(fp16Tensor(`${p}.weight`, 'weight', [inSize, n], layer.weights));
      out.push(fp16Tensor(`${p}.bias`, 'bias', [n], layer.bias));
    } else {
      out.push(int8Tensor(`${p}.weight`, layer.weights, inSize, n, s.perChannel));
    }
    const r = ranges?.[k];
    if (r) {
      out.push(activationTensor(`${p}.input`, ['batch', inSize], r.input));
      if (s.staticFormat === 'qlinear')
        out.push(activationTensor(`${p}.matmul`, ['batch', n], r.matmul));
    }
    inSize = n;
  });
  return out;
}

/** The parent fields a quantized version inherits. */
export type ParentFacts = Pick<
  ModelVersionRecord,
  'id' | 'modelName' | 'version' | 'lineage' | 'inputSchema'
>;

/** The default note of a quantized version, e.g. "int8 weight, per-channel, from v1". */
export function defaultNote(
  s: QuantizeSettings,
  parent: Pick<ModelVersionRecord, 'version'>,
): string {
  return `${describeSettings(s)}, from v${parent.version}`;
}

/** The new registry version: same model, `variant` = mode, lineage to the parent, the metrics. */
export function quantizedVersion(
  parent: ParentFacts,
  candidate: { bytes: Uint8Array; settings: QuantizeSettings; figures: PreviewFigures },
  note: string,
): NewModelVersion {
  const { lineage } = parent;
  const { figures, settings } = candidate;
  const maxAbs = figures.agreement.maxAbsDiff;
  return {
    modelName: parent.modelName,
    bytes: candidate.bytes,
    variant: settings.mode,
    lineage: {
      source: 'quantize',
      parentVersionId: parent.id,
      datasetId: lineage.datasetId,
      ...(lineage.fingerprint !== undefined && { fingerprint: lineage.fingerprint }),
      ...(lineage.hyperparameters !== undefined && { hyperparameters: lineage.hyperparameters }),
    },
    metrics: {
      testAccuracy: figures.accuracy,
      agreementWithParent: figures.agreement.top1Agreement,
      ...(Number.isFinite(maxAbs) && { maxAbsDiffWithParent: maxAbs }),
    },
    inputSchema: parent.inputSchema,
    note: note.trim() === '' ? defaultNote(settings, parent) : note,
  };
}
