import { describe, expect, it } from 'vitest';
import { axeSerious } from './axe';
import { screenshot, VIEWPORTS } from './browser';
import { lessonSuite } from './lesson-session';

const FILE = 'lessons/11-feature-stores-skew.md';

/** Lesson 11 graded on the skew simulator: wrong feature, wrong side, then the right fix. */
describe('lesson: feature stores and training/serving skew', () => {
  const s = lessonSuite(FILE);

  const sim = () => s.page.getByTestId('skew-sim');
  async function applyFix(feature: string, fix: RegExp): Promise<void> {
    await sim().getByLabel('Skewed feature').selectOption(feature);
    await sim().getByRole('radio', { name: fix }).check();
    const before = Number(await sim().getAttribute('data-applied'));
    await sim().getByRole('button', { name: 'Apply fix' }).click();
    await expect
      .poll(async () => Number(await sim().getAttribute('data-applied')), { timeout: 30_000 })
      .toBe(before + 1);
    expect(await sim().getByRole('status').textContent()).toMatch(/Saved/);
  }

  it('fails with no fix, then with the wrong feature', async () => {
    await s.openLesson('feature-stores-skew', 'Feature stores and training/serving skew');
    expect(await s.check('skew.fix-gap')).toMatch(/No skew fix saved yet/);
    // Keyboard: focus the case menu and pick case 4.
    await sim().getByRole('combobox', { name: /^Case/ }).focus();
    await sim().getByRole('combobox', { name: /^Case/ }).selectOption({ label: 'Case 4' });
    await expect
      .poll(() => sim().locator('tr[data-feature="tickets_30d"] [data-metric="psi"]').textContent())
      .not.toBe('');
    const psi = async (f: string) =>
      Number(await sim().locator(`tr[data-feature="${f}"] [data-metric="psi"]`).textContent());
    expect(await psi('tickets_30d')).toBeGreaterThan(await psi('spend_7d_avg'));
    await applyFix('spend_7d_avg', /^Serve with the training definition/);
    expect(await s.check('skew.fix-gap')).toMatch(/You named spend_7d_avg/);
  });

  it('fails a serving-side fix for a training leak, passes the point-in-time join', async () => {
    const { page } = s;
    await applyFix('tickets_30d', /^Serve with the training definition/);
    expect(await sim().getByTestId('skew-after').getAttribute('data-applicable')).toBe('false');
    expect(await s.check('skew.fix-gap')).toMatch(
      /cannot see values from after the prediction time/,
    );
    await applyFix('tickets_30d', /^Rebuild the training rows/);
    expect(await s.check('skew.fix-gap')).toMatch(
      /tickets_30d fixed with a point-in-time join .* offline accuracy fell from .* inflated/,
    );
    expect(await axeSerious(page)).toEqual([]);
    await sim().screenshot({ path: 'test-output/screenshots/lesson-11-skew-desktop.png' });
    await page.setViewportSize(VIEWPORTS.phone);
    await sim().screenshot({ path: 'test-output/screenshots/lesson-11-skew-phone.png' });
    await page.setViewportSize(VIEWPORTS.desktop);
  });

  it('completes the lesson with the quizzes, and keeps it after a reload', async () => {
    await s.answerQuizWrong('skew.quiz-pit');
    await s.answerQuizzesRight(['skew.quiz-pit', 'skew.quiz-prevent']);
    await s.expectCompleted();
    await screenshot(s.page, 'lesson-11-done-desktop');
    await s.expectCompletedAfterReload();
  });
});
