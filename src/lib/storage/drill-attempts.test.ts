import { describe, expect, it } from 'vitest';
import { openTestDb } from '../../../tests/fixtures/storage/helpers';
import {
  deleteDrillAttempt,
  getDrillAttempt,
  listDrillAttempts,
  saveDrillAttempt,
} from './drill-attempts';
import { StorageError } from './errors';
import { clearWorkspace } from './reset';
import type { DrillAttemptRecord } from './v5-records';

function attempt(id: string, drillId: string, startedAt: number): DrillAttemptRecord {
  return {
    id,
    drillId,
    kind: 'design',
    startedAt,
    timeLimitMs: 900_000,
    answers: { requirements: 'p99 under 100 ms' },
    rubricScores: {},
    maxScore: 14,
    modelAnswerRevealed: false,
  };
}

describe('drill attempts repository', () => {
  it('saves, lists per drill newest first, reads and deletes', async () => {
    const db = await openTestDb();
    await saveDrillAttempt(db, attempt('a', 'recs', 1000));
    await saveDrillAttempt(db, attempt('b', 'recs', 3000));
    await saveDrillAttempt(db, attempt('c', 'fraud', 2000));
    expect((await listDrillAttempts(db, 'recs')).map((a) => a.id)).toEqual(['b', 'a']);
    expect((await listDrillAttempts(db)).map((a) => a.id)).toEqual(['b', 'c', 'a']);
    expect(await getDrillAttempt(db, 'c')).toEqual(attempt('c', 'fraud', 2000));
    await deleteDrillAttempt(db, 'a');
    await deleteDrillAttempt(db, 'missing');
    expect((await listDrillAttempts(db, 'recs')).map((a) => a.id)).toEqual(['b']);
    await clearWorkspace(db);
    expect(await listDrillAttempts(db)).toEqual([]);
  });

  it('replaces an attempt saved again (autosave, then the score)', async () => {
    const db = await openTestDb();
    await saveDrillAttempt(db, attempt('a', 'recs', 1000));
    const scored = {
      ...attempt('a', 'recs', 1000),
      answers: { requirements: 'longer text' },
      finishedAt: 5000,
      rubricScores: { sizing: 2, 'trade-offs': 1 },
      score: 3,
      modelAnswerRevealed: true,
    };
    await saveDrillAttempt(db, scored);
    expect(await listDrillAttempts(db, 'recs')).toEqual([scored]);
  });

  it('refuses a malformed attempt with the field and writes nothing', async () => {
    const db = await openTestDb();
    await saveDrillAttempt(db, attempt('a', 'recs', 1000));
    const cases: [Partial<DrillAttemptRecord> | Record<string, unknown>, RegExp][] = [
      [{ score: 20 }, /attempt\.score: 20 is outside 0\.\.14/],
      [{ finishedAt: 10 }, /attempt\.finishedAt: before startedAt/],
      [{ kind: 'essay' }, /attempt\.kind/],
      [{ answers: { requirements: 7 } }, /attempt\.answers\.requirements/],
    ];
    for (const [patch, message] of cases) {
      const bad = { ...attempt('a', 'recs', 1000), ...patch } as DrillAttemptRecord;
      const err = await saveDrillAttempt(db, bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect((err as Error).message).toMatch(message);
    }
    expect(await getDrillAttempt(db, 'a')).toEqual(attempt('a', 'recs', 1000));
  });
});
