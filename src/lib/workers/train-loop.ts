/**
 * The training loop, kept apart from the worker shell so that it runs in Node tests with tfjs's
 * cpu backend. The caller passes the tfjs module and picks the backend before calling.
 *
 * Reproducible: weights start from tfjs initializers seeded from `hyperparameters.seed`, and the
 * per-epoch shuffle is ours (core/rng), so the same seed on the same backend gives the same run.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { Hyperparameters, MlpWeights } from '../core/mlp';
import { validateHyperparameters } from '../core/mlp';
import { createRng, shuffleInPlace } from '../core/rng';
import { gatherRows, standardizer } from '../core/preprocess';
import type {
  EpochMetrics,
  TrainCurves,
  TrainErrorReason,
  TrainInput,
  TrainResult,
} from '../protocol/train';
import { buildMlp, makePart, type TfMlp } from './train-model';

/** The tfjs module (`import * as tf from '@tensorflow/tfjs'`), its backend already chosen. */
export type Tf = typeof tfjs;

/** A training input; `backend` is ignored here (the caller has set the backend). */
export type TrainLoopInput = Omit<TrainInput, 'backend'> & { backend?: TrainInput['backend'] };

export type TrainLoopHooks = {
  /** Called after each epoch, before the next one starts. */
  onEpoch?: (metrics: EpochMetrics) => void;
  /** Polled between batches; returning true stops the run with {@link TrainCancelledError}. */
  isCancelled?: () => boolean;
  /** Longest run of batches without yielding to the event loop, milliseconds (default 50). */
  yieldAfterMs?: number;
};

/** The run failed; `reason` says why (see {@link TrainErrorReason}). */
export class TrainLoopError extends Error {
  override readonly name = 'TrainLoopError';
  constructor(
    message: string,
    readonly reason: TrainErrorReason,
  ) {
    super(message);
  }
}

/** The run was cancelled through `hooks.isCancelled`. */
export class TrainCancelledError extends Error {
  override readonly name = 'TrainCancelledError';
  constructor() {
    super('Training was cancelled.');
  }
}

/** Lets queued messages (a cancel) in. A MessageChannel task, because nested setTimeout(0) is clamped to 4 ms. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** A reason the input cannot be trained on, or null. */
export function checkTrainInput(input: TrainLoopInput): string | null {
  const { x, y, rows, features, nClasses, split } = input;
  const hp = validateHyperparameters(input.hyperparameters);
  if (!hp.ok) return `Invalid hyperparameters: ${Object.values(hp.errors).join(' ')}`;
  if (features < 1 || x.length !== rows * features)
    return `x has ${x.length} values, expected ${rows} rows x ${features} features.`;
  if (y.length !== rows) return `y has ${y.length} labels for ${rows} rows.`;
  if (!Number.isInteger(nClasses) || nClasses < 2)
    return `nClasses must be at least 2 (got ${nClasses}).`;
  for (let i = 0; i < rows; i++) {
    if (y[i] < 0 || y[i] >= nClasses)
      return `Label ${y[i]} at row ${i} is outside 0..${nClasses - 1}.`;
  }
  for (const part of ['train', 'validation', 'test'] as const) {
    for (const i of split[part])
      if (i < 0 || i >= rows) return `Split ${part} names row ${i}, outside 0..${rows - 1}.`;
  }
  if (split.train.length === 0) return 'The train split is empty.';
  if (split.validation.length === 0)
    return 'The validation split is empty: early stopping and model choice need it.';
  return null;
}

/**
 * Trains an MLP with Adam on softmax cross-entropy plus `l2 * sum(kernel^2)` (Keras semantics),
 * with early stopping on validation loss that keeps the best epoch's weights.
 *
 * @throws TrainLoopError with reason `invalid` (bad input) or `nan-loss` (diverged);
 *   TrainCancelledError when cancelled. Every tensor it made is disposed either way.
 */
