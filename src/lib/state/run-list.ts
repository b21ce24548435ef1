/**
 * Light helpers for run lists: ids, list items without the large arrays, and runs left 'running'
 * by a page that is gone. Kept apart from run-record.ts so that the app's first paint does not
 * load the metrics and the model codec.
 */
import type { RunRecord } from '../storage';

/** A run as the runs table holds it: everything except the large weights and predictions. */
export type RunListItem = Omit<RunRecord, 'weights' | 'evaluation'>;

/** Reason given to a run that was still 'running' when its page went away. */
export const INTERRUPTED_REASON = 'interrupted: the page was closed or reloaded during training';

/**
 * A new run id: `run-<ms since epoch>-<6 hex characters>`, sortable by time and unique enough
 * for one learner's runs. `uuid` defaults to `crypto.randomUUID()`.
 */
export function newRunId(now: number, uuid: string = crypto.randomUUID()): string {
  return `run-${now}-${uuid.replace(/-/g, '').slice(0, 6)}`;
}

/** The short form of a run id (its random suffix), used as a chart label. */
export function shortRunId(id: string): string {
  const m = /^run-\d+-([0-9a-z]+)$/i.exec(id);
  return m ? m[1] : id.slice(-6);
}

/** True for a record left 'running' by a page that is gone (it started before this page loaded). */
export function isInterrupted(
  run: Pick<RunRecord, 'status' | 'createdAt'>,
  pageLoadedAt: number,
): boolean {
  return run.status === 'running' && run.createdAt < pageLoadedAt;
}

/** A run left 'running' by a closed page, marked failed. */
export function interruptedRecord(run: RunRecord, now: number): RunRecord {
  return { ...run, status: 'failed', finishedAt: now, failureReason: INTERRUPTED_REASON };
}

/** The record without its weights and predictions, for lists. */
export function listItem(run: RunRecord): RunListItem {
  const { weights: _weights, evaluation: _evaluation, ...item } = run;
  return item;
}
