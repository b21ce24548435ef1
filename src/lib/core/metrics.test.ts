import { describe, expect, it } from 'vitest';
import fixture from '../../../tests/fixtures/metrics/metrics.json';
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
} from './metrics';

/** Element-wise closeness; sums run in another order than numpy's pairwise sum. */
function expectClose(actual: number[], expected: number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(tol));
}

describe('binary curves and areas against scikit-learn 1.2', () => {
  for (const c of fixture.binary) {
    it(c.name, () => {
      if (c.rocCurve && c.rocAuc !== undefined) {
        // Counts divided once, as scikit-learn does: points and thresholds are exactly equal.
        expect(rocCurve(c.yTrue, c.scores)).toEqual(c.rocCurve);
        expect(Math.abs(rocAuc(c.yTrue, c.scores) - c.rocAuc)).toBeLessThan(1e-9);
      } else {
        expect(() => rocAuc(c.yTrue, c.scores)).toThrow(/Only one class present in y_true/);
        expect(() => rocCurve(c.yTrue, c.scores)).toThrow(/Only one class present in y_true/);
      }
      if (c.prCurve && c.averagePrecision !== undefined) {
        expect(precisionRecallCurve(c.yTrue, c.scores)).toEqual(c.prCurve);
        expect(Math.abs(averagePrecision(c.yTrue, c.scores) - c.averagePrecision)).toBeLessThan(
          1e-9,
        );
      }
      for (const t of c.atThreshold) {
        expect(confusionAtThreshold(c.yTrue, c.scores, t.threshold)).toEqual({
          tp: t.tp,
          fp: t.fp,
          tn: t.tn,
          fn: t.fn,
          precision: t.precision,
          recall: t.recall,
        });
      }
    });
  }

  it('accepts typed arrays and is independent of row order within ties', () => {
    const y = [1, 0, 1, 0, 1, 0];
    const s = [0.5, 0.5, 0.9, 0.1, 0.5, 0.5];
    const perm = [5, 4, 3, 2, 1, 0];
    const yp = Int32Array.from(perm, (i) => y[i]);
    const sp = Float32Array.from(perm, (i) => s[i]);
    expect(rocCurve(yp, sp)).toEqual(rocCurve(y, Float32Array.from(s)));
    expect(rocAuc(y, s)).toBeCloseTo(rocAuc(yp, sp), 15);
  });

  it('throws clear errors on bad input', () => {
    expect(() => rocAuc([], [])).toThrow(/rocAuc: empty input/);
    expect(() => rocCurve([0, 1], [0.1])).toThrow(/length mismatch/);
    expect(() => rocAuc([0, 1, 0], [0.1, Number.NaN, 0.2])).toThrow(/scores\[1\] is NaN/);
    expect(() => averagePrecision([0, 1], [Infinity, 0.2])).toThrow(/scores\[0\] is Infinity/);
    expect(() => rocAuc([0, 2], [0.1, 0.2])).toThrow(/yTrue\[1\] is 2, expected 0 or 1/);
    expect(() => rocAuc([1, 1], [0.1, 0.2])).toThrow(
      'Only one class present in y_true. ROC AUC score is not defined in that case.',
    );
    expect(() => rocAuc([0, 0], [0.1, 0.2])).toThrow(/Only one class/);
    // scikit-learn 1.2 returns -0.0 with a warning here; a number would mislead, so it throws.
    expect(() => averagePrecision([0, 0, 0], [0.1, 0.5, 0.2])).toThrow(
      /no positives\)\. Average precision is not defined/,
    );
    expect(() => precisionRecallCurve([0, 0], [0.1, 0.2])).toThrow(/no positives/);
    expect(averagePrecision([1, 1, 1], [0.1, 0.5, 0.2])).toBe(1);
    expect(() => confusionAtThreshold([0, 1], [0.1, 0.2], Number.NaN)).toThrow(/threshold is NaN/);
    expect(confusionAtThreshold([0, 1], [0.1, 0.2], -Infinity)).toMatchObject({ tp: 1, fp: 1 });
  });
});

