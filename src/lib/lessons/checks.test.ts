import { describe, expect, it } from 'vitest';
import { CHECKS } from './catalog';
import { emptySnapshot, gradeQuiz, runCheck, type LabSnapshot } from './checks';
import type { QuizExercise } from './types';

const snap = (over: Partial<LabSnapshot> = {}): LabSnapshot => ({ ...emptySnapshot(), ...over });

describe('runCheck', () => {
  it('progress-exported fails with what to do, then passes', () => {
    const fail = runCheck('progress-exported', {}, snap());
    expect(fail.passed).toBe(false);
    expect(fail.message).toContain('Export progress');
    const ok = runCheck('progress-exported', {}, snap({ progressExports: 2 }));
    expect(ok).toEqual({ passed: true, message: expect.stringContaining('2 times') });
  });

  it('storage-persist-asked passes on any answer, fails before asking', () => {
    const fail = runCheck('storage-persist-asked', undefined, snap());
    expect(fail.passed).toBe(false);
    expect(fail.message).toContain('Ask for persistent storage');
    for (const answer of ['granted', 'denied', 'unsupported'] as const) {
      const r = runCheck('storage-persist-asked', {}, snap({ storagePersistAnswer: answer }));
      expect(r.passed).toBe(true);
      expect(r.message.length).toBeGreaterThan(20);
    }
    expect(
      runCheck('storage-persist-asked', {}, snap({ storagePersistAnswer: 'denied' })).message,
    ).toContain('Export');
  });

  it('lessons-completed counts distinct lessons and says how many are left', () => {
    const fail = runCheck(
      'lessons-completed',
      { count: 3 },
      snap({ completedLessons: ['a', 'a', 'b'] }),
    );
    expect(fail).toEqual({
      passed: false,
      message: expect.stringContaining('completed 2 lessons of the 3 needed: finish 1 more lesson'),
    });
    expect(
      runCheck('lessons-completed', { count: 2 }, snap({ completedLessons: ['a', 'b'] })).passed,
    ).toBe(true);
  });

  it('fails clearly on an unknown check or bad params, never throws', () => {
    const unknown = runCheck('trained-a-model', {}, snap());
    expect(unknown.passed).toBe(false);
    expect(unknown.message).toContain('Unknown check "trained-a-model" (known: progress-exported');
    const bad = runCheck('lessons-completed', { count: 'two' }, snap());
    expect(bad).toEqual({
      passed: false,
      message: expect.stringContaining('param "count" must be a number'),
    });
    expect(runCheck('lessons-completed', {}, snap()).message).toContain(
      'missing required param "count"',
    );
    expect(runCheck('progress-exported', { extra: 1 }, snap()).message).toContain(
      'unknown param "extra"',
    );
  });

  it('every catalogued check runs', () => {
    for (const name of Object.keys(CHECKS)) {
      const params = name === 'lessons-completed' ? { count: 1 } : {};
      const r = runCheck(name, params, snap());
      expect(r.passed).toBe(false);
      expect(r.message).not.toContain('Unknown check');
    }
  });
});

const quiz = (correct: boolean[]): QuizExercise => ({
  kind: 'quiz',
  id: 'q',
  title: 'Q',
  question: '?',
  options: correct.map((c, i) => ({ text: `o${i}`, correct: c, explanation: `e${i}` })),
  multiple: correct.filter(Boolean).length > 1,
  hints: [],
  solution: 's',
});

describe('gradeQuiz', () => {
  it('passes on the correct option and explains every option', () => {
    const r = gradeQuiz(quiz([false, true, false]), [1]);
    expect(r.passed).toBe(true);
    expect(r.options).toEqual([
      { index: 0, chosen: false, correct: false, explanation: 'e0' },
      { index: 1, chosen: true, correct: true, explanation: 'e1' },
      { index: 2, chosen: false, correct: false, explanation: 'e2' },
    ]);
  });

  it('fails on a wrong option', () => {
    const r = gradeQuiz(quiz([false, true]), [0]);
    expect(r.passed).toBe(false);
    expect(r.message).toContain('1 chosen answer is wrong');
  });

  it('needs every correct option of a multiple-answer quiz, and no wrong one', () => {
    const q = quiz([true, true, false]);
    expect(gradeQuiz(q, [0, 1]).passed).toBe(true);
    expect(gradeQuiz(q, [1, 0, 1]).passed).toBe(true);
    expect(gradeQuiz(q, [0]).message).toContain('1 correct answer not chosen');
    expect(gradeQuiz(q, [0, 1, 2]).passed).toBe(false);
    expect(gradeQuiz(q, []).message).toBe('Choose every answer that applies first.');
  });

  it('throws on an index outside the options', () => {
    expect(() => gradeQuiz(quiz([true, false]), [2])).toThrow(RangeError);
  });
});
