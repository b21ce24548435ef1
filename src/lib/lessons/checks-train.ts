/**
 * Checks graded on the learner's real training runs (the Train and Evaluate labs).
 * Pure functions of the LabSnapshot, like every check.
 */
import type { CheckFn } from './checks';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const DATASET_NAMES: Record<string, string> = { digits: 'digits', breast_cancer: 'breast cancer' };

export const TRAIN_CHECKS: {
  'run-accuracy': CheckFn<'run-accuracy'>;
  'threshold-recall': CheckFn<'threshold-recall'>;
} = {
  'run-accuracy': (state, params) => {
    const name = DATASET_NAMES[params.dataset] ?? params.dataset;
    const done = state.runs.filter(
      (r) =>
        r.datasetId === params.dataset && r.status === 'completed' && r.testAccuracy !== undefined,
    );
    if (done.length === 0) {
      return {
        passed: false,
        message: `No completed ${name} run yet. Train one in the Train lab (or the panel above), then check again.`,
      };
    }
    const best = done.reduce((a, b) => (b.testAccuracy! > a.testAccuracy! ? b : a));
    if (best.testAccuracy! >= params.min) {
      return {
        passed: true,
        message: `Run ${best.id} reached ${pct(best.testAccuracy!)} test accuracy on ${name} (needed ${pct(params.min)}).`,
      };
    }
    return {
      passed: false,
      message:
        `Your best ${name} run reached ${pct(best.testAccuracy!)}; ${pct(params.min)} is needed. ` +
        'Try more hidden units, a different learning rate or more patience, and compare the curves.',
    };
  },

  'threshold-recall': (state, params) => {
    const saved = state.runs.filter(
      (r) =>
        r.datasetId === 'breast_cancer' &&
        r.threshold !== undefined &&
        r.malignantRecall !== undefined,
    );
    if (saved.length === 0) {
      return {
        passed: false,
        message:
          'No saved threshold on a breast cancer run yet. Train a breast cancer run, open its ' +
          'evaluation, move the threshold and press "Save this threshold".',
      };
    }
    const ok = saved.find((r) => r.malignantRecall! >= params.minRecall);
    if (ok) {
      return {
        passed: true,
        message:
          `Run ${ok.id}: at threshold ${ok.threshold!.toFixed(2)} the model finds ` +
          `${pct(ok.malignantRecall!)} of malignant tumours (needed ${pct(params.minRecall)}), ` +
          `with precision ${pct(ok.malignantPrecision ?? 0)}.`,
      };
    }
    const best = saved.reduce((a, b) => (b.malignantRecall! > a.malignantRecall! ? b : a));
    return {
      passed: false,
      message:
        `Your saved thresholds reach at most ${pct(best.malignantRecall!)} recall of malignant; ` +
        `${pct(params.minRecall)} is needed. Lower the threshold on P(malignant) so that more ` +
        'cases are flagged, save it, and check again.',
    };
  },
};
