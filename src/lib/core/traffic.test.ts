import { describe, expect, it } from 'vitest';
import { createTraffic, expectedCount, rateAt, requests, type TrafficConfig } from './traffic';

const HOUR = 3_600_000;
const base: TrafficConfig = {
  seed: 11,
  ratePerSecond: 2,
  durationSeconds: 2 * 86_400,
  users: 300,
  poolSize: 359,
  seasonality: { dailyAmplitude: 0.6 },
  bursts: [{ atSecond: 30_000, durationSeconds: 1_800, multiplier: 4 }],
};

/** Every request of a stream, read in batches of `batch`. */
function readAll(cfg: TrafficConfig, batch = 1000, from?: number) {
  const t = createTraffic(cfg);
  if (from !== undefined) t.jumpTo(from);
  const ids: number[] = [];
  const times: number[] = [];
  const users: number[] = [];
  const rows: number[] = [];
  while (!t.done) {
    const b = t.next(batch);
    for (let i = 0; i < b.count; i++) {
      ids.push(b.requestId[i]);
      times.push(b.timeMs[i]);
      users.push(b.userId[i]);
      rows.push(b.row[i]);
    }
  }
  return { ids, times, users, rows, traffic: t };
}

const countIn = (times: number[], a: number, b: number): number =>
  times.filter((t) => t >= a && t < b).length;

describe('createTraffic', () => {
  const all = readAll(base);

  it('is reproducible: same seed, same stream, whatever the batch size', () => {
    const again = readAll(base, 77);
    expect(again.times).toEqual(all.times);
    expect(again.rows).toEqual(all.rows);
    expect(again.users).toEqual(all.users);
    expect(readAll({ ...base, seed: 12 }).times.slice(0, 50)).not.toEqual(all.times.slice(0, 50));
  });

  it('hands out dense ids in time order, inside the run, users and rows in range', () => {
    expect(all.ids).toEqual(all.ids.map((_, i) => i));
    const backwards = all.times.filter((t, i) => i > 0 && t < all.times[i - 1]).length;
    expect(backwards).toBe(0);
    expect(all.times[0]).toBeGreaterThanOrEqual(0);
    expect(all.times[all.times.length - 1]).toBeLessThan(base.durationSeconds * 1000);
    const range = (v: number[]) =>
      v.reduce(([lo, hi], x) => [Math.min(lo, x), Math.max(hi, x)], [Infinity, -Infinity]);
    expect(range(all.users)).toEqual([0, base.users - 1]);
    expect(range(all.rows)).toEqual([0, base.poolSize - 1]);
    expect(all.traffic.nextRequestId).toBe(all.ids.length);
  });

  it('has as many requests as the rate integrates to (Poisson: within 5 sqrt(mean))', () => {
    const mean = expectedCount(base, 0, base.durationSeconds * 1000);
    expect(Math.abs(all.ids.length - mean)).toBeLessThan(5 * Math.sqrt(mean));
    // Per hour as well, through the seasonal cycle and the burst.
    for (let h = 0; h < 48; h++) {
      const m = expectedCount(base, h * HOUR, (h + 1) * HOUR);
      expect(Math.abs(countIn(all.times, h * HOUR, (h + 1) * HOUR) - m)).toBeLessThan(
        5 * Math.sqrt(m),
      );
    }
  });

  it('peaks at 14:00 and bottoms out at 02:00 with the daily amplitude', () => {
    const peak = countIn(all.times, 13.5 * HOUR, 14.5 * HOUR);
    const trough = countIn(all.times, 1.5 * HOUR, 2.5 * HOUR);
    expect(peak / trough).toBeGreaterThan(3.2); // (1 + 0.6) / (1 - 0.6) = 4
    expect(peak / trough).toBeLessThan(5);
    expect(rateAt(base, 14 * HOUR)).toBeCloseTo(2 * 1.6, 9);
  });

  it('multiplies the rate during a burst', () => {
    const [a, b] = [30_000_000, 31_800_000];
    const inBurst = countIn(all.times, a, b);
    expect(inBurst / expectedCount(base, a, b)).toBeGreaterThan(0.9);
    expect(expectedCount(base, a, b) / expectedCount({ ...base, bursts: [] }, a, b)).toBeCloseTo(
      4,
      9,
    );
  });

  it('jumpTo continues exactly as the full stream does from that time, with the same ids', () => {
    for (const at of [0, 5 * HOUR + 123.4, 30_500_000, 40 * HOUR]) {
      const tail = readAll(base, 500, at);
      const k = all.times.findIndex((t) => t >= at);
      expect(tail.ids[0]).toBe(k);
      expect(tail.times).toEqual(all.times.slice(k));
      expect(tail.rows).toEqual(all.rows.slice(k));
    }
    const t = createTraffic(base);
    t.jumpTo(base.durationSeconds * 1000 + 1);
    expect(t.done).toBe(true);
    expect(t.nextRequestId).toBe(all.ids.length);
  });

  it('works without seasonality or bursts, with a start time, and one by one', () => {
    const cfg = {
      seed: 1,
      ratePerSecond: 3,
      durationSeconds: 600,
      users: 5,
      poolSize: 10,
      startTimeMs: 7 * HOUR,
    };
    const list = [...requests(createTraffic(cfg), 64)];
    expect(Math.abs(list.length - 1800)).toBeLessThan(5 * Math.sqrt(1800));
    expect(list[0].timeMs).toBeGreaterThanOrEqual(7 * HOUR);
    expect(list[list.length - 1].timeMs).toBeLessThan(7 * HOUR + 600_000);
    expect(list.map((r) => r.requestId)).toEqual(list.map((_, i) => i));
  });

  it('refuses a bad config, naming the field', () => {
    const bad = (patch: Partial<TrafficConfig>) => () => createTraffic({ ...base, ...patch });
    expect(bad({ ratePerSecond: 0 })).toThrow(/ratePerSecond/);
    expect(bad({ durationSeconds: -1 })).toThrow(/durationSeconds/);
    expect(bad({ users: 0 })).toThrow(/users/);
    expect(bad({ poolSize: 2.5 })).toThrow(/poolSize/);
    expect(bad({ seed: 0.5 })).toThrow(/seed/);
    expect(bad({ seasonality: { dailyAmplitude: 1.5 } })).toThrow(/dailyAmplitude/);
    expect(bad({ bursts: [{ atSecond: 0, durationSeconds: 0, multiplier: 2 }] })).toThrow(
      /bursts\[0\]/,
    );
    expect(() => createTraffic(base).next(0)).toThrow(/max/);
  });
});
