/**
 * Seeded, time-compressed production traffic: a non-homogeneous Poisson process over simulated
 * time (daily seasonality and bursts, sim-rate.ts), driven by timestamps and never by timers, so
 * a simulated week runs as fast as the machine allows and the same seed gives the same stream.
 *
 * How it is drawn: simulated time is cut into blocks of `blockMs`; block b has its own generator
 * (`subSeed(seed, 'traffic', b)`). Its first draw is the block's count, Poisson with mean the
 * integral of the rate over the block; the arrival times are then placed by thinning (uniform
 * candidates accepted with probability rate(t) / max rate on the block) and sorted, which is a
 * Poisson process with that rate given the count. Then per request: a user (uniform over
 * `users`) and a pool row (uniform over `poolSize`; prior shift re-draws it, see scenarios.ts).
 * Because blocks are independent, `jumpTo(t)` only needs each earlier block's count (one
 * Poisson draw per block), and request ids stay dense (0, 1, 2, ...) across a jump.
 */
import { createRng } from './rng';
import { poisson, subSeed } from './sim-random';
import { burstPieces, checkRateShape, expectedCount, maxRate, rateAt } from './sim-rate';
import type { Traffic, TrafficBatch, TrafficConfig, TrafficRequest } from './sim-traffic-types';

export type { Burst } from './sim-rate';
export type { Traffic, TrafficBatch, TrafficConfig, TrafficRequest } from './sim-traffic-types';
export { rateAt, expectedCount, DAY_MS } from './sim-rate';

/** Expected requests per block at the peak base rate; bounds memory and sort cost per block. */
const TARGET_PER_BLOCK = 2048;

function checkConfig(c: TrafficConfig): void {
  checkRateShape(c);
  if (!Number.isSafeInteger(c.seed)) throw new Error(`seed must be a safe integer, got ${c.seed}`);
  if (!(c.durationSeconds > 0 && c.durationSeconds < Infinity)) {
    throw new Error(`durationSeconds must be > 0, got ${c.durationSeconds}`);
  }
  for (const [name, v] of [
    ['users', c.users],
    ['poolSize', c.poolSize],
  ] as const) {
    if (!(Number.isInteger(v) && v >= 1))
      throw new Error(`${name} must be an integer >= 1, got ${v}`);
  }
}

/**
 * Creates the request stream of a run.
 * @throws Error naming the field when the config is invalid.
 */
export function createTraffic(config: TrafficConfig): Traffic {
  checkConfig(config);
  const cfg = { ...config };
  const pieces = burstPieces(cfg);
  const start = cfg.startTimeMs ?? 0;
  const endMs = start + cfg.durationSeconds * 1000;
  const peak = cfg.ratePerSecond * (1 + (cfg.seasonality?.dailyAmplitude ?? 0));
  const blockMs = 1000 * Math.min(3600, Math.max(1, Math.floor(TARGET_PER_BLOCK / peak)));
  const blocks = Math.ceil((endMs - start) / blockMs);
  const bounds = (b: number): [number, number] => [
    start + b * blockMs,
    Math.min(endMs, start + (b + 1) * blockMs),
  ];
  const blockRng = (b: number) => createRng(subSeed(cfg.seed, 'traffic', b));
  const countOf = (b: number, rng = blockRng(b)): number => {
    const [t1, t2] = bounds(b);
    return poisson(rng, expectedCount(cfg, t1, t2, pieces));
  };

  /** prefix[b]: requests before block b (each block's count is its generator's first draw). */
  const prefix = [0];
  // The current block, fully drawn.
  let block = -1;
  let times = new Float64Array(0);
  let users = new Int32Array(0);
  let rows = new Int32Array(0);
  let pos = 0;
  let firstId = 0; // request id of the block's first request
  let nextBlockFirstId = 0;

  function load(b: number, idOfFirst: number): void {
    block = b;
    pos = 0;
    firstId = idOfFirst;
    if (b >= blocks) {
      times = new Float64Array(0);
      nextBlockFirstId = idOfFirst;
      return;
    }
    const rng = blockRng(b);
    const n = countOf(b, rng);
    const [t1, t2] = bounds(b);
    const bound = maxRate(cfg, t1, t2, pieces);
    const span = t2 - t1;
    times = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let t: number;
      do t = t1 + rng.next() * span;
      while (rng.next() * bound >= rateAt(cfg, t, pieces));
      times[i] = t;
    }
    times.sort();
    users = new Int32Array(n);
    rows = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      users[i] = rng.int(cfg.users);
      rows[i] = rng.int(cfg.poolSize);
    }
    nextBlockFirstId = idOfFirst + n;
    if (prefix.length === b + 1) prefix.push(nextBlockFirstId);
  }
  /** Skips exhausted (or empty) blocks, so that `done` is exact. */
  function settle(): void {
    while (block < blocks && pos >= times.length) load(block + 1, nextBlockFirstId);
  }
  function firstIdOf(b: number): number {
    for (let j = prefix.length - 1; j < b; j++) prefix.push(prefix[j] + countOf(j));
    return prefix[b];
  }

  load(0, 0);
  settle();
  return {
    config: cfg,
    blockMs,
    endMs,
    get nextRequestId() {
      return firstId + pos;
    },
    get done() {
      return block >= blocks;
    },
    next(max: number): TrafficBatch {
      if (!(Number.isInteger(max) && max >= 1))
        throw new Error(`next(max): max must be an integer >= 1, got ${max}`);
      const out = {
        requestId: new Float64Array(max),
        userId: new Int32Array(max),
        timeMs: new Float64Array(max),
        row: new Int32Array(max),
      };
      let k = 0;
      while (k < max && block < blocks) {
        settle();
        if (block >= blocks) break;
        const take = Math.min(max - k, times.length - pos);
        for (let i = 0; i < take; i++) out.requestId[k + i] = firstId + pos + i;
        out.timeMs.set(times.subarray(pos, pos + take), k);
        out.userId.set(users.subarray(pos, pos + take), k);
        out.row.set(rows.subarray(pos, pos + take), k);
        pos += take;
        k += take;
      }
      settle();
      return {
        count: k,
        requestId: out.requestId.subarray(0, k),
        userId: out.userId.subarray(0, k),
        timeMs: out.timeMs.subarray(0, k),
        row: out.row.subarray(0, k),
      };
    },
    jumpTo(timeMs: number): void {
      if (Number.isNaN(timeMs)) throw new Error('jumpTo: time is NaN');
      const t = Math.min(endMs, Math.max(start, timeMs));
      const b = Math.min(blocks, Math.floor((t - start) / blockMs));
      load(b, firstIdOf(b));
      while (pos < times.length && times[pos] < t) pos++;
      settle();
    },
  };
}

/** The requests of a stream one by one (convenient; `next(batch)` is faster for long runs). */
export function* requests(traffic: Traffic, batchSize = 4096): Generator<TrafficRequest> {
  while (!traffic.done) {
    const b = traffic.next(batchSize);
    for (let i = 0; i < b.count; i++) {
      yield { requestId: b.requestId[i], userId: b.userId[i], timeMs: b.timeMs[i], row: b.row[i] };
    }
  }
}
