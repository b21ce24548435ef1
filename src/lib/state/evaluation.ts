/**
 * Everything the Evaluate screen shows, derived from the predictions a run saved on its test
 * split (`RunRecord.evaluation`). Pure functions: no runes, no storage, no DOM. The metric
 * arithmetic lives in core/metrics (checked against scikit-learn); this module maps a run onto it:
 * which class is "positive" for a binary task, which data set rows sit behind a confusion cell,
 * and what the errors cost at a threshold.
 */
import {
  accuracy,
  averagePrecision,
  classificationReport,
  confusionAtThreshold,
  confusionMatrix,
  expectedCalibrationError,
  precisionRecallCurve,
  reliabilityDiagram,
  rocAuc,
  rocCurve,
  type ClassificationReport,
  type PrCurve,
  type ReliabilityBin,
  type RocCurve,
} from '../core/metrics';
import type { RunEvaluation } from '../storage';

/** Equal-width confidence bins of the reliability diagram and the ECE. */
export const CALIBRATION_BINS = 10;

/** One misclassified test row behind a confusion-matrix cell. */
export interface CellExample {
  /** Position in the test split (row of `testProbabilities`). */
  position: number;
  /** Row of the data set (via `testIndices`), to show the example's features. */
  datasetRow: number;
  trueClass: number;
  predictedClass: number;
  /** The model's probability of the predicted class. */
  confidence: number;
  /** The model's probability of the true class. */
  trueProbability: number;
}

/** Binary tasks: the positive class, the scores and the threshold-free curves. */
export interface BinaryEvaluation {
  /** Class index treated as positive (breast cancer: 0 = malignant, the costly miss). */
  positiveClass: number;
  negativeClass: number;
  positiveName: string;
  negativeName: string;
  /** 1 where the test row's label is the positive class, else 0 (core's convention). */
  yTrue01: Uint8Array;
  /** P(positive class) per test row: column `positiveClass` of the probabilities. */
  scores: Float32Array;
  positives: number;
  negatives: number;
  /** null when the test split holds one class only (the curves are undefined). */
  roc: RocCurve | null;
  auc: number | null;
  pr: PrCurve | null;
  averagePrecision: number | null;
  /** Why the curves are missing, when they are. */
  curveError: string | null;
}

/** Everything on the Evaluate screen that does not depend on the threshold. */
export interface RunEvaluationSummary {
  nClasses: number;
  /** Test rows. */
  rows: number;
  classNames: string[];
  /** Arg-max class per test row (the first on ties). */
  predictions: Int32Array;
  accuracy: number;
  report: ClassificationReport;
  /** `confusion[t][p]`: rows = true class, columns = predicted class. */
  confusion: number[][];
  /** `examples[t][p]`: the test rows in that cell, most confident mistakes first; diagonal empty. */
  examples: CellExample[][][];
  ece: number;
  reliability: ReliabilityBin[];
  binary: BinaryEvaluation | null;
}

/** Counts, rates and costs of a binary decision rule `P(positive) >= threshold`. */
export interface ThresholdOutcome {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** Of the rows flagged positive, the share that are positive (0 when none is flagged). */
  precision: number;
  /** Of the positive rows, the share flagged (sensitivity). */
  recall: number;
  /** fp / negatives, for the ROC point. */
  fpr: number;
  /** `fp * fpCost + fn * fnCost`, in the learner's cost unit. */
  cost: number;
  /** `cost` scaled to 1,000 cases of the same mix. */
  costPer1000: number;
  /** Test rows. */
  n: number;
}

/**
 * The class a binary evaluation calls positive: the one named "malignant" when there is one
 * (CONTRACTS.md: breast cancer's label 0; recall exercises are about missing it), else class 1.
 */
export function positiveClassOf(classNames: readonly string[]): number {
  const malignant = classNames.findIndex((n) => n.toLowerCase() === 'malignant');
  return malignant >= 0 ? malignant : 1;
}

