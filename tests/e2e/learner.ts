import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { parseLesson } from '../../src/lib/lessons/parse';
import type { QuizExercise } from '../../src/lib/lessons/types';

/** Reads a quiz from the real lesson file, so tests follow lesson edits. */
export function quizFromLesson(file: string, exerciseId: string): QuizExercise {
  const lesson = parseLesson(file, readFileSync(file, 'utf8'));
  for (const s of lesson.segments) {
    if (s.kind === 'exercise' && s.exercise.id === exerciseId && s.exercise.kind === 'quiz')
      return s.exercise;
  }
  throw new Error(`no quiz ${exerciseId} in ${file}`);
}

/** Answers a quiz in the page, right or wrong, and presses "Check answer". */
export async function answerQuiz(page: Page, quiz: QuizExercise, right: boolean): Promise<void> {
  const card = page.locator(`[data-exercise="${quiz.id}"]`);
  const inputs = card.locator('fieldset input');
  const picks = quiz.options.flatMap((o, i) => (o.correct === right ? [i] : []));
  for (const i of quiz.multiple || !right
    ? picks.slice(0, quiz.multiple ? picks.length : 1)
    : picks)
    await inputs.nth(i).check();
  await card.getByRole('button', { name: 'Check answer' }).click();
}
