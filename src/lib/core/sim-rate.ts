/**
 * The traffic simulator's request rate over simulated time: a base rate with daily seasonality
 * (a cosine with its peak at a chosen hour) times burst multipliers. Times are simulated
 * milliseconds since midnight of day 0; rates are requests per simulated second.
 */

/** A burst: from `atSecond` (after the run's start) for `durationSeconds`, rate x `multiplier`. */
export type Burst = { atSecond: number; durationSeconds: number; multiplier: number };

export type RateShape = {
  /** Mean base rate, requests per simulated second (> 0). */
  ratePerSecond: number;
  /** Simulated time of the run's start, ms since midnight of day 0 (default 0). */
  startTimeMs?: number;
  /**
   * Daily seasonality: rate x (1 + dailyAmplitude cos(2 pi (hour - peakHour) / 24)).
   * dailyAmplitude in [0, 1]; peakHour in [0, 24), default 14 (2 pm).
   */
  seasonality?: { dailyAmplitude: number; peakHour?: number };
  /** Overlapping bursts multiply. */
  bursts?: Burst[];
};

export const DAY_MS = 86_400_000;
const OMEGA = (2 * Math.PI) / DAY_MS; // radians per simulated ms

/** Piecewise-constant burst multiplier: `edges[i]` starts a piece of multiplier `mult[i]`. */
export type BurstPieces = { edges: number[]; mult: number[] };

/** Checks a rate shape; throws with the field that is wrong. */
export function checkRateShape(shape: RateShape): void {
  const { ratePerSecond: r, startTimeMs = 0, seasonality, bursts = [] } = shape;
  if (!(r > 0 && r < Infinity)) throw new Error(`ratePerSecond must be > 0, got ${r}`);
  if (!Number.isFinite(startTimeMs)) throw new Error(`startTimeMs must be finite`);
  const amp = seasonality?.dailyAmplitude ?? 0;
  if (!(amp >= 0 && amp <= 1)) throw new Error(`dailyAmplitude must be in [0, 1], got ${amp}`);
  const peak = seasonality?.peakHour ?? 14;
  if (!(peak >= 0 && peak < 24)) throw new Error(`peakHour must be in [0, 24), got ${peak}`);
  bursts.forEach((b, i) => {
    if (!Number.isFinite(b.atSecond)) throw new Error(`bursts[${i}].atSecond must be finite`);
    if (!(b.durationSeconds > 0 && b.durationSeconds < Infinity)) {
      throw new Error(`bursts[${i}].durationSeconds must be > 0, got ${b.durationSeconds}`);
    }
    if (!(b.multiplier >= 0 && b.multiplier < Infinity)) {
      throw new Error(`bursts[${i}].multiplier must be >= 0, got ${b.multiplier}`);
    }
  });
}

/** The burst multiplier as pieces over the whole time line (multiplier 1 outside bursts). */
export function burstPieces(shape: RateShape): BurstPieces {
  const start = shape.startTimeMs ?? 0;
  const spans = (shape.bursts ?? []).map((b) => ({
    from: start + b.atSecond * 1000,
    to: start + (b.atSecond + b.durationSeconds) * 1000,
    m: b.multiplier,
  }));
  const edges = [-Infinity, ...new Set(spans.flatMap((s) => [s.from, s.to]))].sort((a, b) => a - b);
  const mult = edges.map((e) => spans.reduce((m, s) => (e >= s.from && e < s.to ? m * s.m : m), 1));
  return { edges, mult };
}

/** Index of the piece holding time t (binary search). */
function pieceAt(p: BurstPieces, t: number): number {
  let lo = 0;
  let hi = p.edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (p.edges[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const amplitude = (s: RateShape): number => s.seasonality?.dailyAmplitude ?? 0;
const peakMs = (s: RateShape): number => ((s.seasonality?.peakHour ?? 14) * DAY_MS) / 24;

/** The instantaneous rate at simulated time t (ms), requests per simulated second. */
export function rateAt(shape: RateShape, t: number, pieces = burstPieces(shape)): number {
  const season = 1 + amplitude(shape) * Math.cos(OMEGA * (t - peakMs(shape)));
  return shape.ratePerSecond * season * pieces.mult[pieceAt(pieces, t)];
}

/**
 * Expected number of requests in [t1, t2) (ms): the integral of the rate, exact (the cosine
 * integrates in closed form; bursts are constant pieces).
 */
export function expectedCount(
  shape: RateShape,
  t1: number,
  t2: number,
  pieces = burstPieces(shape),
): number {
  if (!(t2 > t1)) return 0;
  const a = amplitude(shape);
  const p = peakMs(shape);
  const seasonal = (x: number, y: number): number =>
    (y - x + (a / OMEGA) * (Math.sin(OMEGA * (y - p)) - Math.sin(OMEGA * (x - p)))) / 1000;
  let total = 0;
  for (let i = pieceAt(pieces, t1); i < pieces.edges.length; i++) {
    const from = Math.max(t1, pieces.edges[i]);
    const to = Math.min(t2, i + 1 < pieces.edges.length ? pieces.edges[i + 1] : Infinity);
    if (from >= t2) break;
    if (to > from && pieces.mult[i] > 0) total += pieces.mult[i] * seasonal(from, to);
  }
  return shape.ratePerSecond * total;
}

/** An upper bound of the rate on [t1, t2] (the exact maximum of the cosine, the largest burst). */
export function maxRate(
  shape: RateShape,
  t1: number,
  t2: number,
  pieces = burstPieces(shape),
): number {
  const p = peakMs(shape);
  const th1 = OMEGA * (t1 - p);
  const th2 = OMEGA * (t2 - p);
  const k = Math.ceil(th1 / (2 * Math.PI));
  const cosMax = 2 * Math.PI * k <= th2 ? 1 : Math.max(Math.cos(th1), Math.cos(th2));
  let m = 0;
  for (let i = pieceAt(pieces, t1); i < pieces.edges.length && pieces.edges[i] <= t2; i++) {
    m = Math.max(m, pieces.mult[i]);
  }
  return shape.ratePerSecond * (1 + amplitude(shape) * cosMax) * m;
}
