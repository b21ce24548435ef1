/**
 * The shapes ServingState hands to the Serve screen: where the endpoint stands, the playground's
 * log entries, what a load burst measured, the agreement check's rows, and the "last served"
 * record. Types only.
 */
import type { PredictResult } from '../engine/endpoint';
import type { RuntimeId } from '../protocol/serve';
import type { MetaValues } from '../storage';
import type { LatencySummary } from './serving-ops';

export type LastServed = MetaValues['lastServed'];

/** Where the endpoint stands. */
export type ServingStatus = 'stopped' | 'starting' | 'running' | 'failed';

/** The versions list: loading, read, or unreadable. */
export type VersionsStatus = 'loading' | 'ready' | 'error';

/** One answered (or refused) request, for the playground's log. */
export type LogEntry = {
  /** 1, 2, ... since the page opened. */
  seq: number;
  /** What was sent, in words (e.g. "drawn digit", "bad request: a NaN value"). */
  sent: string;
  result: PredictResult;
};

/** What a load burst measured. */
export type BurstResult = {
  /** Requests sent. */
  n: number;
  /** Requests answered with a prediction. */
  answered: number;
  /** Requests that failed (refused, runtime error, aborted). */
  failed: number;
  /** From the first request sent to the last answer, milliseconds. */
  wallMs: number;
  /** `answered / wall time`. */
  perSecond: number;
  /** End-to-end latency (queue + compute) of the answered requests. */
  latency: LatencySummary | null;
  /** Batches the burst ran in, by size. */
  batchSizes: Record<number, number>;
  /** Requests waiting in the queue right after the burst was sent. */
  peakQueueDepth: number;
  runtime: RuntimeId;
};

/** One runtime's agreement with the reference forward pass on the test split. */
export type AgreementRow = {
  runtime: RuntimeId;
  /** The runtime that ran (after any fallback); null when none started. */
  actualRuntime: RuntimeId | null;
  fallbackReason?: string;
  rows: number;
  maxAbsDiff: number;
  top1Agreement: number;
  ok: boolean;
  /** Why not OK, one sentence per limit broken (or the error). */
  problems: string[];
};
