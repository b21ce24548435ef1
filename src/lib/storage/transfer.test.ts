import { describe, expect, it } from 'vitest';
import { openTestDb } from '../../../tests/fixtures/storage/helpers';
import { learnerDb, roundTrip, snapshot, T0 } from '../../../tests/fixtures/storage/learner';
import { getMeta } from './meta';
import {
  getAllProgress,
  getExerciseEvents,
  markLessonCompleted,
  markLessonVisited,
  recordExerciseEvent,
} from './progress';
import { parseProgressFile } from './progress-file';
import { SCHEMA_VERSION } from './schema';
import { exportProgress, importProgress, stringifyProgressFile } from './transfer';

describe('exportProgress', () => {
  it('exports every record with a verifiable checksum and counts the export', async () => {
    const db = await learnerDb();
    const file = await exportProgress(db, () => T0);
    expect(file).toMatchObject({
      format: 'pocket-mlops-progress',
      version: 1,
      exportedAt: '2024-05-01T08:00:00.000Z',
      app: { schemaVersion: SCHEMA_VERSION },
    });
    expect(file.lessonProgress).toEqual(await getAllProgress(db));
    expect(file.exerciseEvents).toEqual(await getExerciseEvents(db));
    expect(file.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(await parseProgressFile(stringifyProgressFile(file))).toEqual(file);
    expect(await getMeta(db, 'progressExports')).toBe(1);
    await exportProgress(db);
    expect(await getMeta(db, 'progressExports')).toBe(2);
  });

  it('exports an empty database as a valid file', async () => {
    const db = await openTestDb();
    const file = await roundTrip(db);
    expect(file.lessonProgress).toEqual([]);
    expect(file.exerciseEvents).toEqual([]);
  });
});

describe('importProgress', () => {
  it('round-trips: replace into another device gives identical stores', async () => {
    const source = await learnerDb();
    const file = await roundTrip(source);
    const target = await learnerDb(T0 + 99_000_000); // different data, all of it replaced
    const summary = await importProgress(target, file, 'replace');
    expect(summary).toEqual({ lessons: 2, eventsAdded: 3, eventsSkipped: 0 });
    expect(await snapshot(target)).toEqual(await snapshot(source));
    // The event key generator continues after the imported seqs.
    const next = await recordExerciseEvent(target, {
      lessonId: 'l2',
      exerciseId: 'e2',
      kind: 'solution',
    });
    expect(next.seq).toBeGreaterThan(3);
  });

  it('merge is idempotent: importing the same file twice adds nothing', async () => {
    const db = await learnerDb();
    const before = await snapshot(db);
    const file = await roundTrip(db);
    expect(await importProgress(db, file, 'merge')).toEqual({
      lessons: 2,
      eventsAdded: 0,
      eventsSkipped: 3,
    });
    expect(await snapshot(db)).toEqual(before);
  });

  it('merge keeps the further status, earliest start and completion, latest visit; recounts attempts', async () => {
    const db = await openTestDb();
    const at = (t: number) => () => t;
    // This device: l1 in progress (1 check); l2 completed at 50.
    await markLessonVisited(db, 'l1', at(100));
    await recordExerciseEvent(
      db,
      { lessonId: 'l1', exerciseId: 'e1', kind: 'check', passed: false },
      at(110),
    );
    await markLessonVisited(db, 'l2', at(10));
    await markLessonCompleted(db, 'l2', at(50));
    // Other device: l1 completed (2 checks, one the same as ours); l2 only in progress; l3 new.
    const other = await openTestDb();
    await markLessonVisited(other, 'l1', at(20));
    await recordExerciseEvent(
      other,
      { lessonId: 'l1', exerciseId: 'e1', kind: 'check', passed: false },
      at(110),
    );
    await recordExerciseEvent(
      other,
      { lessonId: 'l1', exerciseId: 'e1', kind: 'check', passed: true },
      at(120),
    );
    await markLessonCompleted(other, 'l1', at(130));
    await markLessonVisited(other, 'l2', at(5));
    await markLessonVisited(other, 'l2', at(500));
    await markLessonVisited(other, 'l3', at(600));

    const summary = await importProgress(db, await roundTrip(other), 'merge');
    expect(summary).toEqual({ lessons: 3, eventsAdded: 1, eventsSkipped: 1 });
    expect(await getAllProgress(db)).toEqual([
      {
        lessonId: 'l1',
        status: 'completed',
        startedAt: 20,
        completedAt: 130,
        lastVisitedAt: 130,
        attempts: 2,
      },
      {
        lessonId: 'l2',
        status: 'completed',
        startedAt: 5,
        completedAt: 50,
        lastVisitedAt: 500,
        attempts: 0,
      },
      { lessonId: 'l3', status: 'in-progress', startedAt: 600, lastVisitedAt: 600, attempts: 0 },
    ]);
    expect((await getExerciseEvents(db)).map((e) => [e.seq, e.at, e.passed])).toEqual([
      [1, 110, false],
      [2, 120, true],
    ]);
  });
});
