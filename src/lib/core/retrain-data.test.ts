import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPLIT, gatherRows, parseDigitsCsv, stratifiedSplit } from './data';
import {
  buildHoldout,
  compileSource,
  holdoutMask,
  scanRequests,
  type RegeneratedRequest,
  type TrafficSource,
} from './retrain-data';
import { combineTrainingData, PRODUCTION_VALIDATION_SHARE } from './retrain-data-combine';
import { proportionalQuotas, selectTrainingRows } from './retrain-data-select';
import type { Scenario } from './scenarios';
import { requestRngs } from './sim-random';
import { BatchBuffers, prepareBatch } from './sim-step';
import { createTraffic } from './traffic';

const root = new URL('../../../', import.meta.url);
const digits = parseDigitsCsv(
  gunzipSync(readFileSync(new URL('public/data/digits.csv.gz', root))).toString('utf8'),
);
const split = stratifiedSplit(digits.y, DEFAULT_SPLIT, 0);
const test = gatherRows(digits, split.test);
const pool = { x: test.x, y: test.y, features: 64, nClasses: 10 };
const H = 3_600_000;
const T = 4 * H;

function source(scenarios: Scenario[], hours = 6): TrafficSource {
  return {
    traffic: {
      seed: 5,
      ratePerSecond: 0.5,
      durationSeconds: hours * 3600,
      seasonality: { dailyAmplitude: 0.3, peakHour: 14 },
      users: 1000,
      poolSize: pool.y.length,
    },
    scenarios,
    dataset: 'digits',
    pool,
  };
}
const at = (s: object, startMs: number) => ({ ...s, startMs, rampMs: 0 }) as Scenario;
const drifted = [
  at({ kind: 'brightness', params: { factor: 0.6 } }, 2 * H),
  at({ kind: 'noise', params: { std: 1 } }, 2 * H),
  at({ kind: 'relabel', params: { from: 1, to: 7, share: 0.5 } }, 3 * H),
  at({ kind: 'delayed-labels', params: { delaySeconds: 3600, fraction: 0.7 } }, H),
];
const mask = holdoutMask(pool.y, 5);

/** Every request of [from, to) regenerated: id -> request. */
function all(src: TrafficSource, from: number, to: number): Map<number, RegeneratedRequest> {
  const m = new Map<number, RegeneratedRequest>();
  scanRequests(src, from, to, (r) => (m.set(r.requestId, r), true));
  return m;
}

describe('regenerating production requests', () => {
  it('gives exactly what the live path (prepareBatch) served: features, labels, arrivals', () => {
    const src = source(drifted);
    const set = compileSource(src);
    const traffic = createTraffic(src.traffic);
    traffic.jumpTo(3 * H);
    const b = traffic.next(300);
    const p = prepareBatch(b, pool, set, requestRngs(5), new BatchBuffers(300, 64), () => 1);
    let i = 0;
    scanRequests(src, 3 * H, Infinity, (r, x) => {
      expect(r.requestId).toBe(b.requestId[i]);
      expect(Array.from(x)).toEqual(Array.from(p.x.subarray(i * 64, (i + 1) * 64)));
      expect(r.label).toBe(p.labels[i]);
      expect(r.labelAtMs).toBe(p.arrivals[i]);
      return ++i < b.count;
    });
    expect(i).toBe(300);
  });
});

