/**
 * Pure views of drill attempts for the list, the drill page and its history: status, timing,
 * best score. Times are ms since the epoch; durations are ms.
 */
import type { DrillAttemptRecord } from '../storage';

export type AttemptStatus = 'in-progress' | 'awaiting-score' | 'scored';

/** In progress until submitted, then awaiting a (self-)score, then scored. */
export function attemptStatus(a: DrillAttemptRecord): AttemptStatus {
  if (a.finishedAt === undefined) return 'in-progress';
  return a.score === undefined ? 'awaiting-score' : 'scored';
}

/** Time spent: submit time (or `now` while in progress) minus start, ms. */
export function attemptDurationMs(a: DrillAttemptRecord, now: number): number {
  return Math.max(0, (a.finishedAt ?? now) - a.startedAt);
}

/** Time left on the clock at `now`, ms; negative once over time. The clock does not pause. */
export function remainingMs(a: DrillAttemptRecord, now: number): number {
  return a.timeLimitMs - attemptDurationMs(a, now);
}

/** True when the attempt ran (or is running) past its time limit. */
export function isOverTime(a: DrillAttemptRecord, now: number): boolean {
  return remainingMs(a, now) < 0;
}

/** The attempt still open for this drill (not yet scored), newest first; null if none. */
export function openAttempt(newestFirst: readonly DrillAttemptRecord[]): DrillAttemptRecord | null {
  return newestFirst.find((a) => attemptStatus(a) !== 'scored') ?? null;
}

export interface DrillStats {
  attempts: number;
  scored: number;
  /** The best scored attempt's score and maximum, or null when none is scored. */
  best: { score: number; max: number } | null;
}

/** Counts and best score over one drill's attempts. */
export function drillStats(attempts: readonly DrillAttemptRecord[]): DrillStats {
  let best: DrillStats['best'] = null;
  let scored = 0;
  for (const a of attempts) {
    if (a.score === undefined) continue;
    scored++;
    if (!best || a.score / a.maxScore > best.score / best.max)
      best = { score: a.score, max: a.maxScore };
  }
  return { attempts: attempts.length, scored, best };
}

/** Groups attempts by drill id. */
export function attemptsByDrill(
  all: readonly DrillAttemptRecord[],
): Map<string, DrillAttemptRecord[]> {
  const out = new Map<string, DrillAttemptRecord[]>();
  for (const a of all) out.set(a.drillId, [...(out.get(a.drillId) ?? []), a]);
  return out;
}

/** A countdown as "m:ss", with a minus sign once over time. */
export function formatClock(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const text = `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
  return ms < 0 ? `-${text}` : text;
}
