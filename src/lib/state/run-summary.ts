import { confusionAtThreshold } from '../core/metrics';
import type { RunSummary } from '../lessons/checks';
import type { RunRecord } from '../storage';

/**
 * What lesson checks see of a run. For breast cancer the positive class is malignant (label 0),
 * scored by P(malignant) (CONTRACTS.md), so recall at the saved threshold is recomputed here
 * from the stored test predictions rather than trusted from the UI.
 */
export function summarizeRun(run: RunRecord): RunSummary {
  const summary: RunSummary = {
    id: run.id,
    datasetId: run.datasetId,
    status: run.status,
    testAccuracy: run.metrics?.testAccuracy,
  };
  const ev = run.evaluation;
  if (run.threshold !== undefined && run.datasetId === 'breast_cancer' && ev && ev.nClasses === 2) {
    const n = ev.testLabels.length;
    const isMalignant = new Int32Array(n);
    const pMalignant = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      isMalignant[i] = ev.testLabels[i] === 0 ? 1 : 0;
      pMalignant[i] = ev.testProbabilities[i * 2];
    }
    const c = confusionAtThreshold(isMalignant, pMalignant, run.threshold);
    summary.threshold = run.threshold;
    summary.malignantRecall = c.recall;
    summary.malignantPrecision = c.precision;
  }
  return summary;
}