describe('accuracy, confusion matrix and report against scikit-learn 1.2', () => {
  for (const c of fixture.multiclass) {
    it(c.name, () => {
      expect(accuracy(c.yTrue, c.yPred)).toBe(c.accuracy);
      expect(confusionMatrix(c.yTrue, c.yPred, c.nClasses)).toEqual(c.confusion);
      const report = classificationReport(c.yTrue, c.yPred, c.nClasses);
      expect(report.accuracy).toBe(c.accuracy);
      expect(report.perClass.length).toBe(c.nClasses);
      report.perClass.forEach((got, k) => {
        const want = c.perClass[k];
        expect(got.support).toBe(want.support);
        expectClose([got.precision, got.recall, got.f1], [want.precision, want.recall, want.f1]);
      });
      for (const kind of ['macro', 'weighted'] as const) {
        const got = report[kind];
        const want = c[kind];
        expect(got.support).toBe(want.support);
        expectClose([got.precision, got.recall, got.f1], [want.precision, want.recall, want.f1]);
      }
    });
  }

  it('throws clear errors on bad input', () => {
    expect(() => accuracy([], [])).toThrow(/accuracy: empty input/);
    expect(() => accuracy([1, 2], [1])).toThrow(
      /length mismatch, yTrue has 2 items and yPred has 1/,
    );
    expect(() => accuracy([1, 2], [1, Number.NaN])).toThrow(/yPred\[1\] is NaN/);
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(
      /yTrue\[1\] is 3, outside the classes 0..2/,
    );
    expect(() => confusionMatrix([0, 1], [0, -1], 3)).toThrow(/yPred\[1\] is -1/);
    expect(() => confusionMatrix([0], [0], 0)).toThrow(/nClasses must be a positive integer/);
    expect(() => classificationReport([0.5], [0], 2)).toThrow(/yTrue\[0\] is 0.5/);
  });
});

describe('calibration against numpy (top label, bins (i/n, (i+1)/n], 0 in the first bin)', () => {
  for (const c of fixture.calibration) {
    it(c.name, () => {
      const bins = reliabilityDiagram(c.yTrue, c.probabilities, c.nBins);
      expect(bins.length).toBe(c.nBins);
      bins.forEach((got, b) => {
        const want = c.bins[b];
        expect([got.lower, got.upper, got.count]).toEqual([want.lower, want.upper, want.count]);
        expectClose([got.meanConfidence, got.accuracy], [want.meanConfidence, want.accuracy]);
      });
      const ece = expectedCalibrationError(c.yTrue, c.probabilities, c.nBins);
      expect(Math.abs(ece - c.ece)).toBeLessThan(1e-12);
    });
  }

  it('is 0 for a perfectly calibrated toy model and accepts Float32Array', () => {
    // Confidence 0.75 on four rows, three right: the bin's accuracy equals its confidence.
    const p = Float32Array.from([0.75, 0.25, 0.75, 0.25, 0.25, 0.75, 0.75, 0.25]);
    expect(expectedCalibrationError([0, 0, 1, 1], p, 10)).toBe(0);
  });

  it('throws clear errors on bad input', () => {
    expect(() => expectedCalibrationError([], [], 10)).toThrow(/empty input/);
    expect(() => expectedCalibrationError([0, 1], [0.2, 0.8, 0.5], 10)).toThrow(/row-major/);
    expect(() => expectedCalibrationError([0, 1], [0.2, 0.8], 10)).toThrow(/nClasses >= 2/);
    expect(() => expectedCalibrationError([0, 2], [0.2, 0.8, 0.5, 0.5], 10)).toThrow(
      /yTrue\[1\] is 2, outside the classes 0..1/,
    );
    expect(() => expectedCalibrationError([0], [Number.NaN, 1], 10)).toThrow(
      /probabilities\[0\] is NaN/,
    );
    expect(() => reliabilityDiagram([0], [1.5, -0.5], 10)).toThrow(/probabilities\[0\] is 1.5/);
    expect(() => reliabilityDiagram([0], [0.5, 0.5], 0)).toThrow(
      /nBins must be a positive integer/,
    );
  });
});
