/**
 * Random building blocks of the traffic simulator: independent seeded sub-streams (one per time
 * block or per request, so that a run can be entered at any time and still replays exactly) and
 * a Poisson sampler. All draws come from `createRng`; the unseeded global generator is never used.
 */
import { createRng, hashString, type Rng } from './rng';
import { logGamma, normalPpf } from './stats-special';

const TWO_POW_32 = 4294967296;
/** Bits of the stream tag kept above the 32-bit index, so that the seed stays a safe integer. */
const TAG_MASK = 0x1fffff;

/**
 * A seed for sub-stream `index` of stream `name` under `seed`: the high 21 bits hash
 * (seed, name), the low 32 bits are the index. `createRng` mixes both halves, so neighbouring
 * indices give unrelated generators.
 * @param seed the run's seed, a safe integer.
 * @param name the stream's name ('traffic', 'request', ...).
 * @param index an integer in [0, 2^32).
 */
export function subSeed(seed: number, name: string, index: number): number {
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer, got ${seed}`);
  if (!(Number.isInteger(index) && index >= 0 && index < TWO_POW_32)) {
    throw new Error(`sub-stream index must be an integer in [0, 2^32), got ${index}`);
  }
  return (hashString(`${seed}:${name}`) & TAG_MASK) * TWO_POW_32 + index;
}

/**
 * A factory of per-request generators: `forRequest(id)` always gives the same stream for the
 * same (seed, name, id), whatever happened before, so jumping into a run reproduces the draws
 * of the requests after the jump (noise, relabelling, label delays).
 */
export function requestRngs(seed: number, name = 'request'): (requestId: number) => Rng {
  const tag = subSeed(seed, name, 0);
  return (requestId: number): Rng => {
    if (!(Number.isInteger(requestId) && requestId >= 0 && requestId < TWO_POW_32)) {
      throw new Error(`request id must be an integer in [0, 2^32), got ${requestId}`);
    }
    return createRng(tag + requestId);
  };
}

/**
 * One Poisson draw: Knuth's product of uniforms below mean 10, Hörmann's PTRS (transformed
 * rejection with squeeze, as numpy's `random_poisson_ptrs`) at and above it. Exact, not an
 * approximation, and O(1) expected draws for large means.
 * @param mean expected count, finite and >= 0.
 * @returns a non-negative integer.
 */
export function poisson(rng: Rng, mean: number): number {
  if (!(mean >= 0 && mean < Infinity)) throw new Error(`poisson: bad mean ${mean}`);
  if (mean === 0) return 0;
  if (mean < 10) {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = rng.next();
    while (p > limit) {
      k++;
      p *= rng.next();
    }
    return k;
  }
  const slam = Math.sqrt(mean);
  const loglam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const U = rng.next() - 0.5;
    const V = rng.next();
    const us = 0.5 - Math.abs(U);
    const k = Math.floor(((2 * a) / us + b) * U + mean + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    const lhs = Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b);
    if (lhs <= -mean + k * loglam - logGamma(k + 1)) return k;
  }
}

let normal16: Float32Array | null = null;

/**
 * Standard normal quantiles at the 65,536 midpoints (h + 0.5) / 65536, built on first use
 * (about 10 ms): `table[h]` for a uniform 16-bit h is a normal draw cut at +-4.33 standard
 * deviations, with probability steps of 1/65536. Two draws per 32-bit number, a table read
 * each: fast enough for 64 noisy pixels per request on a million requests.
 */
export function normalTable16(): Float32Array {
  return (normal16 ??= Float32Array.from({ length: 65536 }, (_, h) =>
    normalPpf((h + 0.5) / 65536),
  ));
}
