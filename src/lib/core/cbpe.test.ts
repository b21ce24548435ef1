import { describe, expect, it } from 'vitest';
import fixture from '../../../tests/fixtures/drift/drift.json';
import { calibrateConfidence, cbpeAccuracy, fitCalibrator } from './cbpe';

describe("fitCalibrator against scikit-learn 1.2's IsotonicRegression", () => {
  for (const c of fixture.cbpe) {
    it(`${c.labels.length} rows, ${c.nClasses} classes`, () => {
      const cal = fitCalibrator(c.probs, c.labels, c.nClasses);
      expect(cal.samples).toBe(c.labels.length);
      c.grid.forEach((x, i) => {
        expect(Math.abs(calibrateConfidence(cal, x) - c.calibrated[i])).toBeLessThanOrEqual(1e-12);
      });
      for (let i = 1; i < cal.y.length; i++) expect(cal.y[i]).toBeGreaterThanOrEqual(cal.y[i - 1]);
      const probs = Float32Array.from(c.probs);
      // Float32 inputs move the confidences by ~1e-8, hence the looser bound.
      expect(Math.abs(cbpeAccuracy(probs, c.nClasses) - c.cbpeRaw)).toBeLessThan(1e-6);
      expect(Math.abs(cbpeAccuracy(c.probs, c.nClasses) - c.cbpeRaw)).toBeLessThan(1e-12);
      expect(Math.abs(cbpeAccuracy(c.probs, c.nClasses, cal) - c.cbpeCalibrated)).toBeLessThan(
        1e-12,
      );
    });
  }
});

describe('cbpeAccuracy', () => {
  it('is the mean top-label confidence', () => {
    const p = Float32Array.from([0.9, 0.1, 0.3, 0.7, 0.5, 0.5]);
    expect(cbpeAccuracy(p, 2)).toBeCloseTo((0.9 + 0.7 + 0.5) / 3, 6);
  });
  it('with a perfectly calibrated model, matches accuracy in expectation', () => {
    // Confidence 0.8 on every row, right on 8 of 10: the calibrator maps 0.8 to 0.8.
    const probs = Array.from({ length: 10 }, () => [0.8, 0.2]).flat();
    const labels = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
    const cal = fitCalibrator(probs, labels, 2);
    expect(cal.x).toEqual([0.8]);
    expect(cbpeAccuracy(probs, 2, cal)).toBeCloseTo(0.8, 12);
  });
  it('refuses bad input with a clear message', () => {
    expect(() => cbpeAccuracy(new Float32Array(0), 2)).toThrow(/empty probabilities/);
    expect(() => cbpeAccuracy(Float32Array.from([0.5, 0.5, 1]), 2)).toThrow(/rows of 2/);
    expect(() => cbpeAccuracy(Float32Array.from([NaN, 0.5]), 2)).toThrow(
      /probabilities\[0\] is NaN/,
    );
    expect(() => fitCalibrator([0.4, 0.6], [2], 2)).toThrow(/valLabels\[0\] is 2/);
    expect(() => fitCalibrator([0.4, 0.6], [0, 1], 2)).toThrow(/2 labels for 1 rows/);
    const cal = fitCalibrator([0.4, 0.6], [1], 2);
    expect(() => calibrateConfidence(cal, 1.5)).toThrow(/not in \[0, 1\]/);
  });
});
