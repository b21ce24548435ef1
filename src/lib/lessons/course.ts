/**
 * Loading the whole course. The app calls
 * `loadCourse(import.meta.glob('/lessons/*.md', { query: '?raw', import: 'default', eager: true }))`;
 * the build plugin (scripts/lessons-plugin.ts) runs the same code on the files in `lessons/`.
 */
import { LessonValidationError, parseLesson, validateCourse } from './parse';
import type { Lesson, LessonError } from './types';

/** Markdown files in lessons/ that are documentation, not lessons. */
export function isLessonPath(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.endsWith('.md') && name.toUpperCase() !== 'README.MD';
}

/** `/lessons/01-x.md` or `./lessons/01-x.md` -> `lessons/01-x.md`. */
function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.?\//, '');
}

/**
 * Parses every lesson file (keys are paths, values the file text; README.md is skipped), sorts by
 * file name and validates the course. Throws LessonValidationError with every error of every file.
 */
export function loadCourse(files: Record<string, string>): Lesson[] {
  const errors: LessonError[] = [];
  const lessons: Lesson[] = [];
  const paths = Object.keys(files)
    .filter(isLessonPath)
    .sort((a, b) => normalizePath(a).localeCompare(normalizePath(b)));
  for (const path of paths) {
    try {
      lessons.push(parseLesson(normalizePath(path), files[path]));
    } catch (e) {
      if (!(e instanceof LessonValidationError)) throw e;
      errors.push(...e.errors);
    }
  }
  errors.push(...validateCourse(lessons));
  if (errors.length > 0) throw new LessonValidationError(errors);
  return lessons;
}

// Re-exported so callers that load lessons also find the helpers; they live apart so that the
// app bundle can use them without pulling in the parser.
export { exerciseIndex, lessonExercises } from './exercises';
