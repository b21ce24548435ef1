import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './browser';
import { answerQuiz, quizFromLesson } from './learner';
import { openApp, type Session } from './session';

const FILE = 'lessons/03-train-and-evaluate.md';

/** The lesson's exercises graded on real runs: a scripted learner does it wrong, then right. */
describe('lesson: train and evaluate', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp();
    await s.page.goto(`${s.server.url}#/lessons/train-and-evaluate`);
    await s.page.getByRole('heading', { level: 1, name: /Train and evaluate/ }).waitFor();
  });
  afterAll(async () => {
    await s?.close();
  });

  const exercise = (id: string) => s.page.locator(`[data-exercise="${id}"]`);
  const check = async (id: string) => {
    const result = exercise(id).getByTestId('check-result');
    const before = (await result.count()) ? Number(await result.getAttribute('data-checks')) : 0;
    await exercise(id).getByRole('button', { name: 'Check my work' }).click();
    await expect
      .poll(async () =>
        (await result.count()) ? Number(await result.getAttribute('data-checks')) : 0,
      )
      .toBe(before + 1);
    return (await result.textContent()) ?? '';
  };
  const trainIn = async (dataset: 'digits' | 'breast_cancer') => {
    const lab = s.page.locator('[data-widget="train-lab"]');
    await lab.getByLabel('Data set').selectOption(dataset);
    const status = lab.getByTestId('train-status');
    await lab.getByRole('button', { name: 'Train', exact: true }).click();
    await expect
      .poll(() => status.getAttribute('data-status'), { timeout: 90_000 })
      .toBe('completed');
  };

  it('refuses the accuracy exercise before any run, with directions', async () => {
    expect(await check('train.reach-96-digits')).toMatch(/No completed digits run yet/);
    expect(
      await exercise('train.reach-96-digits').getByTestId('exercise-status').textContent(),
    ).toContain('1 attempt');
  });

  it('passes it after training digits in the lesson, and shows the evaluation of that run', async () => {
    await trainIn('digits');
    expect(await check('train.reach-96-digits')).toMatch(
      /reached 9\d\.\d% test accuracy on digits/,
    );
    const evaluation = s.page.locator('[data-widget="evaluate-latest"]').first();
    await expect.poll(() => evaluation.getByTestId('accuracy').count()).toBe(1);
  });

  it('grades the threshold exercise on the saved threshold of a breast cancer run', async () => {
    expect(await check('train.threshold-recall-malignant')).toMatch(/No saved threshold/);
    await trainIn('breast_cancer');
    const panel = s.page.locator('[data-widget="evaluate-latest"]').nth(1);
    const slider = panel.getByLabel('Decision threshold on P(malignant)');
    await slider.waitFor();
    // A threshold of 1 flags (almost) nothing as malignant: recall far below the target.
    await slider.focus();
    await s.page.keyboard.press('End');
    await panel.getByRole('button', { name: 'Save this threshold' }).click();
    await expect.poll(() => panel.getByTestId('save-status').textContent()).toMatch(/[Ss]aved/);
    expect(await check('train.threshold-recall-malignant')).toMatch(/is needed/);
    // Threshold 0 flags everything: recall 100%.
    await slider.focus();
    await s.page.keyboard.press('Home');
    await panel.getByRole('button', { name: 'Save this threshold' }).click();
    await expect.poll(() => panel.getByTestId('save-status').textContent()).toMatch(/0\.00/);
    expect(await check('train.threshold-recall-malignant')).toMatch(/100\.0% of malignant/);
  });

  it('completes the lesson once the quizzes are right too, and keeps it after a reload', async () => {
    for (const id of ['train.quiz-precision-recall', 'train.quiz-calibration']) {
      await answerQuiz(s.page, quizFromLesson(FILE, id), true);
    }
    await expect.poll(() => s.page.getByTestId('lesson-progress').textContent()).toBe('Completed');
    await screenshot(s.page, 'lesson-3-done-desktop');
    await s.page.reload();
    await expect.poll(() => s.page.getByTestId('lesson-progress').textContent()).toBe('Completed');
    expect(await s.watch.cspViolations()).toEqual([]);
  });
});
