/**
 * The learner's side of the class table: every exercise they could do (built-in course, then
 * installed packs) and the signed report built from their saved exercise events.
 */
import { lessonExercises } from '../lessons/exercises';
import type { Lesson } from '../lessons/types';
import { getExerciseEvents, listLessonPacks, type AppDb } from '../storage';
import { buildReport, reportFileName } from './class-table-report';
import { parsePackLessons } from './lesson-packs.svelte';

/** Exercises of the course and of every installed pack that still parses, in order. */
export async function allExercises(
  db: AppDb,
  course: readonly Lesson[],
): Promise<{ lessonId: string; exerciseId: string }[]> {
  const lessons = [...course];
  for (const pack of await listLessonPacks(db)) {
    try {
      lessons.push(...parsePackLessons(pack));
    } catch {
      // A pack this app version can no longer read adds no columns; its events still count.
    }
  }
  return lessons.flatMap((l) =>
    lessonExercises(l).map((e) => ({ lessonId: l.meta.id, exerciseId: e.id })),
  );
}

/** Builds the signed report as a file: its name and pretty JSON text. */
export async function exportReportFile(
  db: AppDb,
  course: readonly Lesson[],
  learnerName: string,
  now = Date.now(),
): Promise<{ fileName: string; text: string; exercises: number }> {
  const [exercises, events] = await Promise.all([allExercises(db, course), getExerciseEvents(db)]);
  const report = await buildReport(learnerName, exercises, events, now);
  return {
    fileName: reportFileName(report),
    text: `${JSON.stringify(report, null, 2)}\n`,
    exercises: report.exercises.length,
  };
}
