import { describe, expect, it } from 'vitest';
import type { DrillAttemptRecord } from '../storage';
import {
  attemptDurationMs,
  attemptStatus,
  attemptsByDrill,
  drillStats,
  formatClock,
  isOverTime,
  openAttempt,
  remainingMs,
} from './drills-history';

function attempt(patch: Partial<DrillAttemptRecord> = {}): DrillAttemptRecord {
  return {
    id: 'a',
    drillId: 'd',
    kind: 'design',
    startedAt: 1_000_000,
    timeLimitMs: 600_000,
    answers: {},
    rubricScores: {},
    maxScore: 10,
    modelAnswerRevealed: false,
    ...patch,
  };
}

describe('drill attempt views', () => {
  it('walks in progress -> awaiting score -> scored', () => {
    expect(attemptStatus(attempt())).toBe('in-progress');
    expect(attemptStatus(attempt({ finishedAt: 1_100_000 }))).toBe('awaiting-score');
    expect(attemptStatus(attempt({ finishedAt: 1_100_000, score: 4 }))).toBe('scored');
  });

  it('counts time on the wall clock and marks over time without losing anything', () => {
    const open = attempt();
    expect(attemptDurationMs(open, 1_300_000)).toBe(300_000);
    expect(remainingMs(open, 1_300_000)).toBe(300_000);
    expect(isOverTime(open, 1_600_000)).toBe(false);
    expect(isOverTime(open, 1_600_001)).toBe(true);
    const done = attempt({ finishedAt: 1_700_000 });
    expect(attemptDurationMs(done, 9_999_999)).toBe(700_000);
    expect(isOverTime(done, done.finishedAt!)).toBe(true);
    expect(formatClock(65_000)).toBe('1:05');
    expect(formatClock(-5_900)).toBe('-0:05');
  });

  it('finds the open attempt and the best score by share of the maximum', () => {
    const list = [
      attempt({ id: 'c', startedAt: 3, finishedAt: 4, score: 6, maxScore: 10 }),
      attempt({ id: 'b', startedAt: 2 }),
      attempt({ id: 'a', startedAt: 1, finishedAt: 2, score: 7, maxScore: 14 }),
    ];
    expect(openAttempt(list)?.id).toBe('b');
    expect(openAttempt([list[0]])).toBeNull();
    expect(drillStats(list)).toEqual({ attempts: 3, scored: 2, best: { score: 6, max: 10 } });
    expect(drillStats([])).toEqual({ attempts: 0, scored: 0, best: null });
    const grouped = attemptsByDrill([
      attempt({ drillId: 'x' }),
      attempt({ drillId: 'y' }),
      attempt({ drillId: 'x' }),
    ]);
    expect([...grouped].map(([k, v]) => [k, v.length])).toEqual([
      ['x', 2],
      ['y', 1],
    ]);
  });
});
