/**
 * The findings form of an actions-graded drill, kept in the attempt's saved answers: the chosen
 * answer and the free text, checked before grading; and the grade's per-item messages, saved
 * with the attempt under `grade:<rubric id>` so that the result reads the same after a reload,
 * whatever the learner changes in the labs afterwards.
 */
import {
  gradeActions,
  type ActionsGrade,
  type ActionsResponse,
  type ActionsSnapshot,
} from '../lessons/drills-actions-grade';
import type { ActionsDrill } from '../lessons/drills-types';
import type { DrillAttemptRecord } from '../storage';

/** Answer keys of the form, beside the canvas boxes' ids. */
export const ACTION_KEYS = { choice: 'finding:choice', text: 'finding:text' } as const;
const GRADE_PREFIX = 'grade:';

export type ActionsFormRead =
  | { ok: true; response: ActionsResponse }
  | { ok: false; errors: Partial<Record<keyof typeof ACTION_KEYS, string>> };

/** Longest free text kept, characters (the box is for a sentence or two). */
export const MAX_TEXT = 2000;

/** Reads the form: an answer must be chosen; a graded free text must not be empty. */
export function readActionsForm(
  drill: ActionsDrill,
  answers: Record<string, string>,
): ActionsFormRead {
  const errors: Partial<Record<keyof typeof ACTION_KEYS, string>> = {};
  const choice = answers[ACTION_KEYS.choice] ?? '';
  const text = (answers[ACTION_KEYS.text] ?? '').trim();
  if (!drill.answer.choice.choices.some((c) => c.id === choice))
    errors.choice = 'Choose one answer.';
  if (drill.answer.text.rubric && text === '') errors.text = 'Write your answer: it is graded.';
  if (text.length > MAX_TEXT)
    errors.text = `Keep it under ${MAX_TEXT.toLocaleString('en-US')} characters (now ${text.length.toLocaleString('en-US')}).`;
  if (errors.choice || errors.text) return { ok: false, errors };
  return { ok: true, response: { choice, text } };
}

/** The grade's messages as attempt answers (`grade:<rubric id>` -> message). */
function gradeAnswers(grade: ActionsGrade): Record<string, string> {
  return Object.fromEntries(grade.items.map((i) => [`${GRADE_PREFIX}${i.id}`, i.message]));
}

/**
 * Grades an open attempt from `snapshot` and returns the closed, scored record to save: its
 * scores, and each item's message among its answers. `now` is ms since the epoch.
 */
export function scoredAttempt(
  drill: ActionsDrill,
  snapshot: ActionsSnapshot,
  attempt: DrillAttemptRecord,
  response: ActionsResponse,
  now: number,
): { grade: ActionsGrade; record: DrillAttemptRecord } {
  const grade = gradeActions(drill, snapshot, attempt.startedAt, response);
  const record: DrillAttemptRecord = {
    ...attempt,
    answers: { ...attempt.answers, ...gradeAnswers(grade) },
    finishedAt: attempt.finishedAt ?? now,
    rubricScores: grade.scores,
    score: grade.score,
  };
  return { grade, record };
}

/** One rubric item of a scored attempt, as saved. */
export interface SavedItem {
  id: string;
  title: string;
  points: number;
  max: number;
  correct: boolean;
  message: string;
}

/** The scored attempt's items in rubric order, from its saved scores and messages. */
export function savedActionsGrade(drill: ActionsDrill, attempt: DrillAttemptRecord): SavedItem[] {
  return drill.rubric.map((r) => {
    const points = attempt.rubricScores[r.id] ?? 0;
    return {
      id: r.id,
      title: r.title,
      points,
      max: r.points,
      correct: points === r.points,
      message: attempt.answers[`${GRADE_PREFIX}${r.id}`] ?? '',
    };
  });
}