/** Checks the shapes of a saved evaluation; throws a message that says what is inconsistent. */
function checkEvaluation(e: RunEvaluation, classNames: readonly string[]): void {
  const n = e.testLabels.length;
  if (n === 0) throw new Error('the run saved no test predictions');
  if (e.testIndices.length !== n) {
    throw new Error(`the run saved ${e.testIndices.length} test row indices for ${n} test labels`);
  }
  if (e.testProbabilities.length !== n * e.nClasses) {
    throw new Error(
      `the run saved ${e.testProbabilities.length} test probabilities; expected ${n} rows × ${e.nClasses} classes`,
    );
  }
  if (classNames.length !== e.nClasses) {
    throw new Error(`the data set has ${classNames.length} classes, the run ${e.nClasses}`);
  }
}

/** Arg-max per row, the first on ties (as `argmaxRows` and scikit-learn's `predict`). */
function argmax(probs: Float32Array, rows: number, k: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[r * k + c] > probs[r * k + best]) best = c;
    out[r] = best;
  }
  return out;
}

function cellExamples(e: RunEvaluation, predictions: Int32Array): CellExample[][][] {
  const k = e.nClasses;
  const cells: CellExample[][][] = Array.from({ length: k }, () =>
    Array.from({ length: k }, () => [] as CellExample[]),
  );
  for (let i = 0; i < predictions.length; i++) {
    const t = e.testLabels[i];
    const p = predictions[i];
    if (t === p) continue;
    cells[t][p].push({
      position: i,
      datasetRow: e.testIndices[i],
      trueClass: t,
      predictedClass: p,
      confidence: e.testProbabilities[i * k + p],
      trueProbability: e.testProbabilities[i * k + t],
    });
  }
  for (const row of cells) {
    for (const list of row)
      list.sort((a, b) => b.confidence - a.confidence || a.position - b.position);
  }
  return cells;
}

/**
 * Binary view of a two-class evaluation: labels recoded to 1 = positive class, scores = that
 * class's probability column, then ROC and PR curves with their areas.
 */
export function binaryEvaluation(
  e: RunEvaluation,
  classNames: readonly string[],
  positiveClass = positiveClassOf(classNames),
): BinaryEvaluation {
  if (e.nClasses !== 2) throw new Error(`a binary evaluation needs 2 classes, not ${e.nClasses}`);
  if (positiveClass !== 0 && positiveClass !== 1) {
    throw new Error(`the positive class must be 0 or 1, not ${positiveClass}`);
  }
  const n = e.testLabels.length;
  const yTrue01 = new Uint8Array(n);
  const scores = new Float32Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    yTrue01[i] = e.testLabels[i] === positiveClass ? 1 : 0;
    positives += yTrue01[i];
    scores[i] = e.testProbabilities[i * 2 + positiveClass];
  }
  const curves = binaryCurves(yTrue01, scores);
  const negativeClass = 1 - positiveClass;
  return {
    positiveClass,
    negativeClass,
    positiveName: classNames[positiveClass],
    negativeName: classNames[negativeClass],
    yTrue01,
    scores,
    positives,
    negatives: n - positives,
    ...curves,
  };
}

/** ROC and PR curves and their areas, or why they are undefined (one class present). */
function binaryCurves(
  yTrue01: Uint8Array,
  scores: Float32Array,
): Pick<BinaryEvaluation, 'roc' | 'auc' | 'pr' | 'averagePrecision' | 'curveError'> {
  try {
    return {
      roc: rocCurve(yTrue01, scores),
      auc: rocAuc(yTrue01, scores),
      pr: precisionRecallCurve(yTrue01, scores),
      averagePrecision: averagePrecision(yTrue01, scores),
      curveError: null,
    };
  } catch (err) {
    const curveError = err instanceof Error ? err.message : String(err);
    return { roc: null, auc: null, pr: null, averagePrecision: null, curveError };
  }
}

