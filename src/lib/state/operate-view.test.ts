import { describe, expect, it } from 'vitest';
import type { WindowSummary } from '../core/sim-monitor-types';
import {
  classLabel,
  classMixBands,
  latestDriftWindow,
  pct,
  seriesOf,
  slidingWindows,
  tickLabel,
  timeTicks,
  zeroBasedDomain,
} from './operate-view';

const MIN10 = 600_000;

/** A window with counts; everything else empty. */
function win(index: number, over: Partial<WindowSummary> = {}): WindowSummary {
  return {
    index,
    startMs: index * MIN10,
    endMs: (index + 1) * MIN10,
    requests: 0,
    ratePerSecond: 0,
    errors: 0,
    rejections: 0,
    errorRate: null,
    rejectionRate: null,
    latency: null,
    classMix: [0, 0, 0],
    confidenceHistogram: [0, 0, 0, 0],
    cbpe: null,
    accuracy: { labels: 0, correct: 0, accuracy: null },
    ownAccuracy: { labels: 0, correct: 0, accuracy: null },
    drift: null,
    predictionDrift: null,
    ...over,
  };
}

describe('seriesOf', () => {
  it('puts each window at its end and skips windows without a value', () => {
    const ws = [win(0, { errorRate: 0.1 }), win(1), win(2, { errorRate: 0.3 })];
    expect(seriesOf(ws, (w) => w.errorRate)).toEqual([
      { x: MIN10, y: 0.1 },
      { x: 3 * MIN10, y: 0.3 },
    ]);
  });
  it('drops non-finite values', () => {
    expect(seriesOf([win(0)], () => NaN)).toEqual([]);
  });
});

describe('slidingWindows', () => {
  const ws = [
    win(0, {
      requests: 600,
      errors: 6,
      classMix: [300, 200, 94],
      confidenceHistogram: [0, 100, 200, 294],
      cbpe: 0.9,
      accuracy: { labels: 10, correct: 9, accuracy: 0.9 },
    }),
    win(1, {
      requests: 1200,
      errors: 0,
      rejections: 12,
      classMix: [100, 100, 988],
      confidenceHistogram: [10, 10, 10, 1158],
      cbpe: 0.6,
      accuracy: { labels: 30, correct: 15, accuracy: 0.5 },
    }),
  ];
  it('sums counts over the last n windows and recomputes the rates', () => {
    const s = slidingWindows(ws, 2);
    expect(s[0].requests).toBe(600);
    expect(s[1].startMs).toBe(0);
    expect(s[1].requests).toBe(1800);
    expect(s[1].ratePerSecond).toBeCloseTo(1800 / 1200, 12);
    expect(s[1].errorRate).toBeCloseTo(6 / 1800, 12);
    expect(s[1].rejectionRate).toBeCloseTo(12 / 1800, 12);
    expect(s[1].classMix).toEqual([400, 300, 1082]);
    expect(s[1].confidenceHistogram).toEqual([10, 110, 210, 1452]);
    expect(s[1].accuracy).toEqual({ labels: 40, correct: 24, accuracy: 0.6 });
  });
  it('weights CBPE by each window’s predictions', () => {
    const s = slidingWindows(ws, 3);
    expect(s[1].cbpe).toBeCloseTo((0.9 * 594 + 0.6 * 1188) / (594 + 1188), 12);
  });
  it('keeps n = 1 as is and refuses n < 1', () => {
    expect(slidingWindows(ws, 1)).toEqual(ws);
    expect(() => slidingWindows(ws, 0)).toThrow(/>= 1/);
  });
});

describe('classMixBands', () => {
  it('stacks shares from class 0 up to 1 and skips empty windows', () => {
    const bands = classMixBands([win(0, { classMix: [1, 1, 2] }), win(1)], 3);
    expect(bands.map((b) => b.points)).toEqual([
      [{ x: MIN10, y0: 0, y1: 0.25 }],
      [{ x: MIN10, y0: 0.25, y1: 0.5 }],
      [{ x: MIN10, y0: 0.5, y1: 1 }],
    ]);
  });
});

describe('timeTicks', () => {
  it('picks the first round step that gives at most count ticks', () => {
    const t = timeTicks(0, 4 * 3_600_000, 5);
    expect(t.step).toBe(3_600_000);
    expect(t.ticks).toEqual([0, 1, 2, 3, 4].map((h) => h * 3_600_000));
  });
  it('uses day steps over a week', () => {
    const t = timeTicks(MIN10, 7 * 86_400_000, 8);
    expect(t.step).toBe(86_400_000);
    expect(t.ticks[0]).toBe(86_400_000);
    expect(t.ticks.length).toBe(7);
  });
  it('handles an empty span', () => {
    expect(timeTicks(5, 5).ticks).toEqual([5]);
    expect(timeTicks(NaN, 5).ticks).toEqual([]);
  });
  it('labels a tick as day and clock', () => {
    expect(tickLabel(86_400_000 + 6 * 3_600_000 + 30 * 60_000)).toEqual(['day 1', '06:30']);
  });
});

describe('zeroBasedDomain', () => {
  it('starts at 0 and leaves room above the largest value', () => {
    const s = [{ points: [{ x: 0, y: 2 }] }, { points: [{ x: 0, y: 5 }] }];
    expect(zeroBasedDomain(s, 1)).toEqual([0, 5.5]);
  });
  it('keeps an all-zero series on the floor of [0, minTop]', () => {
    expect(zeroBasedDomain([{ points: [{ x: 0, y: 0 }] }], 0.01)).toEqual([0, 0.01]);
    expect(zeroBasedDomain([], 0.01)).toEqual([0, 0.01]);
  });
});

describe('formatting and lookup', () => {
  it('formats fractions as percentages', () => {
    expect(pct(0.125)).toBe('12.5%');
    expect(pct(null)).toBe('n/a');
  });
  it('names classes per data set', () => {
    expect(classLabel('digits', 3)).toBe('digit 3');
    expect(classLabel('breast-cancer', 0)).toBe('malignant (0)');
    expect(classLabel('breast-cancer', 1)).toBe('benign (1)');
  });
  it('finds the latest window with a drift verdict', () => {
    const drift = {
      rows: 40,
      driftedCount: 0,
      driftedShare: 0,
      share: 0.5,
      drifted: false,
      methods: [],
      scores: [],
      thresholds: [],
      flags: [],
    };
    expect(latestDriftWindow([win(0, { drift }), win(1, { drift }), win(2)])?.index).toBe(1);
    expect(latestDriftWindow([win(0)])).toBeNull();
  });
});
