import { describe, expect, it } from 'vitest';
import { openTestDb, steppingClock } from '../../../tests/fixtures/storage/helpers';
import {
  exerciseStatus,
  getAllProgress,
  getExerciseEvents,
  getLessonProgress,
  markLessonCompleted,
  markLessonVisited,
  recordExerciseEvent,
} from './progress';

const T0 = 1_700_000_000_000;

describe('lesson progress', () => {
  it('starts a lesson on first visit and moves lastVisitedAt on the next', async () => {
    const db = await openTestDb();
    const clock = steppingClock(T0, 1000);
    expect(await getLessonProgress(db, 'l1')).toBeUndefined();
    await markLessonVisited(db, 'l1', clock);
    await markLessonVisited(db, 'l1', clock);
    expect(await getLessonProgress(db, 'l1')).toEqual({
      lessonId: 'l1',
      status: 'in-progress',
      startedAt: T0,
      lastVisitedAt: T0 + 1000,
      attempts: 0,
    });
  });

  it('completes a lesson once: a second completion or a visit keeps the first completion', async () => {
    const db = await openTestDb();
    const clock = steppingClock(T0, 1000);
    await markLessonVisited(db, 'l1', clock); // T0
    await markLessonCompleted(db, 'l1', clock); // T0+1s
    await markLessonCompleted(db, 'l1', clock); // T0+2s
    const after = await markLessonVisited(db, 'l1', clock); // T0+3s
    expect(after).toEqual({
      lessonId: 'l1',
      status: 'completed',
      startedAt: T0,
      completedAt: T0 + 1000,
      lastVisitedAt: T0 + 3000,
      attempts: 0,
    });
    expect(await getAllProgress(db)).toEqual([after]);
  });

  it('completing an unvisited lesson starts and completes it at the same time', async () => {
    const db = await openTestDb();
    const l = await markLessonCompleted(db, 'l2', () => T0);
    expect(l).toMatchObject({
      status: 'completed',
      startedAt: T0,
      completedAt: T0,
      lastVisitedAt: T0,
    });
  });
});

describe('exercise events', () => {
  it('records events with seq and clock time, and counts checks into the lesson', async () => {
    const db = await openTestDb();
    const clock = steppingClock(T0, 10);
    const first = await recordExerciseEvent(
      db,
      { lessonId: 'l1', exerciseId: 'e1', kind: 'check', passed: false, detail: 'wrong split' },
      clock,
    );
    expect(first).toEqual({
      seq: 1,
      lessonId: 'l1',
      exerciseId: 'e1',
      kind: 'check',
      passed: false,
      at: T0,
      detail: 'wrong split',
    });
    await recordExerciseEvent(db, { lessonId: 'l1', exerciseId: 'e1', kind: 'hint' }, clock);
    await recordExerciseEvent(
      db,
      { lessonId: 'l1', exerciseId: 'e2', kind: 'check', passed: true },
      clock,
    );
    expect(await getLessonProgress(db, 'l1')).toEqual({
      lessonId: 'l1',
      status: 'in-progress',
      startedAt: T0,
      lastVisitedAt: T0 + 20,
      attempts: 2,
    });
    expect((await getExerciseEvents(db)).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await getExerciseEvents(db, 'e1')).map((e) => e.kind)).toEqual(['check', 'hint']);
    expect(await getExerciseEvents(db, 'nope')).toEqual([]);
  });

  it('does not store fields the caller made up', async () => {
    const db = await openTestDb();
    const input = { lessonId: 'l1', exerciseId: 'e1', kind: 'hint' as const, extra: 'x' };
    await recordExerciseEvent(db, input, () => T0);
    expect(await getExerciseEvents(db)).toEqual([
      { seq: 1, lessonId: 'l1', exerciseId: 'e1', kind: 'hint', at: T0 },
    ]);
  });

  it('summarizes one exercise', async () => {
    const db = await openTestDb();
    const clock = steppingClock(T0, 100);
    const ev = (exerciseId: string, kind: 'check' | 'hint' | 'solution', passed?: boolean) =>
      recordExerciseEvent(db, { lessonId: 'l1', exerciseId, kind, passed }, clock);
    expect(await exerciseStatus(db, 'e1')).toEqual({
      attempts: 0,
      hintsUsed: 0,
      solutionRevealed: false,
      passed: false,
      lastAt: null,
    });
    await ev('e1', 'check', false); // T0
    await ev('e1', 'hint'); // T0+100
    await ev('e1', 'hint'); // T0+200
    await ev('e2', 'solution'); // T0+300, another exercise
    await ev('e1', 'check', true); // T0+400
    await ev('e1', 'check', false); // T0+500: a later failure does not undo the pass
    expect(await exerciseStatus(db, 'e1')).toEqual({
      attempts: 3,
      hintsUsed: 2,
      solutionRevealed: false,
      passed: true,
      lastAt: T0 + 500,
    });
    expect(await exerciseStatus(db, 'e2')).toMatchObject({
      attempts: 0,
      solutionRevealed: true,
      lastAt: T0 + 300,
    });
  });
});
