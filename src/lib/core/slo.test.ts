import { describe, expect, it } from 'vitest';
import { bestBatchUnderP99, checkSlo, sloProblems, type Slo } from './slo';

const SLO: Slo = { p99Ms: 5, batch: 1, minAccuracy: 0.96 };

describe('checkSlo', () => {
  it('passes a cell at the SLO batch within both objectives (bounds included)', () => {
    expect(checkSlo({ batch: 1, p99: 5, accuracy: 0.96 }, SLO)).toEqual({
      applies: true,
      pass: true,
      reasons: [],
    });
  });

  it('names each objective missed', () => {
    const v = checkSlo({ batch: 1, p99: 6.25, accuracy: 0.9512 }, SLO);
    expect(v.pass).toBe(false);
    expect(v.reasons).toEqual(['p99 6.25 ms is above 5 ms', 'accuracy 95.12% is below 96%']);
    expect(checkSlo({ batch: 1, p99: 1 }, SLO).reasons).toEqual(['its accuracy is unknown']);
    expect(checkSlo({ batch: 1, p99: NaN, accuracy: 1 }, SLO).pass).toBe(false);
  });

  it('does not judge cells at another batch size', () => {
    const v = checkSlo({ batch: 16, p99: 0.1, accuracy: 1 }, SLO);
    expect(v).toMatchObject({ applies: false, pass: false });
    expect(v.reasons[0]).toMatch(/batch 16; the objective is stated at batch 1/);
  });
});

describe('sloProblems', () => {
  it('accepts a sensible SLO and names each bad field', () => {
    expect(sloProblems(SLO)).toEqual({});
    expect(Object.keys(sloProblems({ p99Ms: 0, batch: 1.5, minAccuracy: 1.2 })).sort()).toEqual([
      'batch',
      'minAccuracy',
      'p99Ms',
    ]);
    expect(sloProblems({ ...SLO, p99Ms: NaN }).p99Ms).toBeDefined();
  });
});

describe('bestBatchUnderP99', () => {
  const cells = [
    { batch: 1, p99: 0.05, throughputPerSec: 40_000 },
    { batch: 16, p99: 0.2, throughputPerSec: 300_000 },
    { batch: 256, p99: 2.5, throughputPerSec: 500_000 },
  ];
  it('picks the highest throughput whose p99 is within budget', () => {
    expect(bestBatchUnderP99(cells, 1)?.batch).toBe(16);
    expect(bestBatchUnderP99(cells, 5)?.batch).toBe(256);
    expect(bestBatchUnderP99(cells, 0.01)).toBeNull();
  });
  it('prefers the smaller batch on a tie', () => {
    expect(bestBatchUnderP99([cells[1], { ...cells[1], batch: 8 }], 1)?.batch).toBe(8);
  });
});