export async function trainLoop(
  tf: Tf,
  input: TrainLoopInput,
  hooks: TrainLoopHooks = {},
): Promise<TrainResult> {
  const problem = checkTrainInput(input);
  if (problem) throw new TrainLoopError(problem, 'invalid');
  const h: Hyperparameters = input.hyperparameters;
  const yieldAfterMs = hooks.yieldAfterMs ?? 50;
  const rng = createRng(h.seed);
  const pre = standardizer(
    gatherRows(input, input.split.train).x,
    input.split.train.length,
    input.features,
  );
  const start = performance.now();
  const train = makePart(tf, input, input.split.train, pre);
  const val = makePart(tf, input, input.split.validation, pre);
  const test = makePart(tf, input, input.split.test, pre);
  const mlp: TfMlp = buildMlp(tf, input.features, input.nClasses, h, rng);
  const optimizer = tf.train.adam(h.learningRate);
  const curves: TrainCurves = { loss: [], valLoss: [], acc: [], valAcc: [] };
  let best = { epoch: 0, valLoss: Infinity, weights: null as MlpWeights | null };
  let stoppedEarly = false;
  let lastYield = performance.now();
  try {
    const order = Int32Array.from({ length: train.rows }, (_, i) => i);
    for (let epoch = 1; epoch <= h.epochs; epoch++) {
      shuffleInPlace(order, rng);
      const perm = tf.tensor1d(order, 'int32');
      const xs = tf.gather(train.x, perm);
      const ys = tf.gather(train.oneHot, perm);
      perm.dispose();
      try {
        for (let b = 0; b < train.rows; b += h.batchSize) {
          const size = Math.min(h.batchSize, train.rows - b);
          tf.tidy(() => {
            const xb = tf.slice(xs, [b, 0], [size, -1]);
            const yb = tf.slice(ys, [b, 0], [size, -1]);
            optimizer.applyGradients(mlp.gradients(xb, yb));
          });
          if (performance.now() - lastYield > yieldAfterMs) {
            await yieldToEventLoop();
            lastYield = performance.now();
          }
          if (hooks.isCancelled?.()) throw new TrainCancelledError();
        }
      } finally {
        tf.dispose([xs, ys]);
      }
      const [loss, acc] = await mlp.evaluate(train);
      const [valLoss, valAcc] = await mlp.evaluate(val);
      if (!Number.isFinite(loss) || !Number.isFinite(valLoss)) {
        throw new TrainLoopError(
          `The loss became ${Number.isFinite(loss) ? valLoss : loss} at epoch ${epoch}: training diverged. ` +
            'Try a smaller learning rate, or check the data for missing values.',
          'nan-loss',
        );
      }
      const elapsedMs = performance.now() - start;
      const metrics = { epoch, epochs: h.epochs, loss, valLoss, acc, valAcc, elapsedMs };
      for (const key of ['loss', 'valLoss', 'acc', 'valAcc'] as const)
        curves[key].push(metrics[key]);
      hooks.onEpoch?.(metrics);
      if (h.patience === 0) {
        best = { epoch, valLoss, weights: null }; // no early stopping: keep the last epoch
      } else if (valLoss < best.valLoss) {
        best = { epoch, valLoss, weights: await mlp.read(pre) };
      } else if (epoch - best.epoch >= h.patience && epoch < h.epochs) {
        stoppedEarly = true;
        break;
      }
      await yieldToEventLoop();
      lastYield = performance.now();
      if (hooks.isCancelled?.()) throw new TrainCancelledError();
    }
    const weights = best.weights ?? (await mlp.read(pre));
    if (best.weights) mlp.write(best.weights);
    return {
      backend: tf.getBackend(),
      weights,
      durationMs: performance.now() - start,
      curves,
      stoppedEarly,
      bestEpoch: best.epoch,
      testProbabilities: await mlp.probabilities(test.x),
      testLabels: test.y,
      validationProbabilities: await mlp.probabilities(val.x),
      validationLabels: val.y,
    };
  } finally {
    mlp.dispose();
    optimizer.dispose();
    for (const part of [train, val, test]) tf.dispose([part.x, part.labels, part.oneHot]);
  }
}
