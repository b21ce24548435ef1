/**
 * The course walk: a scripted learner goes through every exercise of every real lesson in
 * lessons/. For a check: a learner who did nothing fails with a message that says what to do, a
 * learner who did the wrong thing fails with a message that names it, and a learner who did the
 * right thing (course-walk-fixtures.ts, course-walk-sims.ts) passes, all with the exercise's own
 * params. For a quiz: each wrong answer fails and brings its explanation, the right answer passes.
 * A check without a walk fails the walk, so a new check cannot ship unwalked.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLessonFiles } from '../../../scripts/lessons-plugin';
import { CHECKS, isCheckName } from './catalog';
import { emptySnapshot, gradeQuiz, runCheck } from './checks';
import { lessonExercises, loadCourse } from './course';
import {
  LAB_WALKS,
  LINEAGE_WALKS,
  unwalkedChecks,
  walkOf,
  type CheckWalks,
} from '../../../tests/fixtures/lessons/course-walk-fixtures';
import { ROLLOUT_WALKS } from '../../../tests/fixtures/lessons/course-walk-rollout';
import { SIM_WALKS } from '../../../tests/fixtures/lessons/course-walk-sims';
import type { CheckExercise, QuizExercise } from './types';

const LESSONS_DIR = join(import.meta.dirname, '../../../lessons');
const lessons = loadCourse(readLessonFiles(LESSONS_DIR, join(LESSONS_DIR, '..')));
const WALKS: CheckWalks = { ...LAB_WALKS, ...LINEAGE_WALKS, ...SIM_WALKS, ...ROLLOUT_WALKS };

/** A failure message says what to do: one of these verbs, as a learner would act on it. */
const ACTION =
  /\b(press|train|open|register|choose|pick|add|start|export|run|finish|reset|play|send|write|move|make|lower|raise|turn|serve|compare|inject|crash|record|reproduce|save)\b/i;

/** What no message the learner reads may contain: broken formatting or a lesson bug. */
function expectReadable(message: string, where: string): void {
  expect(message.length, where).toBeGreaterThan(20);
  expect(message, where).not.toMatch(/undefined|NaN|\[object |Infinity/);
  expect(message, where).not.toMatch(/The lesson needs fixing|Unknown check/);
}

describe('the course walk covers every check', () => {
  it('walks 12 lessons, each with at least one exercise', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(12);
    for (const lesson of lessons)
      expect(lessonExercises(lesson).length, lesson.file).toBeGreaterThan(0);
  });

  it('has a right-snapshot walk for every check a lesson uses', () => {
    const missing = unwalkedChecks(lessons, WALKS);
    expect(
      missing,
      `checks without a walk (add one in a course-walk-*.ts fixture module): ${missing.join('; ')}`,
    ).toEqual([]);
  });

  it('the guard names a check that has no walk, with its exercises', () => {
    const { 'endpoint-served': _, ...fewer } = WALKS;
    expect(unwalkedChecks(lessons, fewer)).toEqual(
      [...unwalkedChecks(lessons, WALKS), 'endpoint-served (serve.serve-champion)'].sort(),
    );
  });

  it('walks only catalogued checks', () => {
    expect(Object.keys(WALKS).filter((name) => !isCheckName(name))).toEqual([]);
    // Checks no lesson uses yet are walked when a lesson uses them; list them for the reader.
    const used = new Set(
      lessons.flatMap((l) =>
        lessonExercises(l).flatMap((e) => (e.kind === 'check' ? [e.check] : [])),
      ),
    );
    expect(Object.keys(CHECKS).filter((n) => !used.has(n))).toEqual(['lessons-completed']);
  });
});

function walkCheck(ex: CheckExercise): void {
  const walk = walkOf(WALKS, ex.check);
  it(`${ex.id} (${ex.check}): nothing done fails and says what to do`, () => {
    const r = runCheck(ex.check, ex.params, emptySnapshot());
    expect(r.passed).toBe(false);
    expectReadable(r.message, ex.id);
    expect(r.message, ex.id).toMatch(ACTION);
  });
  it(`${ex.id} (${ex.check}): the right thing passes`, () => {
    expect(walk, `no walk for check "${ex.check}"`).toBeDefined();
    const r = runCheck(ex.check, ex.params, walk!.right(ex.params));
    expect(r, ex.id).toMatchObject({ passed: true });
    expectReadable(r.message, ex.id);
  });
  const wrong = walk?.wrong(ex.params) ?? [];
  for (const c of wrong) {
    it(`${ex.id} (${ex.check}): ${c.what} fails and says so`, () => {
      expect(c.snapshot, c.what).not.toEqual(emptySnapshot());
      const r = runCheck(ex.check, ex.params, c.snapshot);
      expect(r.passed, `${c.what}: ${r.message}`).toBe(false);
      expectReadable(r.message, c.what);
      expect(r.message).toMatch(c.says);
    });
  }
}

function walkQuiz(ex: QuizExercise): void {
  const right = ex.options.flatMap((o, i) => (o.correct ? [i] : []));
  const wrong = ex.options.flatMap((o, i) => (o.correct ? [] : [i]));
  it(`${ex.id} (quiz): the right answer passes, in any order`, () => {
    expect(gradeQuiz(ex, right)).toMatchObject({ passed: true, message: 'Correct.' });
    expect(gradeQuiz(ex, [...right].reverse()).passed).toBe(true);
    expect(gradeQuiz(ex, []).message).toMatch(/^Choose /);
  });
  it(`${ex.id} (quiz): each wrong answer fails and shows its own explanation`, () => {
    expect(wrong.length, ex.id).toBeGreaterThan(0);
    const explanations = new Set(ex.options.map((o) => o.explanation.trim()));
    expect(explanations.size, `${ex.id}: two options share an explanation`).toBe(ex.options.length);
    for (const i of wrong) {
      for (const chosen of [[i], [...right, i]]) {
        const r = gradeQuiz(ex, chosen);
        expect(r.passed, `${ex.id} option ${i}`).toBe(false);
        expect(r.message).toMatch(/wrong.*Read the explanation/);
        expect(r.options[i]).toEqual({
          index: i,
          chosen: true,
          correct: false,
          explanation: ex.options[i].explanation,
        });
        expectReadable(r.options[i].explanation, `${ex.id} option ${i}`);
      }
    }
  });
  if (ex.multiple) {
    it(`${ex.id} (quiz): missing one right answer fails`, () => {
      for (const i of right) {
        const r = gradeQuiz(
          ex,
          right.filter((j) => j !== i),
        );
        expect(r.passed).toBe(false);
        expect(r.message).toMatch(/1 correct answer not chosen/);
      }
    });
  }
}

for (const lesson of lessons) {
  describe(`walk of ${lesson.file}`, () => {
    for (const ex of lessonExercises(lesson)) {
      if (ex.kind === 'check') walkCheck(ex);
      else walkQuiz(ex);
    }
  });
}
