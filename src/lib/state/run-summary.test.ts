import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../storage';
import { summarizeRun } from './run-summary';

const base: RunRecord = {
  id: 'run-1',
  createdAt: 1,
  datasetId: 'breast_cancer',
  seed: 0,
  splitSeed: 0,
  hyperparameters: {},
  fingerprint: 'f',
  backend: 'wasm',
  durationMs: 10,
  curves: [],
  status: 'completed',
  metrics: {
    testAccuracy: 0.75,
    validationAccuracy: 0.8,
    bestEpoch: 3,
    epochsRun: 5,
    stoppedEarly: true,
  },
  evaluation: {
    nClasses: 2,
    testIndices: new Int32Array([10, 11, 12, 13]),
    // labels: two malignant (0), two benign (1); column 0 is P(malignant).
    testLabels: new Int32Array([0, 0, 1, 1]),
    testProbabilities: new Float32Array([0.9, 0.1, 0.3, 0.7, 0.4, 0.6, 0.1, 0.9]),
    validationLabels: new Int32Array([]),
    validationProbabilities: new Float32Array([]),
  },
};

describe('summarizeRun', () => {
  it('copies identity and accuracy, and no threshold figures when none is saved', () => {
    expect(summarizeRun(base)).toEqual({
      id: 'run-1',
      datasetId: 'breast_cancer',
      status: 'completed',
      testAccuracy: 0.75,
    });
  });

  it('recomputes malignant recall and precision at the saved threshold on P(malignant)', () => {
    // Threshold 0.5 flags only row 0: recall 1/2, precision 1/1.
    expect(summarizeRun({ ...base, threshold: 0.5 })).toMatchObject({
      malignantRecall: 0.5,
      malignantPrecision: 1,
    });
    // Threshold 0.25 flags rows 0, 1 and 2: recall 2/2, precision 2/3.
    const low = summarizeRun({ ...base, threshold: 0.25 });
    expect(low.malignantRecall).toBe(1);
    expect(low.malignantPrecision).toBeCloseTo(2 / 3, 12);
  });
});
