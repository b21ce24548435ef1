/**
 * Binary ranking metrics: ROC and precision-recall curves and their areas, point for point as
 * scikit-learn 1.2 computes them (ties included), plus the confusion counts at one threshold for
 * the movable-threshold view. Labels are 0/1 with 1 the positive class; a higher score means
 * "more positive" (probabilities or decision values, any finite numbers).
 */
import { checkBinaryLabels, checkFinite, checkSameLength } from './metric-inputs';

/** ROC points, from threshold high to low: `fpr` and `tpr` rise from 0 to 1. */
export type RocCurve = { fpr: number[]; tpr: number[]; thresholds: number[] };
/** PR points, from threshold low to high; the last point (precision 1, recall 0) has no threshold. */
export type PrCurve = { precision: number[]; recall: number[]; thresholds: number[] };
/** Confusion counts when predicting positive for `score >= threshold`. */
export type ThresholdConfusion = {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** tp / (tp + fp), 0 when nothing is predicted positive (zero_division=0). */
  precision: number;
  /** tp / (tp + fn), 0 when there are no positives. */
  recall: number;
};

/**
 * Cumulative false and true positives at each distinct score, from the highest score down
 * (scikit-learn's `_binary_clf_curve`): at `thresholds[i]`, `fps[i]` negatives and `tps[i]`
 * positives score `>= thresholds[i]`. Tied scores form one point, so their order never matters.
 */
function cumulativeCounts(fn: string, yTrue: ArrayLike<number>, scores: ArrayLike<number>) {
  checkSameLength(fn, yTrue, scores, ['yTrue', 'scores']);
  checkBinaryLabels(fn, yTrue);
  checkFinite(fn, scores, 'scores');
  const n = yTrue.length;
  // Ties by descending index, as scikit-learn's reversed stable sort: a tie group then reports the
  // same member's score, which matters only for 0 against -0 (both can appear after rounding).
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => scores[b] - scores[a] || b - a,
  );
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  for (let k = 0; k < n; k++) {
    tp += yTrue[order[k]];
    if (k === n - 1 || scores[order[k]] !== scores[order[k + 1]]) {
      tps.push(tp);
      fps.push(k + 1 - tp);
      thresholds.push(scores[order[k]]);
    }
  }
  return { fps, tps, thresholds };
}

/**
 * The ROC curve as scikit-learn 1.2's `roc_curve(y, s)` (drop_intermediate=True): points that are
 * collinear between their neighbours are dropped, and a first point (0, 0) is added with
 * threshold `max(scores) + 1` (1.2's convention; later versions use Infinity).
 * @throws Error on empty input, a length mismatch, labels other than 0/1, a non-finite score
 *   (naming its index), or only one class present (the rates would divide by zero).
 */
export function rocCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): RocCurve {
  return rocPoints('rocCurve', 'ROC curve', yTrue, scores);
}

function rocPoints(
  fn: string,
  what: string,
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
): RocCurve {
  const c = cumulativeCounts(fn, yTrue, scores);
  const last = c.fps.length - 1;
  const negatives = c.fps[last];
  const positives = c.tps[last];
  if (negatives === 0 || positives === 0) {
    throw new Error(`Only one class present in y_true. ${what} is not defined in that case.`);
  }
  const fpr = [0];
  const tpr = [0];
  const thresholds = [c.thresholds[0] + 1];
  for (let i = 0; i <= last; i++) {
    // A point stays where either count bends (a non-zero second difference), and at both ends.
    const keep =
      last < 2 ||
      i === 0 ||
      i === last ||
      c.fps[i - 1] - 2 * c.fps[i] + c.fps[i + 1] !== 0 ||
      c.tps[i - 1] - 2 * c.tps[i] + c.tps[i + 1] !== 0;
    if (!keep) continue;
    fpr.push(c.fps[i] / negatives);
    tpr.push(c.tps[i] / positives);
    thresholds.push(c.thresholds[i]);
  }
  return { fpr, tpr, thresholds };
}

/**
 * Area under the ROC curve by the trapezoid rule, equal to scikit-learn 1.2's `roc_auc_score`
 * for binary labels (ties count half, as the trapezoids do). In [0, 1]; 0.5 is chance.
 * @throws Error as `rocCurve`, with scikit-learn's message when only one class is present.
 */
export function rocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { fpr, tpr } = rocPoints('rocAuc', 'ROC AUC score', yTrue, scores);
  let area = 0;
  for (let i = 1; i < fpr.length; i++) area += ((fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1])) / 2;
  return area;
}

/**
 * Precision and recall at every distinct score, as scikit-learn 1.2's `precision_recall_curve`:
 * ordered by ascending threshold, then a final point (precision 1, recall 0) with no threshold,
 * so `precision.length === recall.length === thresholds.length + 1`.
 * @throws Error as `rocCurve` for bad input, and when `yTrue` has no positives (scikit-learn
 *   then sets recall to 1 with a warning; the curve means nothing, so here it is an error).
 *   All-positive labels are fine: precision is 1 everywhere.
 */
export function precisionRecallCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): PrCurve {
  return prPoints('precisionRecallCurve', 'The precision-recall curve', yTrue, scores);
}

function prPoints(
  fn: string,
  what: string,
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
): PrCurve {
  const c = cumulativeCounts(fn, yTrue, scores);
  const positives = c.tps[c.tps.length - 1];
  if (positives === 0) {
    throw new Error(
      `Only one class present in y_true (no positives). ${what} is not defined in that case.`,
    );
  }
  const precision: number[] = [];
  const recall: number[] = [];
  const thresholds: number[] = [];
  for (let i = c.tps.length - 1; i >= 0; i--) {
    precision.push(c.tps[i] / (c.tps[i] + c.fps[i]));
    recall.push(c.tps[i] / positives);
    thresholds.push(c.thresholds[i]);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds };
}

/**
 * Average precision, equal to scikit-learn 1.2's `average_precision_score`: the step-wise sum
 * `sum_i (R_i - R_{i+1}) * P_i` over the PR curve (no interpolation). In [0, 1]; with all labels
 * positive it is 1, as in scikit-learn.
 * @throws Error as `precisionRecallCurve`. With no positives scikit-learn 1.2 returns -0.0 and a
 *   warning; here it throws ("Only one class present... average precision is not defined").
 */
export function averagePrecision(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { precision, recall } = prPoints('averagePrecision', 'Average precision', yTrue, scores);
  let ap = 0;
  for (let i = 0; i < recall.length - 1; i++) ap += (recall[i] - recall[i + 1]) * precision[i];
  return ap;
}

/**
 * Confusion counts and precision/recall when predicting positive for `score >= threshold`
 * (the same side of the threshold as the curves above).
 * @param threshold any number except NaN; -Infinity predicts all positive.
 * @throws Error on empty input, a length mismatch, labels other than 0/1, non-finite scores.
 */
export function confusionAtThreshold(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold: number,
): ThresholdConfusion {
  const fn = 'confusionAtThreshold';
  checkSameLength(fn, yTrue, scores, ['yTrue', 'scores']);
  checkBinaryLabels(fn, yTrue);
  checkFinite(fn, scores, 'scores');
  if (Number.isNaN(threshold)) throw new Error(`${fn}: threshold is NaN`);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn_ = 0; // `fn` already names the function in messages
  for (let i = 0; i < yTrue.length; i++) {
    const positive = scores[i] >= threshold;
    if (yTrue[i] === 1) {
      if (positive) tp++;
      else fn_++;
    } else if (positive) fp++;
    else tn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn_ === 0 ? 0 : tp / (tp + fn_);
  return { tp, fp, tn, fn: fn_, precision, recall };
}
