/** Types of the traffic simulator (traffic.ts). Times are simulated milliseconds. */
import type { RateShape } from './sim-rate';

export type TrafficConfig = RateShape & {
  /** The run's seed: a safe integer. */
  seed: number;
  /** Length of the run in simulated seconds (> 0). */
  durationSeconds: number;
  /** Number of distinct simulated users (ids 0..users-1). */
  users: number;
  /** Rows in the source pool the requests draw from (row indices 0..poolSize-1). */
  poolSize: number;
};

/** One request, struct-of-arrays for speed: entry i of every array belongs to request i. */
export type TrafficBatch = {
  count: number;
  /** Dense ids: 0 for the run's first request, in time order. */
  requestId: Float64Array;
  userId: Int32Array;
  /** Simulated arrival time, ms (fractional), non-decreasing. */
  timeMs: Float64Array;
  /** Index into the source pool. */
  row: Int32Array;
};

export type TrafficRequest = { requestId: number; userId: number; timeMs: number; row: number };

export interface Traffic {
  readonly config: Readonly<TrafficConfig>;
  /** Simulated length of a generation block, ms (a function of the config). */
  readonly blockMs: number;
  /** Simulated end of the run, ms. */
  readonly endMs: number;
  /** The id the next request will get. */
  readonly nextRequestId: number;
  /** True once every request of the run has been handed out. */
  readonly done: boolean;
  /** Up to `max` next requests (fewer at the end of the run); fresh arrays each call. */
  next(max: number): TrafficBatch;
  /**
   * Continues from the first request at or after `timeMs` (clamped to the run), exactly as if
   * the stream had been read up to there (same ids, times, users and rows).
   */
  jumpTo(timeMs: number): void;
}