describe('training rows available at T', () => {
  const src = source(drifted);
  const sel = selectTrainingRows(src, mask, T, 3 * H, 100_000);
  const truth = all(src, T - 3 * H, T);

  it('uses only labels that arrived by T: none from the last hour (labels arrive 1 h late)', () => {
    const { counts } = sel;
    expect(counts.scanned).toBe(truth.size);
    expect(counts.pending).toBeGreaterThan(0);
    expect(counts.missing).toBeGreaterThan(0);
    expect(counts.used).toBe(counts.available);
    expect(counts.scanned).toBe(
      counts.heldOut + counts.pending + counts.missing + counts.available,
    );
    for (const id of sel.rows.requestIds) {
      const r = truth.get(id)!;
      expect(r.labelAtMs).toBeLessThanOrEqual(T);
      expect(r.timeMs).toBeLessThanOrEqual(T - H);
    }
    // The labels used are the true labels after concept drift, not the pool's.
    sel.rows.requestIds.forEach((id, k) => expect(sel.rows.y[k]).toBe(truth.get(id)!.label));
  });

  it('is deterministic', () => {
    const again = selectTrainingRows(src, mask, T, 3 * H, 100_000);
    expect(again.rows.requestIds).toEqual(sel.rows.requestIds);
    expect(again.rows.y).toEqual(sel.rows.y);
    expect(again.rows.x).toEqual(sel.rows.x);
  });

  it('caps per class in proportion, newest first', () => {
    const capped = selectTrainingRows(src, mask, T, 3 * H, 50);
    expect(capped.rows.rows).toBe(50);
    const count = (y: Int32Array, c: number) => y.filter((v) => v === c).length;
    const full = Array.from({ length: 10 }, (_, c) => count(sel.rows.y, c));
    const quotas = proportionalQuotas(full, 50);
    for (let c = 0; c < 10; c++) expect(count(capped.rows.y, c)).toBe(quotas[c]);
    const newest = Math.max(...sel.rows.requestIds);
    expect(capped.rows.requestIds).toContain(newest);
  });

  it('a fresh holdout after T, disjoint from the training rows in requests and pool rows', () => {
    const hold = buildHoldout(source(drifted, 12), mask, T, 200, 6 * H);
    expect(hold.rows).toBe(200);
    expect(hold.windowMs[0]).toBe(T);
    const after = all(source(drifted, 12), T, hold.windowMs[1]);
    const trainIds = new Set(sel.rows.requestIds);
    const trainRows = new Set([...sel.rows.requestIds].map((id) => truth.get(id)!.row));
    for (const [k, id] of hold.requestIds.entries()) {
      const r = after.get(id)!;
      expect(trainIds.has(id)).toBe(false);
      expect(trainRows.has(r.row)).toBe(false);
      expect(mask[r.row]).toBe(1);
      expect(r.timeMs).toBeGreaterThanOrEqual(T);
      expect(hold.y[k]).toBe(r.label);
    }
    // The scenarios in force after T apply: the images are darker than the pool's.
    const mean = (x: Float32Array) => x.reduce((a, b) => a + b, 0) / x.length;
    expect(mean(hold.x)).toBeLessThan(0.7 * mean(pool.x));
  });
});

describe('proportionalQuotas', () => {
  it('keeps everything under the cap, else splits it by the largest remainders', () => {
    expect(proportionalQuotas([3, 4], 10)).toEqual([3, 4]);
    expect(proportionalQuotas([10, 10, 10], 10)).toEqual([4, 3, 3]);
    expect(proportionalQuotas([90, 9, 1], 10)).toEqual([9, 1, 0]);
  });
});

describe('combineTrainingData', () => {
  it('appends production rows after the base rows and splits them 80/20', () => {
    const prod = selectTrainingRows(source(drifted), mask, T, 3 * H, 100).rows;
    const testRows = split.test.filter((_, r) => mask[r] === 1);
    const c = combineTrainingData(digits, split, testRows, prod, 5);
    expect(c.rows).toBe(digits.rows + 100);
    expect(c.x.subarray(0, digits.x.length)).toEqual(digits.x);
    expect(c.x.subarray(digits.x.length)).toEqual(prod.x);
    const extra = (a: Int32Array) => a.filter((i) => i >= digits.rows).length;
    expect(extra(c.split.validation)).toBe(Math.round(PRODUCTION_VALIDATION_SHARE * 100));
    expect(extra(c.split.train)).toBe(100 - extra(c.split.validation));
    expect(new Set([...c.split.train, ...c.split.validation]).size).toBe(
      split.train.length + split.validation.length + 100,
    );
    expect(c.split.test).toEqual(Int32Array.from(testRows));
    expect(c.split.test.every((i) => !split.train.includes(i))).toBe(true);
  });
});
