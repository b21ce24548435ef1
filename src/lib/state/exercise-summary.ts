import type { ExerciseEvent } from '../storage';

/** What the learner has done in one exercise, derived from its append-only events. */
export interface ExerciseSummary {
  attempts: number;
  hintsUsed: number;
  solutionRevealed: boolean;
  passed: boolean;
  /** ms since epoch of the latest event. */
  lastAt: number;
}

/** Folds all events into one summary per exercise id (one pass, no queries per exercise). */
export function summarizeEvents(events: readonly ExerciseEvent[]): Map<string, ExerciseSummary> {
  const out = new Map<string, ExerciseSummary>();
  for (const e of events) {
    const s = out.get(e.exerciseId) ?? {
      attempts: 0,
      hintsUsed: 0,
      solutionRevealed: false,
      passed: false,
      lastAt: 0,
    };
    if (e.kind === 'check') {
      s.attempts += 1;
      if (e.passed) s.passed = true;
    } else if (e.kind === 'hint') s.hintsUsed += 1;
    else s.solutionRevealed = true;
    s.lastAt = Math.max(s.lastAt, e.at);
    out.set(e.exerciseId, s);
  }
  return out;
}
