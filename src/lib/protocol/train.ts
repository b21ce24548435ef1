/**
 * Messages between the page (engine/trainer.ts) and the training worker (workers/train.worker.ts).
 * Requests: `train`, `cancel`. Replies, matched by `id`: `progress` (once per epoch), then exactly
 * one of `result`, `cancelled` or `error`.
 */
import type { Hyperparameters, MlpWeights } from '../core/mlp';

/** tfjs backends the trainer may ask for; the worker falls back from `wasm` to `cpu`. */
export type TrainBackend = 'wasm' | 'cpu';

/** Row indices into the data set (each must be in `[0, rows)`). */
export type TrainSplit = { train: Int32Array; validation: Int32Array; test: Int32Array };

/** What to train on: everything in a `train` request except `type` and `id`. */
export type TrainInput = {
  /** Row-major `[rows, features]` raw features (the worker standardizes on the train split). */
  x: Float32Array;
  /** Class labels in `[0, nClasses)`, length `rows`. */
  y: Int32Array;
  rows: number;
  features: number;
  nClasses: number;
  split: TrainSplit;
  hyperparameters: Hyperparameters;
  backend: TrainBackend;
};

export type TrainRequest = { type: 'train'; id: string } & TrainInput;
export type CancelRequest = { type: 'cancel'; id: string };
/** Every message the page sends to the training worker. */
export type TrainWorkerRequest = TrainRequest | CancelRequest;

/**
 * Metrics after one epoch, measured with the weights at the end of the epoch on the whole split.
 * Losses are mean categorical cross-entropy (nats) without the L2 penalty.
 */
export type EpochMetrics = {
  /** 1-based epoch just finished. */
  epoch: number;
  /** The configured maximum number of epochs. */
  epochs: number;
  /** On the train split. */
  loss: number;
  /** On the validation split (early stopping watches this one). */
  valLoss: number;
  /** Train-split accuracy, in [0, 1]. */
  acc: number;
  valAcc: number;
  /** Milliseconds since training started (after backend start-up). */
  elapsedMs: number;
};

/** Per-epoch curves, index `e` holding epoch `e + 1`. */
export type TrainCurves = { loss: number[]; valLoss: number[]; acc: number[]; valAcc: number[] };

/** What a finished run hands back. */
export type TrainResult = {
  /** The tfjs backend that actually ran (`wasm` or `cpu`). */
  backend: string;
  /** The weights of the best epoch (lowest validation loss), with the fitted preprocessing. */
  weights: MlpWeights;
  /** Wall time of the training loop, milliseconds (backend start-up excluded). */
  durationMs: number;
  curves: TrainCurves;
  /** True when early stopping ended the run before `epochs`. */
  stoppedEarly: boolean;
  /** 1-based epoch whose weights were kept. */
  bestEpoch: number;
  /** Row-major `[test rows, nClasses]` probabilities of the kept weights. */
  testProbabilities: Float32Array;
  /** Labels of the test rows, in `split.test` order. */
  testLabels: Int32Array;
  /** Row-major `[validation rows, nClasses]`, for calibration. */
  validationProbabilities: Float32Array;
  validationLabels: Int32Array;
};

/** Why a run failed. `nan-loss`: the loss became NaN or infinite (diverged). */
export type TrainErrorReason = 'nan-loss' | 'backend' | 'invalid' | 'unknown';

export type TrainProgressReply = { type: 'progress'; id: string } & EpochMetrics;
export type TrainResultReply = { type: 'result'; id: string } & TrainResult;
export type TrainCancelledReply = { type: 'cancelled'; id: string };
export type TrainErrorReply = {
  type: 'error';
  id: string;
  message: string;
  reason: TrainErrorReason;
};
/** Every message the training worker sends to the page. */
export type TrainReply =
  TrainProgressReply | TrainResultReply | TrainCancelledReply | TrainErrorReply;

function isRecord(data: unknown): data is Record<string, unknown> {
  return typeof data === 'object' && data !== null;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Shape check of a `train` request (types only; contents are checked by the training loop). */
export function isTrainRequest(data: unknown): data is TrainRequest {
  if (!isRecord(data) || data.type !== 'train' || typeof data.id !== 'string') return false;
  const split = data.split;
  return (
    data.x instanceof Float32Array &&
    data.y instanceof Int32Array &&
    isCount(data.rows) &&
    isCount(data.features) &&
    isCount(data.nClasses) &&
    isRecord(split) &&
    split.train instanceof Int32Array &&
    split.validation instanceof Int32Array &&
    split.test instanceof Int32Array &&
    isRecord(data.hyperparameters) &&
    (data.backend === 'wasm' || data.backend === 'cpu')
  );
}

/** Narrows anything the worker receives to a request it handles. */
export function isTrainWorkerRequest(data: unknown): data is TrainWorkerRequest {
  if (isRecord(data) && data.type === 'cancel') return typeof data.id === 'string';
  return isTrainRequest(data);
}

/** Narrows anything the page receives from the worker to a reply (checks `type` and `id`). */
export function isTrainReply(data: unknown): data is TrainReply {
  if (!isRecord(data) || typeof data.id !== 'string') return false;
  return (
    data.type === 'progress' ||
    data.type === 'result' ||
    data.type === 'cancelled' ||
    data.type === 'error'
  );
}

/** Distinct transferable buffers behind `arrays` (a buffer listed twice makes postMessage throw). */
export function transferables(arrays: readonly ArrayBufferView[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer) seen.add(a.buffer);
  return [...seen];
}

/** The buffers of a result, for `postMessage(result, transferables)`. */
export function resultBuffers(result: TrainResult): ArrayBuffer[] {
  const { weights } = result;
  const arrays: ArrayBufferView[] = [
    result.testProbabilities,
    result.testLabels,
    result.validationProbabilities,
    result.validationLabels,
  ];
  for (const layer of weights.layers) arrays.push(layer.weights, layer.bias);
  if (weights.preprocess) arrays.push(weights.preprocess.offset, weights.preprocess.scale);
  return transferables(arrays);
}

/** The buffers of a request's inputs (detached after posting: pass copies you no longer need). */
export function inputBuffers(input: TrainInput): ArrayBuffer[] {
  const { split } = input;
  return transferables([input.x, input.y, split.train, split.validation, split.test]);
}
