import { describe, expect, it } from 'vitest';
import { servingPatternProblems, simulateServing } from './teach-serving';
import {
  createServingWorld,
  DEFAULT_SERVING_WORLD,
  modelVersionAt,
  servingWorldProblems,
  valueVersionAt,
  zipfCdf,
  type ServingWorld,
} from './teach-serving-world';

/** A hand-made world: requests at the given times for the given keys, model 10 ms, lookup 1 ms. */
function tiny(times: number[], keys: number[], changes: number[][], deployAtS = 1e9): ServingWorld {
  const flat = changes.flat();
  const start = [0];
  for (const c of changes) start.push(start[start.length - 1] + c.length);
  return {
    config: { ...DEFAULT_SERVING_WORLD, keys: changes.length, durationS: 100, deployAtS },
    arrivalS: Float64Array.from(times),
    key: Int32Array.from(keys),
    modelMs: new Float64Array(times.length).fill(10),
    lookupMs: new Float64Array(times.length).fill(1),
    changeStart: Int32Array.from(start),
    changeS: Float64Array.from(flat),
  };
}

describe('serving world', () => {
  const small = { ...DEFAULT_SERVING_WORLD, durationS: 60 };

  it('is reproducible from its seed and differs with another seed', () => {
    const a = createServingWorld(small);
    const b = createServingWorld(small);
    expect(a.key).toEqual(b.key);
    expect(a.arrivalS).toEqual(b.arrivalS);
    const c = createServingWorld({ ...small, seed: 7 });
    expect(c.key).not.toEqual(a.key);
  });

  it('draws about rate × duration requests, ascending, with Zipf-skewed keys', () => {
    const w = createServingWorld(small);
    const expected = small.ratePerSec * small.durationS;
    expect(Math.abs(w.arrivalS.length - expected)).toBeLessThan(4 * Math.sqrt(expected));
    for (let i = 1; i < w.arrivalS.length; i++)
      expect(w.arrivalS[i]).toBeGreaterThanOrEqual(w.arrivalS[i - 1]);
    const top = w.key.filter((k) => k === 0).length / w.key.length;
    const cdf = zipfCdf(small.keys, small.zipfS);
    expect(Math.abs(top - cdf[0])).toBeLessThan(0.02);
  });

  it('builds a Zipf cdf: increasing, last 1, rank ratio 2^s', () => {
    const cdf = zipfCdf(4, 1);
    expect(cdf[3]).toBe(1);
    expect(cdf[0] / (cdf[1] - cdf[0])).toBeCloseTo(2, 10);
  });

  it('counts value changes and the model version at a time', () => {
    const w = tiny([1], [0], [[5, 9], []], 50);
    expect(valueVersionAt(w, 0, 4.9)).toBe(0);
    expect(valueVersionAt(w, 0, 5)).toBe(1);
    expect(valueVersionAt(w, 0, 20)).toBe(2);
    expect(valueVersionAt(w, 1, 20)).toBe(0);
    expect(modelVersionAt(w, 49)).toBe(1);
    expect(modelVersionAt(w, 50)).toBe(2);
  });

  it('names every problem of a bad scenario', () => {
    const bad = { ...DEFAULT_SERVING_WORLD, keys: 0, ratePerSec: -1, modelSigma: NaN };
    expect(servingWorldProblems(bad)).toHaveLength(3);
    expect(() => createServingWorld(bad)).toThrow(/keys must be/);
  });
});

