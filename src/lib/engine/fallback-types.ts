/**
 * What the fallback chain (fallback.ts) is given and answers: its links, its options, and the
 * answer for a request or a batch, with every attempt made on the way.
 */
import type { FallbackPolicy, LinkHealth, LinkOutcome } from '../core/fallback';
import type { RequestLedger } from '../core/prediction-log';
import type { PredictResult } from './endpoint-types';

/** One link of the chain: an endpoint, or anything else that answers like one. */
export interface FallbackLink {
  /** Shown on the dashboard, e.g. 'int8 champion'. */
  readonly name: string;
  /** Recorded in the ledger for the requests this link answers. */
  readonly versionId: string;
  /** Never rejects (a rejection counts as an error); should stop early when `signal` aborts. */
  predict(input: unknown, options: { signal?: AbortSignal }): Promise<PredictResult>;
  /**
   * Optional batch path (for the simulator): probabilities `[rows, nClasses]` for rows the
   * caller has already validated; throws when the link fails. Without it, `predictBatch` skips
   * this link.
   */
  predictRows?(x: Float32Array, rows: number, signal: AbortSignal): Promise<Float32Array>;
}

/** What `predictBatch` answers: per row, the probabilities and the link that gave them. */
export type FallbackBatchAnswer = {
  /** `[rows, nClasses]`; a row no link answered is NaN. */
  probabilities: Float32Array;
  /** Per row, the answering link's index, or -1. */
  link: Int8Array;
  /** Per row, what the ledger recorded (a versionId, or FAILED_VERSION). */
  recordedAs: string[];
  /** The batch's attempts, in order; `rows` is how many rows each attempt carried. */
  attempts: (FallbackAttempt & { rows: number })[];
  /** From the call to the answer, retries included, ms. */
  roundTripMs: number;
};

/** Recorded in the ledger for a request no link answered with a prediction. */
export const REFUSED_VERSION = '(refused)';
export const FAILED_VERSION = '(failed)';

export type FallbackAttempt = {
  link: number;
  outcome: LinkOutcome;
  /** Why it failed (absent when ok). */
  reason?: string;
  /** From the attempt's start to its outcome, ms. */
  ms: number;
};

export type FallbackAnswer = {
  requestId: number;
  /** The answering link's prediction, or the last failure (for a refusal: the refusal). */
  result: PredictResult;
  /** The link that answered, or null. */
  link: number | null;
  /** What the ledger recorded: the link's versionId, REFUSED_VERSION or FAILED_VERSION. */
  recordedAs: string;
  attempts: FallbackAttempt[];
  /** From `predict` to the answer, retries included, ms. */
  latencyMs: number;
};

export type FallbackChainOptions = {
  /** In order of preference (at least one). */
  links: readonly FallbackLink[];
  /** Classes per answer: the validity check's row width. */
  nClasses: number;
  /** A valid input for background probes of a link that is down (e.g. `probeRow(schema)`). */
  probeInput: unknown;
  policy?: Partial<FallbackPolicy>;
  /** Where request ids are recorded (default: a new one; see `ledger`). */
  ledger?: RequestLedger;
  /** Monotonic clock, ms (default `performance.now`). */
  now?: () => number;
  /** Called after a link goes down or comes back up. */
  onHealthChange?: (link: number, health: LinkHealth) => void;
};
