/**
 * Serving patterns compared on one simulated world (see teach-serving-world.ts): call the model
 * online for every request, read a table precomputed by a batch job every N minutes, or put a
 * TTL + LRU cache in front of the model. Reports what each costs in latency, model calls and
 * stale answers. Pure: no clock, no randomness of its own (every draw is in the world).
 */
import { percentileSorted } from './latency';
import { modelVersionAt, valueVersionAt, type ServingWorld } from './teach-serving-world';

export type ServingPattern =
  /** Every request calls the model with fresh features. */
  | { kind: 'online' }
  /** A batch job scores every key every `everyMin` minutes; requests read the latest table. */
  | { kind: 'batch'; everyMin: number }
  /**
   * A cache in front of the model: an entry younger than `ttlS` seconds answers, else the model
   * is called and the entry replaced; at most `capacity` entries, least recently used evicted.
   * `versionedKey`: the model version is part of the cache key, so a deploy starts fresh.
   */
  | { kind: 'cache'; ttlS: number; capacity: number; versionedKey: boolean };

/** What a pattern achieved over the whole simulated stream. */
export interface ServingResult {
  requests: number;
  /** Latency percentiles over all requests, ms (queueing for the model included). */
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Fraction of requests answered without calling the model in the request path, [0, 1]. */
  hitRate: number;
  /**
   * Fraction of requests whose answer differs from what the current model would say on the
   * key's current value: the value changed since the answer was computed, or the answer came
   * from the model version a deploy replaced. [0, 1].
   */
  staleRate: number;
  /** Model calls (online calls plus batch scoring) per 1,000 requests. */
  callsPer1k: number;
  /** Busy fraction of the online model replicas, [0, 1]. */
  modelUtilization: number;
}

/** Problems with a pattern's settings, one sentence each; empty when usable. */
export function servingPatternProblems(p: ServingPattern): string[] {
  switch (p.kind) {
    case 'online':
      return [];
    case 'batch':
      return Number.isFinite(p.everyMin) && p.everyMin > 0 && p.everyMin <= 1440
        ? []
        : ['the batch interval must be a number of minutes above 0 and at most 1,440 (a day)'];
    case 'cache': {
      const out: string[] = [];
      if (!(Number.isFinite(p.ttlS) && p.ttlS > 0 && p.ttlS <= 86_400))
        out.push('the TTL must be a number of seconds above 0 and at most 86,400 (a day)');
      if (!(Number.isInteger(p.capacity) && p.capacity >= 1 && p.capacity <= 1_000_000))
        out.push('the capacity must be a whole number of entries from 1 to 1,000,000');
      return out;
    }
  }
}

/**
 * FIFO model server with `replicas` parallel workers: a call arriving at `arrivalMs` starts when
 * the earliest worker is free. Returns each call's latency (wait + service), ms.
 */
class ModelServer {
  readonly #freeAtMs: Float64Array;
  busyMs = 0;
  calls = 0;

  constructor(replicas: number) {
    this.#freeAtMs = new Float64Array(replicas);
  }

  call(arrivalMs: number, serviceMs: number): number {
    let w = 0;
    for (let i = 1; i < this.#freeAtMs.length; i++)
      if (this.#freeAtMs[i] < this.#freeAtMs[w]) w = i;
    const start = Math.max(arrivalMs, this.#freeAtMs[w]);
    this.#freeAtMs[w] = start + serviceMs;
    this.busyMs += serviceMs;
    this.calls += 1;
    return start + serviceMs - arrivalMs;
  }
}

/** A cached answer: when it was computed (s) and by which model version. */
interface Entry {
  atS: number;
  model: number;
}

/**
 * Runs `pattern` over `world`.
 * @throws Error listing the problems of unusable settings.
 */
export function simulateServing(world: ServingWorld, pattern: ServingPattern): ServingResult {
  const problems = servingPatternProblems(pattern);
  if (problems.length) throw new Error(`Serving pattern: ${problems.join('; ')}.`);
  const { arrivalS, key, modelMs, lookupMs, config } = world;
  const n = arrivalS.length;
  const latency = new Float64Array(n);
  const server = new ModelServer(config.replicas);
  let hits = 0;
  let stale = 0;
  let batchCalls = 0;
  // A cached or precomputed answer is stale when the key's value or the model moved on since.
  const isStale = (k: number, fromS: number, fromModel: number, t: number) =>
    valueVersionAt(world, k, fromS) !== valueVersionAt(world, k, t) ||
    fromModel !== modelVersionAt(world, t);

  if (pattern.kind === 'online') {
    for (let i = 0; i < n; i++) latency[i] = server.call(arrivalS[i] * 1000, modelMs[i]);
  } else if (pattern.kind === 'batch') {
    const everyS = pattern.everyMin * 60;
    // Runs at 0, N, 2N, ... before the end; each scores every key once, off the request path.
    batchCalls = Math.ceil(config.durationS / everyS) * config.keys;
    for (let i = 0; i < n; i++) {
      const t = arrivalS[i];
      const runS = Math.floor(t / everyS) * everyS;
      latency[i] = lookupMs[i];
      hits += 1;
      if (isStale(key[i], runS, modelVersionAt(world, runS), t)) stale += 1;
    }
  } else {
    const cache = new Map<number, Entry>();
    for (let i = 0; i < n; i++) {
      const t = arrivalS[i];
      const k = key[i];
      const model = modelVersionAt(world, t);
      const id = pattern.versionedKey ? k + model * config.keys : k;
      const entry = cache.get(id);
      // Map keeps insertion order: delete + set moves a key to the most-recent end (LRU).
      if (entry) cache.delete(id);
      if (entry && t - entry.atS < pattern.ttlS) {
        hits += 1;
        latency[i] = lookupMs[i];
        if (isStale(k, entry.atS, entry.model, t)) stale += 1;
        cache.set(id, entry);
      } else {
        latency[i] = lookupMs[i] + server.call(t * 1000, modelMs[i]);
        cache.set(id, { atS: t, model });
        if (cache.size > pattern.capacity) cache.delete(cache.keys().next().value as number);
      }
    }
  }
  const sorted = latency.slice().sort();
  const calls = server.calls + batchCalls;
  return {
    requests: n,
    p50Ms: n ? percentileSorted(sorted, 50) : 0,
    p95Ms: n ? percentileSorted(sorted, 95) : 0,
    p99Ms: n ? percentileSorted(sorted, 99) : 0,
    hitRate: n ? hits / n : 0,
    staleRate: n ? stale / n : 0,
    callsPer1k: n ? (calls / n) * 1000 : 0,
    modelUtilization: server.busyMs / (config.durationS * 1000 * config.replicas),
  };
}
