/**
 * Pure functions that turn a training job into experiment records (storage's `RunRecord`):
 * the record saved when a run starts, and the one saved when it completes, fails or is cancelled.
 * The light helpers that lists need (ids, list items, interrupted runs) live in run-list.ts and
 * are re-exported here.
 */
import { argmaxRows } from '../core/forward';
import { accuracy } from '../core/metrics';
import type { Hyperparameters } from '../core/mlp';
import { encodeMlp } from '../core/mlp-codec';
import type { EpochMetrics, TrainCurves, TrainErrorReason, TrainResult } from '../protocol/train';
import type { RunCurvePoint, RunMetrics, RunRecord } from '../storage';
import { copyHyperparameters } from './train-form';

export * from './run-list';

/** What is known when a run starts. */
export type RunStart = {
  id: string;
  createdAt: number;
  datasetId: string;
  splitSeed: number;
  hyperparameters: Hyperparameters;
  fingerprint: string;
  /** The backend asked for; replaced by the one that ran when the run completes. */
  backend: string;
};

/** The record saved before training starts (status 'running', no metrics yet). */
export function runningRecord(start: RunStart): RunRecord {
  const hyperparameters = copyHyperparameters(start.hyperparameters);
  return {
    id: start.id,
    createdAt: start.createdAt,
    datasetId: start.datasetId,
    seed: hyperparameters.seed,
    splitSeed: start.splitSeed,
    hyperparameters,
    fingerprint: start.fingerprint,
    backend: start.backend,
    durationMs: 0,
    curves: [],
    status: 'running',
  };
}

/** Per-epoch curves in the stored form (`epoch` is 1-based). */
export function curvePoints(curves: TrainCurves): RunCurvePoint[] {
  return curves.loss.map((loss, i) => ({
    epoch: i + 1,
    loss,
    valLoss: curves.valLoss[i],
    acc: curves.acc[i],
    valAcc: curves.valAcc[i],
  }));
}

/** Curves from the progress messages of a run that did not finish. */
export function curvesFromProgress(progress: readonly EpochMetrics[]): RunCurvePoint[] {
  return progress.map(({ epoch, loss, valLoss, acc, valAcc }) => ({
    epoch,
    loss,
    valLoss,
    acc,
    valAcc,
  }));
}

/** Share of rows whose most probable class is the label; `probabilities` is `[rows, nClasses]`. */
export function argmaxAccuracy(
  probabilities: Float32Array,
  labels: Int32Array,
  nClasses: number,
): number {
  return accuracy(labels, argmaxRows(probabilities, labels.length, nClasses));
}

/** Summary figures of a finished run. */
export function runMetrics(result: TrainResult, nClasses: number): RunMetrics {
  return {
    testAccuracy: argmaxAccuracy(result.testProbabilities, result.testLabels, nClasses),
    validationAccuracy: argmaxAccuracy(
      result.validationProbabilities,
      result.validationLabels,
      nClasses,
    ),
    bestEpoch: result.bestEpoch,
    epochsRun: result.curves.loss.length,
    stoppedEarly: result.stoppedEarly,
  };
}

/**
 * The record of a completed run: metrics, encoded weights, the predictions the Evaluate view
 * needs, and the backend that actually ran. `testIndices` must be the split's test rows, in the
 * order the worker saw them.
 */
export function completedRecord(
  running: RunRecord,
  result: TrainResult,
  context: { nClasses: number; testIndices: Int32Array; finishedAt: number },
): RunRecord {
  return {
    ...running,
    status: 'completed',
    finishedAt: context.finishedAt,
    backend: result.backend,
    durationMs: result.durationMs,
    curves: curvePoints(result.curves),
    metrics: runMetrics(result, context.nClasses),
    weights: encodeMlp(result.weights),
    evaluation: {
      nClasses: context.nClasses,
      testIndices: Int32Array.from(context.testIndices),
      testLabels: result.testLabels,
      testProbabilities: result.testProbabilities,
      validationLabels: result.validationLabels,
      validationProbabilities: result.validationProbabilities,
    },
    failureReason: undefined,
  };
}

/** The record of a run that stopped without a result: cancelled, or failed with a reason. */
export function stoppedRecord(
  running: RunRecord,
  outcome: { status: 'cancelled' } | { status: 'failed'; reason: string },
  progress: readonly EpochMetrics[],
  finishedAt: number,
): RunRecord {
  const last = progress[progress.length - 1];
  return {
    ...running,
    status: outcome.status,
    finishedAt,
    durationMs: last?.elapsedMs ?? 0,
    curves: curvesFromProgress(progress),
    failureReason: outcome.status === 'failed' ? outcome.reason : undefined,
  };
}

/**
 * Explains a failed run in words a learner can act on.
 * @param epochsDone epochs that finished before the failure (the failing one is the next).
 */
export function failureReason(
  reason: TrainErrorReason | null,
  message: string,
  learningRate: number,
  epochsDone: number,
): string {
  switch (reason) {
    case 'nan-loss': {
      const epoch = /at epoch (\d+)/.exec(message)?.[1] ?? String(epochsDone + 1);
      const value = /became (-?\w+) at epoch/.exec(message)?.[1] ?? 'NaN';
      const advice =
        learningRate > 0.01
          ? 'the learning rate is probably too high for this activation; try 0.01'
          : 'try a smaller learning rate (for example a tenth of this one), or a stronger L2';
      return `the loss became ${value} at epoch ${epoch}: ${advice}.`;
    }
    case 'backend':
      return `no compute backend could start in this browser (${message}).`;
    case 'invalid':
      return `the training input was refused: ${message}`;
    default:
      return `training stopped with an unexpected error: ${message}`;
  }
}
