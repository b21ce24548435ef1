import { describe, expect, it } from 'vitest';
import { openTestDb } from '../../../tests/fixtures/storage/helpers';
import {
  addClassReports,
  clearClassReports,
  deleteClassReport,
  listClassReports,
} from './class-reports';
import { deleteLessonPack, getLessonPack, listLessonPacks, saveLessonPack } from './lesson-packs';
import type { ClassReportRecord, LessonPackRecord } from './v5-records';

const pack = (id: string, title = 'Week 1'): LessonPackRecord => ({
  id,
  title,
  author: 'Dr. Ada',
  importedAt: 1,
  checksum: 'a'.repeat(64),
  lessons: [{ fileName: '01-x.md', source: '---\n' }],
  index: [{ id: 'x', title: 'X', minutes: 10, level: 'intro' }],
});
const report = (id: string, learnerName: string): ClassReportRecord => ({
  id,
  learnerName,
  signedAt: 1,
  importedAt: 2,
  checksum: id,
  exercises: [
    {
      lessonId: 'l',
      exerciseId: 'l.q',
      status: 'passed',
      attempts: 1,
      hintsUsed: 0,
      solutionRevealed: false,
    },
  ],
});

describe('lesson pack store', () => {
  it('saves, replaces by id, lists and removes packs', async () => {
    const db = await openTestDb();
    expect(await saveLessonPack(db, pack('week-1'))).toBe(false);
    expect(await saveLessonPack(db, pack('week-1', 'Week 1, fixed'))).toBe(true);
    expect(await saveLessonPack(db, pack('week-2'))).toBe(false);
    expect((await listLessonPacks(db)).map((p) => p.title)).toEqual(['Week 1, fixed', 'Week 1']);
    await deleteLessonPack(db, 'week-1');
    expect(await getLessonPack(db, 'week-1')).toBeUndefined();
    expect(await listLessonPacks(db)).toHaveLength(1);
  });
});

describe('class report store', () => {
  it('adds new reports in one go and never overwrites one already there', async () => {
    const db = await openTestDb();
    expect(await addClassReports(db, [report('r1', 'Ada'), report('r2', 'Bo')])).toEqual([
      'r1',
      'r2',
    ]);
    expect(await addClassReports(db, [report('r1', 'Changed'), report('r3', 'Cy')])).toEqual([
      'r3',
    ]);
    const all = await listClassReports(db);
    expect(all.map((r) => r.learnerName)).toEqual(['Ada', 'Bo', 'Cy']);
    await deleteClassReport(db, 'r2');
    expect(await listClassReports(db)).toHaveLength(2);
    await clearClassReports(db);
    expect(await listClassReports(db)).toEqual([]);
  });

  it('is all-or-nothing: a failing write leaves the table as it was', async () => {
    const db = await openTestDb();
    await addClassReports(db, [report('r1', 'Ada')]);
    // A record IndexedDB cannot clone (a function) fails mid-transaction.
    const broken = { ...report('r9', 'Bad'), exercises: [() => 1] } as unknown as ClassReportRecord;
    await expect(addClassReports(db, [report('r2', 'Bo'), broken])).rejects.toThrow();
    expect((await listClassReports(db)).map((r) => r.id)).toEqual(['r1']);
  });
});
