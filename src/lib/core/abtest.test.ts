import { describe, expect, it } from 'vitest';
import fixture from '../../../tests/fixtures/abtest/abtest.json';
import { sampleSizePerArm, sampleSizeUnrounded, twoProportionZTest } from './abtest';

describe('twoProportionZTest against statsmodels 0.13', () => {
  for (const c of fixture.zTest) {
    it(`${c.successA}/${c.totalA} vs ${c.successB}/${c.totalB}`, () => {
      const r = twoProportionZTest(c.successA, c.totalA, c.successB, c.totalB);
      expect(Math.abs(r.z - c.z)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(c.z)));
      expect(Math.abs(r.pValue - c.pValue)).toBeLessThanOrEqual(1e-9 * (1 + c.pValue));
      expect(Math.abs(r.diff - c.diff)).toBeLessThanOrEqual(1e-15);
      expect(Math.abs(r.ci95[0] - c.ci95[0])).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(r.ci95[1] - c.ci95[1])).toBeLessThanOrEqual(1e-12);
    });
  }
  it('says "no evidence" when both arms are all successes (zero pooled variance)', () => {
    expect(twoProportionZTest(10, 10, 20, 20)).toMatchObject({ z: 0, pValue: 1, diff: 0 });
  });
  it('refuses impossible counts with a clear message', () => {
    expect(() => twoProportionZTest(11, 10, 1, 10)).toThrow(
      /successA is 11, expected an integer in \[0, 10\]/,
    );
    expect(() => twoProportionZTest(1, 0, 1, 10)).toThrow(/at least one trial/);
    expect(() => twoProportionZTest(1.5, 10, 1, 10)).toThrow(/successA is 1.5/);
    expect(() => twoProportionZTest(1, 10, 1, NaN)).toThrow(/totalB is NaN/);
  });
});

describe('sampleSizePerArm against statsmodels samplesize_proportions_2indep_onetail', () => {
  for (const c of fixture.sampleSize) {
    it(`baseline ${c.baseline}, mde ${c.mde}, alpha ${c.alpha}, power ${c.power}`, () => {
      const raw = sampleSizeUnrounded(c.baseline, c.mde, c.alpha, c.power);
      expect(Math.abs(raw - c.unrounded)).toBeLessThanOrEqual(1e-9 * c.unrounded);
      expect(sampleSizePerArm(c.baseline, c.mde, c.alpha, c.power)).toBe(c.perArm);
    });
  }
  it('refuses arguments outside their range', () => {
    expect(() => sampleSizePerArm(1, 0.01, 0.05, 0.8)).toThrow(/baseline must be a rate/);
    expect(() => sampleSizePerArm(0.5, 0, 0.05, 0.8)).toThrow(/mde must be a non-zero/);
    expect(() => sampleSizePerArm(0.95, 0.1, 0.05, 0.8)).toThrow(/baseline \+ mde in \(0, 1\)/);
    expect(() => sampleSizePerArm(0.5, 0.1, 0, 0.8)).toThrow(/alpha must be in/);
    expect(() => sampleSizePerArm(0.5, 0.1, 0.05, 1)).toThrow(/power must be in/);
  });
});
