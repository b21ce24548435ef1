import course from 'virtual:course';
import type { Lesson } from '../lessons/types';

/** The course, in lesson-file order, parsed and validated at build time (scripts/lessons-plugin.ts). */
export const COURSE: readonly Lesson[] = course;

/** Finds a lesson by its stable id. */
export function lessonById(id: string): Lesson | undefined {
  return COURSE.find((l) => l.meta.id === id);
}
