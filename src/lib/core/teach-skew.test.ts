import { describe, expect, it } from 'vitest';
import { accuracy, applySkewFix, fitLogistic, inspectSkew, SKEW_FIXES } from './teach-skew';
import {
  caseDefinitions,
  computeFeatures,
  CORRECT_DEFINITION,
  drawCustomers,
  recordedSessionMean,
  SKEW_CASES,
  SKEW_FEATURES,
} from './teach-skew-data';

describe('skew data and pipelines', () => {
  it('is reproducible from its seed', () => {
    expect(drawCustomers(50, 3)).toEqual(drawCustomers(50, 3));
    expect(drawCustomers(50, 3).churned).not.toEqual(drawCustomers(50, 4).churned);
  });

  it('computes each definition as documented', () => {
    const c = drawCustomers(200, 5);
    const mean = recordedSessionMean(c);
    const right = computeFeatures(c, CORRECT_DEFINITION, mean);
    const i = Array.from(c.minutes).findIndex((m) => Number.isNaN(m));
    expect(i).toBeGreaterThanOrEqual(0);
    const week = Array.from(c.dailySpend.subarray(i * 7, i * 7 + 7));
    expect(right[i * 4]).toBeCloseTo(week.reduce((a, b) => a + b) / 7, 10);
    expect(right[i * 4 + 1]).toBe(mean); // missing session filled with the training mean
    expect(right[i * 4 + 3]).toBe(c.ticketsBefore[i]);
    const { online } = caseDefinitions('window');
    expect(computeFeatures(c, online, mean)[i * 4]).toBe(week[6]);
    expect(computeFeatures(c, caseDefinitions('unit').online, mean)[i * 4 + 2]).toBe(
      c.daysSinceLogin[i] * 24,
    );
    expect(computeFeatures(c, caseDefinitions('missing').online, mean)[i * 4 + 1]).toBe(0);
    expect(computeFeatures(c, caseDefinitions('leak').offline, mean)[i * 4 + 3]).toBe(
      c.ticketsBefore[i] + c.ticketsAfter[i],
    );
  });
});

describe('logistic regression', () => {
  it('reaches the optimum of the log loss: the gradient vanishes', () => {
    const c = drawCustomers(600, 9);
    const x = computeFeatures(c, CORRECT_DEFINITION, recordedSessionMean(c));
    const m = fitLogistic(x, c.churned, 4, 2000);
    const grad = new Float64Array(5);
    for (let i = 0; i < c.n; i++) {
      let t = m.bias;
      const z = [0, 1, 2, 3].map((j) => (x[i * 4 + j] - m.mean[j]) * m.invStd[j]);
      z.forEach((v, j) => (t += m.weights[j] * v));
      const err = 1 / (1 + Math.exp(-t)) - c.churned[i];
      z.forEach((v, j) => (grad[j] += err * v));
      grad[4] += err;
    }
    for (const g of grad) expect(Math.abs(g / c.n)).toBeLessThan(1e-3);
  });

  it('separates a separable toy set', () => {
    const x = Float64Array.from([0, 1, 2, 3, 10, 11, 12, 13]);
    const y = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1]);
    const m = fitLogistic(x, y, 1);
    expect(accuracy(m, x, y)).toBe(1);
    expect(m.weights[0]).toBeGreaterThan(0);
  });
});

describe('skew cases', () => {
  it('each case: the skewed feature has the largest PSI, and online trails offline by > 1 point', () => {
    for (const c of SKEW_CASES) {
      const s = inspectSkew(c.id);
      const top = [...s.features].sort((a, b) => b.psi - a.psi)[0];
      expect(top.id).toBe(c.feature);
      expect(s.features).toHaveLength(SKEW_FEATURES.length);
      expect(s.accuracy.offline - s.accuracy.online).toBeGreaterThan(0.01);
      for (const f of s.features) expect(f.bins.length).toBe(f.trainShares.length);
    }
  });

  it('the right fix closes the gap; the wrong ones do not', () => {
    const right = {
      window: 'shared-definition',
      unit: 'shared-definition',
      missing: 'shared-definition',
      leak: 'point-in-time-join',
    } as const;
    for (const c of SKEW_CASES) {
      for (const fix of SKEW_FIXES) {
        const r = applySkewFix(c.id, fix);
        const gap = Math.abs(r.accuracy.offline - r.accuracy.online);
        if (fix === right[c.id] || fix === 'train-on-logged') expect(gap).toBeLessThanOrEqual(0.01);
        else expect(gap).toBeGreaterThan(0.01);
      }
    }
    expect(applySkewFix('leak', 'shared-definition').applicable).toBe(false);
  });
});