/**
 * Everything threshold-free about a run's test predictions.
 * @param classNames one per class, in label order (the data set's `classNames`).
 * @throws Error when the saved evaluation is inconsistent (lengths, class count) or holds a
 *   probability outside [0, 1].
 */
export function evaluateRun(
  evaluation: RunEvaluation,
  classNames: readonly string[],
): RunEvaluationSummary {
  checkEvaluation(evaluation, classNames);
  const k = evaluation.nClasses;
  const rows = evaluation.testLabels.length;
  const predictions = argmax(evaluation.testProbabilities, rows, k);
  const labels = evaluation.testLabels;
  return {
    nClasses: k,
    rows,
    classNames: [...classNames],
    predictions,
    accuracy: accuracy(labels, predictions),
    report: classificationReport(labels, predictions, k),
    confusion: confusionMatrix(labels, predictions, k),
    examples: cellExamples(evaluation, predictions),
    ece: expectedCalibrationError(labels, evaluation.testProbabilities, CALIBRATION_BINS),
    reliability: reliabilityDiagram(labels, evaluation.testProbabilities, CALIBRATION_BINS),
    binary: k === 2 ? binaryEvaluation(evaluation, classNames) : null,
  };
}

/** Throws unless `v` is a finite number >= 0 (a cost). */
function checkCost(name: string, v: number): void {
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number >= 0, got ${v}`);
}

/**
 * The decision rule "flag positive when P(positive) >= threshold" on the test split: confusion
 * counts, precision and recall of the positive class, and the cost of its errors.
 * @param fpCost cost of one false positive (a negative flagged), >= 0.
 * @param fnCost cost of one false negative (a positive missed), >= 0.
 * @throws Error on a NaN threshold or a negative / non-finite cost.
 */
export function atThreshold(
  binary: BinaryEvaluation,
  threshold: number,
  fpCost: number,
  fnCost: number,
): ThresholdOutcome {
  checkCost('fpCost', fpCost);
  checkCost('fnCost', fnCost);
  const c = confusionAtThreshold(binary.yTrue01, binary.scores, threshold);
  const n = binary.yTrue01.length;
  const cost = c.fp * fpCost + c.fn * fnCost;
  return {
    threshold,
    ...c,
    fpr: binary.negatives === 0 ? 0 : c.fp / binary.negatives,
    cost,
    costPer1000: (cost / n) * 1000,
    n,
  };
}

/**
 * The 2×2 confusion matrix of a threshold in label order (rows = true class, columns =
 * predicted), so the same table component shows it as the arg-max matrix.
 */
export function thresholdMatrix(binary: BinaryEvaluation, o: ThresholdOutcome): number[][] {
  const m = [
    [0, 0],
    [0, 0],
  ];
  const p = binary.positiveClass;
  const q = binary.negativeClass;
  m[p][p] = o.tp;
  m[p][q] = o.fn;
  m[q][p] = o.fp;
  m[q][q] = o.tn;
  return m;
}

/** Hyperparameters as a short line: "hidden 64, relu, learning rate 0.01, …". */
export function describeHyperparameters(h: Record<string, unknown>): string {
  const parts: string[] = [];
  const names: Record<string, string> = {
    learningRate: 'learning rate',
    batchSize: 'batch size',
    l2: 'L2',
    epochs: 'max epochs',
    patience: 'patience',
    seed: 'seed',
  };
  for (const [key, value] of Object.entries(h)) {
    if (key === 'hidden' && Array.isArray(value)) {
      parts.push(value.length === 0 ? 'no hidden layer' : `hidden ${value.join('×')}`);
    } else if (key === 'activation') {
      parts.push(String(value));
    } else {
      parts.push(`${names[key] ?? key} ${Array.isArray(value) ? value.join('×') : String(value)}`);
    }
  }
  return parts.join(', ');
}