describe('serving patterns', () => {
  it('online: every request calls the model, queues behind a busy replica, is never stale', () => {
    // Two requests 5 ms apart: the second waits 5 ms for the single replica.
    const w = tiny([1, 1.005], [0, 0], [[1.002]]);
    const r = simulateServing(w, { kind: 'online' });
    expect(r.callsPer1k).toBe(1000);
    expect(r.hitRate).toBe(0);
    expect(r.staleRate).toBe(0);
    expect(r.p50Ms).toBeCloseTo(12.5, 9); // latencies 10 and 15
    expect(r.modelUtilization).toBeCloseTo(20 / 100_000, 12);
  });

  it('batch: reads the last run; stale when the value changed or the model was redeployed since', () => {
    // Runs at 0 and 60 s. Key 0 changes at 30 s; deploy at 70 s.
    const w = tiny([10, 40, 65, 75], [0, 0, 0, 1], [[30], []], 70);
    const r = simulateServing(w, { kind: 'batch', everyMin: 1 });
    expect(r.hitRate).toBe(1);
    // 40: changed at 30 after the run at 0 -> stale; 75: deployed at 70 after the run at 60 -> stale.
    expect(r.staleRate).toBe(0.5);
    expect(r.callsPer1k).toBe((2 * 2 * 1000) / 4); // 2 runs × 2 keys over 4 requests
    expect(r.p99Ms).toBe(1);
  });

  it('cache: hits within the TTL, misses after it, stale after a value change', () => {
    const w = tiny([0, 5, 12, 20, 21], [0, 0, 0, 0, 0], [[20.5]]);
    const r = simulateServing(w, { kind: 'cache', ttlS: 10, capacity: 10, versionedKey: false });
    // 0 miss, 5 hit, 12 miss (expired), 20 hit (computed at 12), 21 hit but stale (changed at 20.5).
    expect(r.hitRate).toBe(3 / 5);
    expect(r.staleRate).toBe(1 / 5);
    expect(r.callsPer1k).toBe(400);
  });

  it('cache: evicts the least recently used key when full', () => {
    // Capacity 2: keys 0, 1, 0 (touch), 2 (evicts 1), 1 (miss), 0 (hit).
    const w = tiny([0, 1, 2, 3, 4, 5], [0, 1, 0, 2, 1, 0], [[], [], []]);
    const r = simulateServing(w, { kind: 'cache', ttlS: 100, capacity: 2, versionedKey: false });
    // misses: 0, 1, 2, 1 (evicted), then 0 was evicted by the re-inserted 1 -> miss too.
    expect(r.hitRate).toBe(1 / 6);
  });

  it('cache: a versioned key stops serving the old model after a deploy', () => {
    const w = tiny([0, 6, 7], [0, 0, 0], [[]], 5);
    const plain = simulateServing(w, {
      kind: 'cache',
      ttlS: 100,
      capacity: 9,
      versionedKey: false,
    });
    expect(plain.staleRate).toBe(2 / 3);
    const versioned = simulateServing(w, {
      kind: 'cache',
      ttlS: 100,
      capacity: 9,
      versionedKey: true,
    });
    expect(versioned.staleRate).toBe(0);
    expect(versioned.hitRate).toBe(1 / 3);
  });

  it('on the lesson scenario: caching cuts p99 and calls; a long TTL costs staleness', () => {
    const w = createServingWorld({ ...DEFAULT_SERVING_WORLD, durationS: 300, deployAtS: 150 });
    const online = simulateServing(w, { kind: 'online' });
    const short = simulateServing(w, {
      kind: 'cache',
      ttlS: 10,
      capacity: 1000,
      versionedKey: true,
    });
    const long = simulateServing(w, {
      kind: 'cache',
      ttlS: 120,
      capacity: 1000,
      versionedKey: true,
    });
    expect(short.p99Ms).toBeLessThan(online.p99Ms);
    expect(short.callsPer1k).toBeLessThan(online.callsPer1k);
    expect(long.hitRate).toBeGreaterThan(short.hitRate);
    expect(long.staleRate).toBeGreaterThan(short.staleRate);
  });

  it('rejects unusable settings with the reason', () => {
    expect(servingPatternProblems({ kind: 'batch', everyMin: 0 })).toHaveLength(1);
    const bad = { kind: 'cache', ttlS: -1, capacity: 2.5, versionedKey: false } as const;
    expect(servingPatternProblems(bad)).toHaveLength(2);
    expect(() => simulateServing(tiny([1], [0], [[]]), bad)).toThrow(/TTL must be/);
  });
});
