import { describe, expect, it } from 'vitest';
import { datasetDrift, driftTest } from '../core/drift';
import { createRng } from '../core/rng';
import {
  alertValueText,
  driftRows,
  driftSeverity,
  evidenceLines,
  heatColor,
  mostDriftedFeature,
  sortDriftRows,
  verdictText,
} from './operate-view-drift';

const normal = (n: number, mean: number, seed: number) => {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => mean + rng.normal());
};

describe('driftSeverity', () => {
  it('is 0 at no evidence, 1 at the threshold, beyond 1 past it', () => {
    expect(driftSeverity('ks', 1, 0.05)).toBe(0);
    expect(driftSeverity('ks', 0.05, 0.05)).toBeCloseTo(1, 12);
    expect(driftSeverity('ks', 0.0025, 0.05)).toBeCloseTo(2, 12);
    expect(driftSeverity('chisquare', 0, 0.05)).toBe(Infinity);
    expect(driftSeverity('wasserstein', 0.05, 0.1)).toBeCloseTo(0.5, 12);
    expect(driftSeverity('jensenshannon', 0.3, 0.1)).toBeCloseTo(3, 12);
  });
});

describe('heatColor', () => {
  it('ramps the warning color below the threshold and the alarm color past it', () => {
    expect(heatColor(0, false).fill).toContain('var(--warn) 0%');
    expect(heatColor(0.5, false).fill).toContain('var(--warn) 28%');
    expect(heatColor(1, true).fill).toContain('var(--bad) 60%');
    expect(heatColor(2, true).fill).toContain('var(--bad) 80%');
    expect(heatColor(Infinity, true).fill).toContain('var(--bad) 100%');
    expect(heatColor(1, true).text).toBe('var(--accent-text)');
    expect(heatColor(0.9, false).text).toBe('var(--text)');
  });
});

describe('driftRows and sortDriftRows', () => {
  const ref = normal(300, 0, 1);
  const result = datasetDrift([
    { name: 'a', ref, cur: normal(300, 0, 2), kind: 'numerical' },
    { name: 'b', ref, cur: normal(300, 1, 3), kind: 'numerical' },
    { name: 'c', ref, cur: normal(300, 0.2, 4), kind: 'numerical' },
  ]);
  const rows = driftRows(result, ['alpha', 'beta', 'gamma']);
  it('carries names, methods and verdicts in feature order', () => {
    expect(rows.map((r) => r.name)).toEqual(['alpha', 'beta', 'gamma']);
    expect(rows.every((r) => r.method === 'ks')).toBe(true);
    expect(rows[1].drifted).toBe(true);
    expect(rows[0].drifted).toBe(false);
  });
  it('picks the most drifted feature to explain by default', () => {
    expect(mostDriftedFeature(result)).toBe(1);
    const calm = datasetDrift([
      { name: 'a', ref, cur: normal(300, 0.1, 5), kind: 'numerical' },
      { name: 'b', ref, cur: normal(300, 0, 6), kind: 'numerical' },
    ]);
    const s = calm.columns.map((c) => driftSeverity(c.method, c.score, c.threshold));
    expect(mostDriftedFeature(calm)).toBe(s[0] >= s[1] ? 0 : 1); // none drifted: still one
  });
  it('sorts by score, severity and name, both ways', () => {
    expect(sortDriftRows(rows, 'score', 'ascending')[0].name).toBe('beta');
    expect(sortDriftRows(rows, 'severity', 'descending')[0].name).toBe('beta');
    expect(sortDriftRows(rows, 'name', 'descending').map((r) => r.name)).toEqual([
      'gamma',
      'beta',
      'alpha',
    ]);
    expect(sortDriftRows(rows, 'drifted', 'descending')[0].name).toBe('beta');
  });
});

describe('evidence', () => {
  it('lists the rule, sizes, statistic and threshold of a KS verdict', () => {
    const r = driftTest(normal(200, 0, 5), normal(150, 1, 6), 'numerical');
    const lines = new Map(evidenceLines(r));
    expect(lines.get('Rule')).toMatch(/200 rows \(<= 1000\)/);
    expect(lines.get('Sample sizes')).toBe('reference 200 rows, current 150 rows');
    expect(lines.get('Statistic')).toMatch(/^D = 0\.\d+/);
    expect(lines.get('Threshold')).toMatch(/<= 0.05: drifted$/);
  });
  it('shows bins for Jensen-Shannon and chi-square, and the norm for Wasserstein', () => {
    const big = normal(1500, 0, 7);
    const w = new Map(evidenceLines(driftTest(big, normal(500, 0.05, 8), 'numerical')));
    expect(w.get('Test')).toBe('Wasserstein distance (normed)');
    expect(w.get('Statistic')).toMatch(/max\(reference std/);
    const cats = ['x', 'y', 'z'];
    const ref = Array.from({ length: 1200 }, (_, i) => cats[i % 3]);
    const js = new Map(evidenceLines(driftTest(ref, ref.slice(0, 99), 'categorical')));
    expect(js.get('Bins')).toBe('one bin per value (3)');
    const cs = new Map(evidenceLines(driftTest(ref.slice(0, 300), ['x', 'x', 'y'], 'categorical')));
    expect(cs.get('Bins')).toBe('x: 2 vs 1 expected; y: 1 vs 1 expected; z: 0 vs 1 expected');
  });
  it('words verdicts with each method’s comparison', () => {
    expect(verdictText({ method: 'chisquare', score: 0.2, threshold: 0.05, drifted: false })).toBe(
      'p = 0.200 >= 0.05: no drift',
    );
    expect(verdictText({ method: 'wasserstein', score: 0.25, threshold: 0.1, drifted: true })).toBe(
      'distance = 0.250 >= 0.1: drifted',
    );
  });
});

describe('alertValueText', () => {
  it('puts the value beside its threshold in the rule’s unit', () => {
    expect(
      alertValueText({ rule: 'data-drift', value: 0.625, threshold: 0.5, state: 'firing' }),
    ).toBe('62.5% of features drifted >= 50%');
    expect(
      alertValueText({ rule: 'p99-latency', value: 80, threshold: 100, state: 'resolved' }),
    ).toBe('80.0 ms <= 100 ms');
    expect(
      alertValueText({ rule: 'accuracy-drop', value: 7.25, threshold: 5, state: 'firing' }),
    ).toBe('7.3 points below reference > 5');
    expect(
      alertValueText({ rule: 'prediction-drift', value: 2e-9, threshold: 0.05, state: 'firing' }),
    ).toBe('class-mix p = 2.0e-9 < 0.05');
    expect(
      alertValueText({ rule: 'prediction-drift', value: 0.04, threshold: 0.1, state: 'resolved' }),
    ).toBe('class-mix distance 0.040 < 0.1');
  });
});
