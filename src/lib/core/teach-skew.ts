/**
 * Training/serving skew, live: train a logistic regression on features from the offline
 * pipeline, then score the same held-out customers with features from the offline pipeline
 * (what the evaluation report says) and from the online pipeline (what production sees). The
 * gap between the two accuracies is the cost of the skew; a fix changes a definition and, when
 * the training data changes, retrains. Pure and seeded.
 */
import type { Binning } from './drift-binning';
import { psiDetails } from './drift-distances';
import {
  caseDefinitions,
  computeFeatures,
  drawCustomers,
  recordedSessionMean,
  SKEW_FEATURES,
  type FeatureDefinition,
  type SkewCaseId,
} from './teach-skew-data';

/** The fixes a learner can apply. */
export const SKEW_FIXES = [
  'shared-definition',
  'point-in-time-join',
  'train-on-logged',
  'retrain-recent',
] as const;
export type SkewFix = (typeof SKEW_FIXES)[number];

/** Rows: training customers and held-out customers (scored by both pipelines). */
export const SKEW_TRAIN_ROWS = 4000;
export const SKEW_HOLDOUT_ROWS = 3000;

/** A fitted model: standardization (as the lab's ONNX files embed it) then logistic regression. */
export interface LogisticModel {
  mean: Float64Array;
  /** 1 / standard deviation (1 for a constant column). */
  invStd: Float64Array;
  weights: Float64Array;
  bias: number;
}

/**
 * Full-batch gradient descent on the log loss of standardized features, from zero weights, so
 * the fit is deterministic. @param x row-major [n, f]; @param y labels 0/1.
 */
export function fitLogistic(x: Float64Array, y: Int32Array, f: number, steps = 300): LogisticModel {
  const n = y.length;
  const mean = new Float64Array(f);
  const invStd = new Float64Array(f);
  for (let j = 0; j < f; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i * f + j];
    mean[j] = s / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * f + j] - mean[j]) ** 2;
    const sd = Math.sqrt(v / n);
    invStd[j] = sd > 0 ? 1 / sd : 1;
  }
  const z = new Float64Array(n * f);
  for (let i = 0; i < n * f; i++) z[i] = (x[i] - mean[i % f]) * invStd[i % f];
  const weights = new Float64Array(f);
  let bias = 0;
  const grad = new Float64Array(f);
  for (let step = 0; step < steps; step++) {
    grad.fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      let t = bias;
      for (let j = 0; j < f; j++) t += weights[j] * z[i * f + j];
      const err = 1 / (1 + Math.exp(-t)) - y[i];
      for (let j = 0; j < f; j++) grad[j] += err * z[i * f + j];
      gb += err;
    }
    for (let j = 0; j < f; j++) weights[j] -= (0.5 * grad[j]) / n;
    bias -= (0.5 * gb) / n;
  }
  return { mean, invStd, weights, bias };
}

/** Accuracy (fraction) of the model at threshold 0.5 on rows x [n, f] with labels y. */
export function accuracy(m: LogisticModel, x: Float64Array, y: Int32Array): number {
  const f = m.weights.length;
  let right = 0;
  for (let i = 0; i < y.length; i++) {
    let t = m.bias;
    for (let j = 0; j < f; j++) t += m.weights[j] * (x[i * f + j] - m.mean[j]) * m.invStd[j];
    if ((t >= 0 ? 1 : 0) === y[i]) right += 1;
  }
  return y.length ? right / y.length : 0;
}

/** One feature compared between training rows (offline) and held-out rows as served (online). */
export interface FeatureComparison {
  id: string;
  trainMean: number;
  serveMean: number;
  /** Population stability index (Evidently's binning), unitless; >= 0.1 is usually called drift. */
  psi: number;
  /** One label per bin ("12.5 to 25" or a single value), and the share of rows per bin on each side. */
  bins: string[];
  trainShares: number[];
  serveShares: number[];
}

/** Accuracies on the held-out customers, as fractions. */
export interface SkewAccuracy {
  /** Features from the offline pipeline: what the evaluation report promised. */
  offline: number;
  /** Features from the online pipeline: what production gets. */
  online: number;
}

export interface SkewState {
  caseId: SkewCaseId;
  features: FeatureComparison[];
  accuracy: SkewAccuracy;
}

