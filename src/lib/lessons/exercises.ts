import type { Exercise, Lesson } from './types';

/** The exercises of a lesson, in order. */
export function lessonExercises(lesson: Lesson): Exercise[] {
  return lesson.segments.flatMap((s) => (s.kind === 'exercise' ? [s.exercise] : []));
}

/** Every exercise of the course by id, with the id of its lesson. */
export function exerciseIndex(
  lessons: Lesson[],
): Map<string, { lessonId: string; exercise: Exercise }> {
  const index = new Map<string, { lessonId: string; exercise: Exercise }>();
  for (const lesson of lessons) {
    for (const exercise of lessonExercises(lesson))
      index.set(exercise.id, { lessonId: lesson.meta.id, exercise });
  }
  return index;
}
