/**
 * Whether the learner ran an incident drill's simulation in the Operate lab: grading requires a
 * saved Operate session of the drill's own traffic and drift (thresholds may differ: tuning
 * alerts is part of investigating) that reached at least one window past the onset, so the
 * findings come from what the learner saw. Pure; times are simulated ms.
 */
import type { IncidentDrill } from '../lessons/drills-types';
import type { SimSessionRecord } from '../storage/v5-records';

/** JSON with object keys sorted at every level, so equal values give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The parts of a spec that decide what happens in the run. */
function identity(spec: Record<string, unknown>): string {
  const { dataset, seed, requestsPerSecond, durationSeconds, windowMinutes, scenarios } = spec;
  return canonical({ dataset, seed, requestsPerSecond, durationSeconds, windowMinutes, scenarios });
}

/** The furthest simulated time any saved session of this drill's simulation reached, or null. */
export function drillSimReachedMs(
  drill: IncidentDrill,
  sessions: readonly SimSessionRecord[],
): number | null {
  const want = identity(drill.operate as unknown as Record<string, unknown>);
  let best: number | null = null;
  for (const s of sessions) if (identity(s.spec) === want) best = Math.max(best ?? 0, s.simTimeMs);
  return best;
}

/** Simulated time the run must reach before the findings can be graded: one window past the onset. */
export function requiredSimMs(drill: IncidentDrill): number {
  return drill.answer.onsetMs + drill.answer.toleranceMs;
}
