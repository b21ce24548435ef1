/**
 * Classification metrics with scikit-learn 1.2's conventions (the fixtures in
 * tests/fixtures/metrics come from it). Curves and calibration live beside this file and are
 * re-exported here, so callers import every metric from one place.
 */
import { checkClassCount, checkLabels, checkSameLength } from './metric-inputs';

export {
  averagePrecision,
  confusionAtThreshold,
  precisionRecallCurve,
  rocAuc,
  rocCurve,
} from './curves';
export type { PrCurve, RocCurve, ThresholdConfusion } from './curves';
export { expectedCalibrationError, reliabilityDiagram } from './calibration';
export type { ReliabilityBin } from './calibration';

/** Scores of one class, or an average over classes. `support` = number of true rows. */
export type ClassScores = { precision: number; recall: number; f1: number; support: number };

/** Per-class scores and their macro and support-weighted averages, as in classification_report. */
export type ClassificationReport = {
  perClass: ClassScores[];
  macro: ClassScores;
  weighted: ClassScores;
  accuracy: number;
};

/**
 * Share of rows where the prediction equals the label.
 * @returns a fraction in [0, 1].
 * @throws Error on empty input, a length mismatch or a non-integer label.
 */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkSameLength('accuracy', yTrue, yPred, ['yTrue', 'yPred']);
  checkLabels('accuracy', yTrue, 'yTrue');
  checkLabels('accuracy', yPred, 'yPred');
  let right = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) right++;
  return right / yTrue.length;
}

/**
 * Counts of (true class, predicted class) pairs: `m[t][p]`, rows = true class, columns =
 * predicted, `nClasses x nClasses`. Row sums are the class supports.
 * @throws Error on empty input, a length mismatch, or a label that is not an integer in
 *   `[0, nClasses)` (scikit-learn would silently drop it; here it is a bug to report).
 */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  nClasses: number,
): number[][] {
  checkSameLength('confusionMatrix', yTrue, yPred, ['yTrue', 'yPred']);
  checkClassCount('confusionMatrix', nClasses);
  checkLabels('confusionMatrix', yTrue, 'yTrue', nClasses);
  checkLabels('confusionMatrix', yPred, 'yPred', nClasses);
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]][yPred[i]]++;
  return m;
}

/** Division where an empty denominator yields 0: scikit-learn's `zero_division=0`. */
function ratio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}

/**
 * Per-class precision, recall, F1 and support for classes `0..nClasses-1` (scikit-learn's
 * `labels=range(nClasses)`), with `zero_division=0`: a class never predicted has precision 0, a
 * class with no true rows has recall 0 (and support 0), F1 is 0 when precision + recall is 0.
 * `macro` is the unweighted mean over all `nClasses` classes (absent ones included, as
 * scikit-learn does); `weighted` weighs by support; both carry the total support, as
 * classification_report prints. `accuracy` is over all rows.
 * @throws Error as `confusionMatrix` does.
 */
export function classificationReport(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  nClasses: number,
): ClassificationReport {
  const m = confusionMatrix(yTrue, yPred, nClasses);
  const perClass: ClassScores[] = [];
  let correct = 0;
  for (let k = 0; k < nClasses; k++) {
    let predicted = 0;
    let support = 0;
    for (let j = 0; j < nClasses; j++) {
      predicted += m[j][k];
      support += m[k][j];
    }
    const tp = m[k][k];
    correct += tp;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    const f1 = ratio(2 * precision * recall, precision + recall);
    perClass.push({ precision, recall, f1, support });
  }
  const total = yTrue.length;
  const average = (weightOf: (c: ClassScores) => number): ClassScores => {
    const weightSum = perClass.reduce((s, c) => s + weightOf(c), 0);
    const mean = (key: 'precision' | 'recall' | 'f1') =>
      ratio(
        perClass.reduce((s, c) => s + c[key] * weightOf(c), 0),
        weightSum,
      );
    return { precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), support: total };
  };
  return {
    perClass,
    macro: average(() => 1),
    weighted: average((c) => c.support),
    accuracy: correct / total,
  };
}
