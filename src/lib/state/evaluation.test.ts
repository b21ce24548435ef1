import { describe, expect, it } from 'vitest';
import type { RunEvaluation } from '../storage';
import {
  atThreshold,
  binaryEvaluation,
  describeHyperparameters,
  evaluateRun,
  positiveClassOf,
  thresholdMatrix,
} from './evaluation';

function evaluation(
  labels: number[],
  probs: number[][],
  indices = labels.map((_, i) => 100 + i),
): RunEvaluation {
  return {
    nClasses: probs[0].length,
    testIndices: Int32Array.from(indices),
    testLabels: Int32Array.from(labels),
    testProbabilities: Float32Array.from(probs.flat()),
    validationLabels: new Int32Array(0),
    validationProbabilities: new Float32Array(0),
  };
}

/** Breast cancer style: label 0 = malignant, column 0 = P(malignant). */
const CANCER = evaluation(
  // malignant, malignant, malignant, benign, benign, benign
  [0, 0, 0, 1, 1, 1],
  [
    [0.9, 0.1],
    [0.6, 0.4],
    [0.3, 0.7], // a missed malignant at 0.5
    [0.55, 0.45], // a benign flagged at 0.5
    [0.2, 0.8],
    [0.05, 0.95],
  ],
);

describe('positive class', () => {
  it('is malignant (label 0) for breast cancer, class 1 otherwise', () => {
    expect(positiveClassOf(['malignant', 'benign'])).toBe(0);
    expect(positiveClassOf(['no', 'yes'])).toBe(1);
  });

  it('recodes labels and takes the malignant column as the score', () => {
    const b = binaryEvaluation(CANCER, ['malignant', 'benign']);
    expect(b.positiveName).toBe('malignant');
    expect(b.negativeName).toBe('benign');
    expect([...b.yTrue01]).toEqual([1, 1, 1, 0, 0, 0]);
    expect([...b.scores].map((s) => Number(s.toFixed(2)))).toEqual([
      0.9, 0.6, 0.3, 0.55, 0.2, 0.05,
    ]);
    expect(b.positives).toBe(3);
    expect(b.negatives).toBe(3);
    // Positives scored 0.9, 0.6, 0.3; negatives 0.55, 0.2, 0.05: of the 9 pairs, the positive
    // ranks higher in 8 (0.3 < 0.55 is the one miss).
    expect(b.auc).toBeCloseTo(8 / 9, 12);
    // Ranked: 0.9 P, 0.6 P, 0.55 N, 0.3 P -> AP = (1 + 1 + 3/4) / 3.
    expect(b.averagePrecision).toBeCloseTo((1 + 1 + 0.75) / 3, 12);
  });

  it('reports missing curves instead of throwing when the test split has one class', () => {
    const one = evaluation(
      [1, 1],
      [
        [0.2, 0.8],
        [0.4, 0.6],
      ],
    );
    const b = binaryEvaluation(one, ['malignant', 'benign']);
    expect(b.roc).toBeNull();
    expect(b.auc).toBeNull();
    expect(b.curveError).toMatch(/one class/i);
  });
});

describe('atThreshold', () => {
  const b = binaryEvaluation(CANCER, ['malignant', 'benign']);

  it('counts malignant as positive at 0.5', () => {
    const o = atThreshold(b, 0.5, 1, 5);
    expect({ tp: o.tp, fp: o.fp, tn: o.tn, fn: o.fn }).toEqual({ tp: 2, fp: 1, tn: 2, fn: 1 });
    expect(o.precision).toBeCloseTo(2 / 3, 12);
    expect(o.recall).toBeCloseTo(2 / 3, 12);
    expect(o.fpr).toBeCloseTo(1 / 3, 12);
    expect(o.cost).toBe(1 * 1 + 1 * 5);
    expect(o.costPer1000).toBeCloseTo((6 / 6) * 1000, 9);
    expect(o.n).toBe(6);
  });

  it('a lower threshold catches every malignant case at the price of false alarms', () => {
    const o = atThreshold(b, 0.25, 2, 10);
    expect({ tp: o.tp, fp: o.fp, tn: o.tn, fn: o.fn }).toEqual({ tp: 3, fp: 1, tn: 2, fn: 0 });
    expect(o.recall).toBe(1);
    expect(o.cost).toBe(2);
    expect(o.costPer1000).toBeCloseTo((2 / 6) * 1000, 9);
  });

  it('a score equal to the threshold is flagged', () => {
    const o = atThreshold(b, 0.6, 1, 1);
    expect(o.tp).toBe(2);
  });

  it('refuses negative or non-finite costs', () => {
    expect(() => atThreshold(b, 0.5, -1, 5)).toThrow(/fpCost/);
    expect(() => atThreshold(b, 0.5, 1, NaN)).toThrow(/fnCost/);
  });

  it('lays the counts out in label order (rows true, columns predicted)', () => {
    const o = atThreshold(b, 0.5, 1, 5);
    // Label 0 = malignant = positive: [[tp, fn], [fp, tn]].
    expect(thresholdMatrix(b, o)).toEqual([
      [2, 1],
      [1, 2],
    ]);
    const flipped = binaryEvaluation(CANCER, ['a', 'b']); // positive = class 1
    const f = atThreshold(flipped, 0.5, 1, 1);
    // Class 1 scores 0.1, 0.4, 0.7 (true 0) and 0.45, 0.8, 0.95 (true 1).
    expect({ tp: f.tp, fp: f.fp, tn: f.tn, fn: f.fn }).toEqual({ tp: 2, fp: 1, tn: 2, fn: 1 });
    expect(thresholdMatrix(flipped, f)).toEqual([
      [f.tn, f.fp],
      [f.fn, f.tp],
    ]);
  });
});

