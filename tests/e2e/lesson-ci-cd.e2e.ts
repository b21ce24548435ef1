import { describe, expect, it } from 'vitest';
import { screenshot, VIEWPORTS } from './browser';
import { lessonSuite } from './lesson-session';

const FILE = 'lessons/10-retraining-ci-cd.md';

/** Lesson 10 graded on the CI gates simulation's saved run: wrong first, then right. */
describe('lesson: retraining and CI/CD', () => {
  const s = lessonSuite(FILE);

  const sim = () => s.page.locator('[data-widget="ci-gates-sim"]');
  async function runPipeline(): Promise<void> {
    await sim().getByRole('button', { name: 'Run the pipeline' }).click();
    await sim().getByTestId('ci-saved').waitFor();
  }
  /** Turns a gate on with the keyboard (focus, Space). */
  async function enable(label: string): Promise<void> {
    const box = sim().getByRole('checkbox', { name: label, exact: true });
    if (!(await box.isChecked())) {
      await box.focus();
      await s.page.keyboard.press('Space');
    }
    expect(await box.isChecked()).toBe(true);
  }
  const limit = (name: RegExp) => sim().getByRole('spinbutton', { name });

  it('grades the default pipeline as wrong, naming what shipped and what was blocked', async () => {
    await s.openLesson('retraining-ci-cd', 'Retraining and CI/CD for ML');
    expect(await s.check('ci.gates-block-bad')).toMatch(/No pipeline run saved yet/);
    await runPipeline();
    const leak = sim().locator('[data-candidate="c3"]');
    expect(await leak.getAttribute('data-decision')).toBe('shipped');
    const msg = await s.check('ci.gates-block-bad');
    expect(msg).toMatch(/"label-leak" shipped: turn on the leakage probe/);
    expect(msg).toMatch(/"wider-model" was blocked by the regression gate/);
  });

  it('refuses a limit that is not a number, and saves nothing', async () => {
    await limit(/^No regression vs champion/).fill('');
    await sim().getByRole('button', { name: 'Run the pipeline' }).click();
    await expect
      .poll(() => sim().getByTestId('ci-problems').textContent())
      .toMatch(/No regression vs champion: enter a number/);
    expect(await s.check('ci.gates-block-bad')).toMatch(/"label-leak" shipped/);
  });

  it('passes once the gates stop every bad commit and ship every good one', async () => {
    for (const g of [
      'Schema matches the serving schema',
      'Values in declared ranges',
      'Leakage probe (one-column model)',
      'ONNX checker and load test',
      'No slice (class) regression',
      'Latency budget',
    ])
      await enable(g);
    await limit(/^No regression vs champion/).fill('1.5');
    await limit(/^No slice \(class\) regression/).fill('8');
    await runPipeline();
    await expect
      .poll(() => sim().getByTestId('ci-summary').textContent())
      .toMatch(/Shipped 4 of 4 good candidates and 0 of 6 bad ones/);
    expect(await s.check('ci.gates-block-bad')).toMatch(
      /shipped all 4 good candidates and none of the 6 bad ones/,
    );
    await screenshot(s.page, 'lesson-10-ci-desktop');
    await s.page.setViewportSize(VIEWPORTS.phone);
    await sim().scrollIntoViewIfNeeded();
    await screenshot(s.page, 'lesson-10-ci-phone');
    await s.page.setViewportSize(VIEWPORTS.desktop);
  });

  it('completes the lesson with the quiz, and keeps it after a reload', async () => {
    await s.answerQuizzesRight(['ci.quiz-leak']);
    await s.expectCompleted();
    await s.expectCompletedAfterReload();
  });
});
