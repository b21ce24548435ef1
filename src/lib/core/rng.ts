/**
 * Seeded randomness for everything the app must reproduce (splits, shuffles, initialisation,
 * simulated traffic). The unseeded global generator is never used: a run is only replayable when every draw comes
 * from a generator built from a recorded seed.
 */

/** A deterministic pseudo-random generator. Two generators made from the same seed agree forever. */
export interface Rng {
  /** A float in [0, 1), in steps of 2^-32. */
  next(): number;
  /** An unsigned 32-bit integer in [0, 2^32). */
  uint32(): number;
  /** An integer in [0, n) without modulo bias. `n` is an integer in [1, 2^32]. */
  int(n: number): number;
  /** A standard normal draw (mean 0, standard deviation 1), Box-Muller. */
  normal(): number;
}

const TWO_POW_32 = 4294967296;

/** splitmix32 finaliser: spreads a small seed (0, 1, 2...) over all 32 bits before sfc32 sees it. */
function mix32(z: number): number {
  z = (z + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/**
 * Builds a generator (sfc32 core, 128-bit state) from an integer seed.
 * @param seed any safe integer (negative allowed); high and low 32-bit halves both count, so
 *   seeds that differ only above bit 32 still give different streams.
 * @throws Error when the seed is not a safe integer.
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`rng seed must be a safe integer, got ${seed}`);
  }
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_POW_32) >>> 0;
  let a = mix32(lo);
  let b = mix32(a ^ hi);
  let c = mix32(b ^ 0x5bd1e995);
  let d = mix32(c ^ lo);
  let spare: number | null = null;

  function uint32(): number {
    // sfc32 by Chris Doty-Humphrey; a counter in d guarantees a minimum period of 2^32.
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  }
  // The first outputs of a freshly seeded sfc32 are correlated with the seed words.
  for (let i = 0; i < 12; i++) uint32();

  const next = (): number => uint32() / TWO_POW_32;

  return {
    next,
    uint32,
    int(n: number): number {
      if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
        throw new Error(`rng.int(n) needs an integer n in [1, 2^32], got ${n}`);
      }
      // Reject the top sliver that would make some residues more likely than others.
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      let u = uint32();
      while (u >= limit) u = uint32();
      return u % n;
    },
    normal(): number {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      const u1 = 1 - next(); // (0, 1]: log(0) would be -Infinity
      const u2 = next();
      const r = Math.sqrt(-2 * Math.log(u1));
      spare = r * Math.sin(2 * Math.PI * u2);
      return r * Math.cos(2 * Math.PI * u2);
    },
  };
}

/** A mutable array-like: plain arrays and every typed array. */
export type MutableArrayLike<T> = { length: number; [index: number]: T };

/**
 * Fisher-Yates shuffle in place; every permutation is equally likely. Returns the same array.
 * Uses exactly `length - 1` calls of `rng.int`, so the stream position afterwards is predictable.
 */
export function shuffleInPlace<A extends MutableArrayLike<unknown>>(array: A, rng: Rng): A {
  for (let i = array.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}

const encoder = new TextEncoder();

/**
 * A 32-bit unsigned hash of a string's UTF-8 bytes (FNV-1a, then a murmur3 finaliser so that
 * ids differing in one character land far apart). For seeding by id, not for security.
 * @returns an integer in [0, 2^32).
 */
export function hashString(s: string): number {
  const bytes = encoder.encode(s);
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h = Math.imul(h ^ bytes[i], 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