describe('evaluateRun', () => {
  it('the arg-max matrix of a binary run equals the 0.5 threshold (ties go to class 0)', () => {
    const s = evaluateRun(CANCER, ['malignant', 'benign']);
    expect(s.confusion).toEqual([
      [2, 1],
      [1, 2],
    ]);
    expect(s.accuracy).toBeCloseTo(4 / 6, 12);
    const tie = evaluation(
      [0, 1],
      [
        [0.5, 0.5],
        [0.2, 0.8],
      ],
    );
    const t = evaluateRun(tie, ['malignant', 'benign']);
    expect([...t.predictions]).toEqual([0, 1]);
    expect(atThreshold(t.binary!, 0.5, 1, 1).tp).toBe(1);
  });

  it('maps each off-diagonal cell to data set rows, most confident mistake first', () => {
    const e = evaluation(
      [0, 1, 2, 2, 2, 1],
      [
        [0.8, 0.1, 0.1], // right
        [0.6, 0.3, 0.1], // true 1 -> 0
        [0.1, 0.2, 0.7], // right
        [0.1, 0.6, 0.3], // true 2 -> 1, conf 0.6
        [0.05, 0.9, 0.05], // true 2 -> 1, conf 0.9
        [0.2, 0.7, 0.1], // right
      ],
      [40, 41, 42, 43, 44, 45],
    );
    const s = evaluateRun(e, ['a', 'b', 'c']);
    expect(s.confusion).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [0, 2, 1],
    ]);
    expect(s.examples[1][0].map((x) => x.datasetRow)).toEqual([41]);
    expect(s.examples[2][1].map((x) => x.datasetRow)).toEqual([44, 43]);
    expect(s.examples[2][1].map((x) => x.position)).toEqual([4, 3]);
    expect(s.examples[2][1][0].confidence).toBeCloseTo(0.9, 6);
    expect(s.examples[2][1][0].trueProbability).toBeCloseTo(0.05, 6);
    expect(s.examples[0][0]).toEqual([]);
    expect(s.examples[2][2]).toEqual([]);
    expect(s.binary).toBeNull();
    expect(s.report.perClass[2].recall).toBeCloseTo(1 / 3, 12);
    expect(s.reliability).toHaveLength(10);
    expect(s.reliability.reduce((n, b) => n + b.count, 0)).toBe(6);
    expect(s.ece).toBeGreaterThanOrEqual(0);
  });

  it('says what is inconsistent in a saved evaluation', () => {
    const bad = { ...CANCER, testIndices: new Int32Array(2) };
    expect(() => evaluateRun(bad, ['malignant', 'benign'])).toThrow(/2 test row indices/);
    expect(() => evaluateRun(CANCER, ['0', '1', '2'])).toThrow(/3 classes/);
  });
});

it('describes hyperparameters in one line', () => {
  expect(
    describeHyperparameters({ hidden: [64, 32], activation: 'relu', learningRate: 0.01, l2: 0 }),
  ).toBe('hidden 64×32, relu, learning rate 0.01, L2 0');
  expect(describeHyperparameters({ hidden: [] })).toBe('no hidden layer');
});