export interface SkewFixResult {
  fix: SkewFix;
  /** False when the fix cannot be done in this case (the reason says why); nothing changed. */
  applicable: boolean;
  reason: string;
  accuracy: SkewAccuracy;
}

interface World {
  train: ReturnType<typeof drawCustomers>;
  holdout: ReturnType<typeof drawCustomers>;
  sessionMean: number;
}

function world(seed: number): World {
  const train = drawCustomers(SKEW_TRAIN_ROWS, seed);
  const holdout = drawCustomers(SKEW_HOLDOUT_ROWS, seed + 1);
  return { train, holdout, sessionMean: recordedSessionMean(train) };
}

/** Trains on `trainDef` features of the training rows; scores held-out rows both ways. */
function evaluate(
  w: World,
  trainDef: FeatureDefinition,
  offline: FeatureDefinition,
  online: FeatureDefinition,
): SkewAccuracy {
  const model = fitLogistic(computeFeatures(w.train, trainDef, w.sessionMean), w.train.churned, 4);
  return {
    offline: accuracy(model, computeFeatures(w.holdout, offline, w.sessionMean), w.holdout.churned),
    online: accuracy(model, computeFeatures(w.holdout, online, w.sessionMean), w.holdout.churned),
  };
}

const column = (x: Float64Array, j: number) =>
  Float64Array.from({ length: x.length / 4 }, (_, i) => x[i * 4 + j]);
const mean = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / v.length;

const short = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1));

function binLabels(b: Binning): string[] {
  if (b.kind === 'categories') return b.categories.map(String);
  return b.edges.slice(1).map((hi, i) => `${short(b.edges[i])} to ${short(hi)}`);
}

/** The case before any fix: per-feature distributions and the two accuracies. */
export function inspectSkew(caseId: SkewCaseId, seed = 11): SkewState {
  const w = world(seed);
  const { offline, online } = caseDefinitions(caseId);
  const trainX = computeFeatures(w.train, offline, w.sessionMean);
  const serveX = computeFeatures(w.holdout, online, w.sessionMean);
  const features = SKEW_FEATURES.map((feat, j) => {
    const a = column(trainX, j);
    const b = column(serveX, j);
    const d = psiDetails(a, b, 'numerical');
    return {
      id: feat.id,
      trainMean: mean(a),
      serveMean: mean(b),
      psi: d.score,
      bins: binLabels(d.binning),
      trainShares: d.binning.referenceShares,
      serveShares: d.binning.currentShares,
    };
  });
  return { caseId, features, accuracy: evaluate(w, offline, offline, online) };
}

/** Applies `fix` to the case and measures again (retraining when the training data changes). */
export function applySkewFix(caseId: SkewCaseId, fix: SkewFix, seed = 11): SkewFixResult {
  const w = world(seed);
  const { offline, online } = caseDefinitions(caseId);
  const result = (applicable: boolean, reason: string, acc: SkewAccuracy): SkewFixResult => ({
    fix,
    applicable,
    reason,
    accuracy: acc,
  });
  switch (fix) {
    case 'shared-definition': {
      if (offline.ticketsIncludeFuture)
        return result(
          false,
          'The online service cannot count tickets filed after the prediction: the future is not ' +
            'available at serving time. The training side must change, not the serving side.',
          evaluate(w, offline, offline, online),
        );
      return result(
        true,
        'Serving now computes every feature with the training definition.',
        evaluate(w, offline, offline, offline),
      );
    }
    case 'point-in-time-join': {
      const pit = { ...offline, ticketsIncludeFuture: false };
      return result(
        true,
        'Training rows rebuilt with features as of the prediction time; model retrained.',
        evaluate(w, pit, pit, online),
      );
    }
    case 'train-on-logged':
      return result(
        true,
        'Model retrained on the features exactly as served (logged at prediction time).',
        evaluate(w, online, online, online),
      );
    case 'retrain-recent': {
      const fresh = world(seed + 100);
      const model = fitLogistic(
        computeFeatures(fresh.train, offline, fresh.sessionMean),
        fresh.train.churned,
        4,
      );
      return result(true, 'Model retrained on a newer sample, same pipelines.', {
        offline: accuracy(
          model,
          computeFeatures(w.holdout, offline, fresh.sessionMean),
          w.holdout.churned,
        ),
        online: accuracy(
          model,
          computeFeatures(w.holdout, online, fresh.sessionMean),
          w.holdout.churned,
        ),
      });
    }
  }
}
