import { describe, expect, it } from 'vitest';
import { Monitor } from './monitor';
import { PredictionLog, RequestLedger } from './prediction-log';
import { compileScenarios } from './scenarios';
import { requestRngs } from './sim-random';
import { BatchBuffers, prepareBatch, recordBatch, ServiceQueue } from './sim-step';
import { createTraffic } from './traffic';

// 10 rows of 2 features; row r = (r, -r), label r % 2.
const pool = {
  x: Float32Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? i / 2 : -(i - 1) / 2)),
  y: Int32Array.from({ length: 10 }, (_, r) => r % 2),
  features: 2,
  nClasses: 2,
};
const ctx = { dataset: 'tabular' as const, features: 2, nClasses: 2, poolLabels: pool.y };
const traffic = () =>
  createTraffic({ seed: 3, ratePerSecond: 5, durationSeconds: 60, users: 3, poolSize: 10 });

describe('prepareBatch', () => {
  it('copies pool rows, applies scenarios from their start, and gives labels and arrivals', () => {
    const scenarios = compileScenarios(
      [
        { kind: 'feature-offset', params: { feature: 0, offset: 100 }, startMs: 30_000, rampMs: 0 },
        {
          kind: 'delayed-labels',
          params: { delaySeconds: 10, fraction: 1 },
          startMs: 0,
          rampMs: 0,
        },
      ],
      ctx,
    );
    const t = traffic();
    const b = t.next(1000);
    const buf = new BatchBuffers(1000, 2);
    const p = prepareBatch(b, pool, scenarios, requestRngs(1), buf);
    expect(p.count).toBe(b.count);
    expect(b.count).toBeGreaterThan(200);
    for (let i = 0; i < b.count; i++) {
      const row = b.row[i];
      const shifted = b.timeMs[i] >= 30_000 ? 100 : 0;
      expect(p.x[2 * i]).toBe(row + shifted);
      expect(p.x[2 * i + 1]).toBe(-row);
      expect(p.labels[i]).toBe(row % 2);
      expect(p.arrivals[i]).toBe(b.timeMs[i] + 10_000);
    }
  });

  it('gives each request the same draws whatever the batching', () => {
    const scenarios = compileScenarios(
      [{ kind: 'stuck-at-zero', params: { feature: 1 }, startMs: 0, rampMs: 60_000 }],
      ctx,
    );
    const one = prepareBatch(
      traffic().next(1000),
      pool,
      scenarios,
      requestRngs(9),
      new BatchBuffers(1000, 2),
    );
    const x = Float32Array.from(one.x);
    const t = traffic();
    const small = new BatchBuffers(7, 2);
    const parts: number[] = [];
    while (!t.done)
      parts.push(...prepareBatch(t.next(7), pool, scenarios, requestRngs(9), small).x);
    expect(Float32Array.from(parts)).toEqual(x);
  });

  it('refuses a batch larger than its buffers', () => {
    const scenarios = compileScenarios([], ctx);
    expect(() =>
      prepareBatch(traffic().next(50), pool, scenarios, requestRngs(1), new BatchBuffers(10, 2)),
    ).toThrow(/exceeds/);
  });
});

describe('recordBatch', () => {
  it('feeds the monitor, the ledger and the last requests to the log', () => {
    const scenarios = compileScenarios([], ctx);
    const t = traffic();
    const b = t.next(1000);
    const p = prepareBatch(b, pool, scenarios, requestRngs(1), new BatchBuffers(1000, 2));
    p.latencyMs.fill(2);
    // A model that always says class 1 with 0.75.
    const probs = new Float32Array(b.count * 2).map((_, i) => (i % 2 === 0 ? 0.25 : 0.75));
    const monitor = new Monitor({
      windowMs: 30_000,
      features: 2,
      nClasses: 2,
      reference: pool.x,
      referenceAccuracy: 0.5,
      seed: 1,
    });
    const ledger = new RequestLedger();
    const log = new PredictionLog(5);
    recordBatch(b, p, probs, 2, { monitor, ledger, log, versionId: 'v1' });
    monitor.advanceTo(60_000);
    expect(ledger.verify(b.count).ok).toBe(true);
    expect(monitor.windows.map((w) => w.requests).reduce((a, c) => a + c)).toBe(b.count);
    expect(monitor.windows[0].classMix[0]).toBe(0);
    expect(monitor.windows[0].latency?.p99).toBe(2);
    const recs = log.records();
    expect(recs.map((r) => r.requestId)).toEqual([...b.requestId.slice(-5)]);
    expect(recs.every((r) => r.predicted === 1 && r.confidence === 0.75)).toBe(true);
  });
});

describe('ServiceQueue', () => {
  it('adds the wait behind earlier requests to the service time (Lindley)', () => {
    const q = new ServiceQueue();
    expect(q.latency(0, 2)).toBe(2); // free server
    expect(q.latency(1, 2)).toBe(3); // waits 1 ms
    expect(q.latency(10, 0.5)).toBe(0.5); // the backlog has cleared
    q.reset();
    expect(q.latency(10, 1)).toBe(1);
    expect(() => q.latency(11, -1)).toThrow(/service time/);
  });
});
