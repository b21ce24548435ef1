import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './browser';
import { lessonSuite } from './lesson-session';

const FILE = 'lessons/03-train-and-evaluate.md';

/** The lesson's exercises graded on real runs: a scripted learner does it wrong, then right. */
describe('lesson: train and evaluate', () => {
  const s = lessonSuite(FILE);
  beforeAll(() => s.openLesson('train-and-evaluate', /Train and evaluate/));

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
    expect(await s.check('train.reach-96-digits')).toMatch(/No completed digits run yet/);
    expect(
      await s.exercise('train.reach-96-digits').getByTestId('exercise-status').textContent(),
    ).toContain('1 attempt');
  });

  it('passes it after training digits in the lesson, and shows the evaluation of that run', async () => {
    await trainIn('digits');
    expect(await s.check('train.reach-96-digits')).toMatch(
      /reached 9\d\.\d% test accuracy on digits/,
    );
    const evaluation = s.page.locator('[data-widget="evaluate-latest"]').first();
    await expect.poll(() => evaluation.getByTestId('accuracy').count()).toBe(1);
  });

  it('grades the threshold exercise on the saved threshold of a breast cancer run', async () => {
    expect(await s.check('train.threshold-recall-malignant')).toMatch(/No saved threshold/);
    await trainIn('breast_cancer');
    const panel = s.page.locator('[data-widget="evaluate-latest"]').nth(1);
    const slider = panel.getByLabel('Decision threshold on P(malignant)');
    await slider.waitFor();
    // A threshold of 1 flags (almost) nothing as malignant: recall far below the target.
    await slider.focus();
    await s.page.keyboard.press('End');
    await panel.getByRole('button', { name: 'Save this threshold' }).click();
    await expect.poll(() => panel.getByTestId('save-status').textContent()).toMatch(/[Ss]aved/);
    expect(await s.check('train.threshold-recall-malignant')).toMatch(/is needed/);
    // Threshold 0 flags everything: recall 100%.
    await slider.focus();
    await s.page.keyboard.press('Home');
    await panel.getByRole('button', { name: 'Save this threshold' }).click();
    await expect.poll(() => panel.getByTestId('save-status').textContent()).toMatch(/0\.00/);
    expect(await s.check('train.threshold-recall-malignant')).toMatch(/100\.0% of malignant/);
  });

  it('completes the lesson once the quizzes are right too, and keeps it after a reload', async () => {
    await s.answerQuizzesRight(['train.quiz-precision-recall', 'train.quiz-calibration']);
    await s.expectCompleted();
    await screenshot(s.page, 'lesson-3-done-desktop');
    await s.expectCompletedAfterReload();
  });
});
