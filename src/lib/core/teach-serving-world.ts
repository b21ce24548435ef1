/**
 * The simulated world behind the serving-patterns lesson: a seeded stream of requests for entity
 * keys with Zipf-like popularity, the moments each key's underlying value changes, one model
 * deploy, and the per-request service-time draws. Every pattern (online, batch, cache) is judged
 * on the SAME world, so differences between them come from the pattern alone.
 * Times are seconds since the start of the simulation unless a name ends in `Ms`.
 */
import { createRng, type Rng } from './rng';

/** The scenario. Each number is an assumption of the simulation, shown to the learner as such. */
export interface ServingWorldConfig {
  /** Seed of every draw (a safe integer). */
  seed: number;
  /** Distinct entity keys (users, items), >= 1. */
  keys: number;
  /** Zipf exponent s: key of popularity rank r is requested with probability ∝ 1 / r^s (>= 0). */
  zipfS: number;
  /** Mean request rate, requests per second (Poisson arrivals), > 0. */
  ratePerSec: number;
  /** Simulated duration, seconds, > 0. */
  durationS: number;
  /** Mean time between changes of one key's underlying value, seconds (Poisson), > 0. */
  meanChangeIntervalS: number;
  /** When a new model version replaces the old one, seconds (outside [0, durationS): never). */
  deployAtS: number;
  /** Model service time per call: log-normal with this median, ms, > 0 ... */
  modelMedianMs: number;
  /** ... and this sigma of the underlying normal (>= 0). */
  modelSigma: number;
  /** Model server replicas working in parallel (whole number >= 1). */
  replicas: number;
  /** Key-value store (cache or precomputed table) read time: log-normal median, ms, > 0 ... */
  lookupMedianMs: number;
  /** ... and sigma (>= 0). */
  lookupSigma: number;
}

/** The default scenario of the lesson widget. */
export const DEFAULT_SERVING_WORLD: ServingWorldConfig = {
  seed: 6,
  keys: 5000,
  zipfS: 1,
  ratePerSec: 100,
  durationS: 600,
  meanChangeIntervalS: 600,
  deployAtS: 300,
  modelMedianMs: 8,
  modelSigma: 0.4,
  replicas: 1,
  lookupMedianMs: 1,
  lookupSigma: 0.3,
};

/** A generated world. Arrays are indexed by request, in arrival order. */
export interface ServingWorld {
  config: ServingWorldConfig;
  /** Arrival time of each request, seconds, ascending. */
  arrivalS: Float64Array;
  /** Key of each request, 0 = most popular. */
  key: Int32Array;
  /** Service time this request would need if it called the model, ms. */
  modelMs: Float64Array;
  /** Time this request would need to read the key-value store, ms. */
  lookupMs: Float64Array;
  /** Change times of key k are `changeS[changeStart[k] .. changeStart[k + 1])`, ascending. */
  changeStart: Int32Array;
  changeS: Float64Array;
}

/** Problems with a config, one sentence each; empty when it is usable. */
export function servingWorldProblems(c: ServingWorldConfig): string[] {
  const out: string[] = [];
  const positive = (v: number) => Number.isFinite(v) && v > 0;
  const nonNegative = (v: number) => Number.isFinite(v) && v >= 0;
  if (!Number.isSafeInteger(c.seed)) out.push('the seed must be a whole number');
  if (!(Number.isInteger(c.keys) && c.keys >= 1)) out.push('keys must be a whole number >= 1');
  if (!(Number.isInteger(c.replicas) && c.replicas >= 1))
    out.push('replicas must be a whole number >= 1');
  for (const [name, v] of [
    ['the request rate', c.ratePerSec],
    ['the duration', c.durationS],
    ['the mean change interval', c.meanChangeIntervalS],
    ['the model median', c.modelMedianMs],
    ['the lookup median', c.lookupMedianMs],
  ] as const)
    if (!positive(v)) out.push(`${name} must be above 0`);
  for (const [name, v] of [
    ['the Zipf exponent', c.zipfS],
    ['the model sigma', c.modelSigma],
    ['the lookup sigma', c.lookupSigma],
  ] as const)
    if (!nonNegative(v)) out.push(`${name} must be 0 or more`);
  if (Number.isNaN(c.deployAtS)) out.push('the deploy time must be a number');
  if (positive(c.ratePerSec) && positive(c.durationS) && c.ratePerSec * c.durationS > 2_000_000)
    out.push('rate × duration must stay at most 2,000,000 requests');
  return out;
}

/** Exponential draw with the given mean (inverse transform of a uniform in (0, 1]). */
function exponential(rng: Rng, mean: number): number {
  return -Math.log(1 - rng.next()) * mean;
}

/** Cumulative Zipf probabilities over ranks 0..n-1 (last entry exactly 1). */
export function zipfCdf(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) total += 1 / Math.pow(r + 1, s);
  let acc = 0;
  for (let r = 0; r < n; r++) {
    acc += 1 / Math.pow(r + 1, s) / total;
    cdf[r] = acc;
  }
  cdf[n - 1] = 1;
  return cdf;
}

/** Smallest index whose cdf value exceeds u (binary search). */
function sampleCdf(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Builds the world from its config. Separate seeded streams for arrivals, keys, service times
 * and value changes, so changing one part of the scenario leaves the others' draws alone.
 * @throws Error listing the problems of an unusable config.
 */
export function createServingWorld(config: ServingWorldConfig): ServingWorld {
  const problems = servingWorldProblems(config);
  if (problems.length) throw new Error(`Serving scenario: ${problems.join('; ')}.`);
  const c = { ...config };
  const arrivals = createRng(c.seed);
  const keys = createRng(c.seed + 1);
  const timing = createRng(c.seed + 2);
  const changes = createRng(c.seed + 3);

  const times: number[] = [];
  for (let t = exponential(arrivals, 1 / c.ratePerSec); t < c.durationS;) {
    times.push(t);
    t += exponential(arrivals, 1 / c.ratePerSec);
  }
  const n = times.length;
  const cdf = zipfCdf(c.keys, c.zipfS);
  const key = new Int32Array(n);
  const modelMs = new Float64Array(n);
  const lookupMs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    key[i] = sampleCdf(cdf, keys.next());
    modelMs[i] = c.modelMedianMs * Math.exp(c.modelSigma * timing.normal());
    lookupMs[i] = c.lookupMedianMs * Math.exp(c.lookupSigma * timing.normal());
  }

  const changeStart = new Int32Array(c.keys + 1);
  const changeList: number[] = [];
  for (let k = 0; k < c.keys; k++) {
    changeStart[k] = changeList.length;
    for (let t = exponential(changes, c.meanChangeIntervalS); t < c.durationS;) {
      changeList.push(t);
      t += exponential(changes, c.meanChangeIntervalS);
    }
  }
  changeStart[c.keys] = changeList.length;
  return {
    config: c,
    arrivalS: Float64Array.from(times),
    key,
    modelMs,
    lookupMs,
    changeStart,
    changeS: Float64Array.from(changeList),
  };
}

/** How many times key `k`'s value has changed at or before time `t` (its value's version). */
export function valueVersionAt(world: ServingWorld, k: number, t: number): number {
  let lo = world.changeStart[k];
  let hi = world.changeStart[k + 1];
  const first = lo;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (world.changeS[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - first;
}

/** The model version serving at time `t`: 1 before the deploy, 2 from it on. */
export function modelVersionAt(world: ServingWorld, t: number): number {
  const d = world.config.deployAtS;
  return d >= 0 && d < world.config.durationS && t >= d ? 2 : 1;
}
