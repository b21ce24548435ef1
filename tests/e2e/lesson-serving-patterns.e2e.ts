import { describe, expect, it } from 'vitest';
import { axeSerious } from './axe';
import { screenshot, VIEWPORTS } from './browser';
import { lessonSuite } from './lesson-session';

const FILE = 'lessons/06-serving-patterns.md';

/** Lesson 6 graded on the serving patterns simulator: wrong first, then right. */
describe('lesson: serving patterns', () => {
  const s = lessonSuite(FILE);

  const sim = () => s.page.getByTestId('serving-patterns-sim');
  async function runSim(): Promise<void> {
    const rows = sim().locator('[data-testid="serving-runs"] tbody tr');
    const before = await rows.count();
    // Keyboard: focus the button and press Enter, as a keyboard-only learner does.
    await sim().getByRole('button', { name: 'Run simulation' }).focus();
    await s.page.keyboard.press('Enter');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(Math.min(before + 1, 6));
    await expect.poll(() => sim().getByRole('status').textContent()).toMatch(/Saved/);
  }

  it('fails before any run, and fails the online pattern with advice to cache', async () => {
    await s.openLesson('serving-patterns', 'Serving patterns');
    expect(await s.check('patterns.meet-budget')).toMatch(/No serving simulation saved yet/);
    await sim()
      .getByRole('radio', { name: /^Online/ })
      .check();
    await runSim();
    const p99 = await sim().locator('tr[data-run="1"] [data-metric="p99"]').textContent();
    expect(Number.parseFloat(p99 ?? '')).toBeGreaterThan(35);
    expect(await s.check('patterns.meet-budget')).toMatch(/Online .* put a cache in front/);
  });

  it('rejects a bad TTL without saving it, fails a stale cache, passes a tuned one', async () => {
    const { page } = s;
    // Arrow keys move between the pattern radios: Online -> Precomputed -> Cache.
    await sim()
      .getByRole('radio', { name: /^Online/ })
      .focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(
      await sim()
        .getByRole('radio', { name: /^Cache in front/ })
        .isChecked(),
    ).toBe(true);
    await sim().getByLabel('TTL (seconds)').fill('0');
    await sim().getByRole('button', { name: 'Run simulation' }).click();
    await expect.poll(() => sim().getByRole('alert').textContent()).toMatch(/TTL must be/);
    expect(await s.check('patterns.meet-budget')).toMatch(/Online/);

    await sim().getByLabel('TTL (seconds)').fill('60');
    await sim().getByLabel('Capacity (entries)').fill('1000');
    await runSim();
    expect(await s.check('patterns.meet-budget')).toMatch(
      /stale answers are over 1\.00%: shorten the TTL.*model version in the cache key/,
    );

    await sim().getByLabel('TTL (seconds)').fill('10');
    await sim().getByLabel('Model version in the cache key').check();
    await runSim();
    expect(await s.check('patterns.meet-budget')).toMatch(
      /TTL 10 s and capacity 1000, model version in the key: .* within the budget/,
    );
    expect(await axeSerious(page)).toEqual([]);
    await screenshot(page, 'lesson-6-sim-desktop');
    await page.setViewportSize(VIEWPORTS.phone);
    await sim().scrollIntoViewIfNeeded();
    await screenshot(page, 'lesson-6-sim-phone');
    await page.setViewportSize(VIEWPORTS.desktop);
  });

  it('completes the lesson with the quizzes, and keeps it after a reload', async () => {
    await s.answerQuizWrong('patterns.quiz-choose');
    await s.answerQuizzesRight(['patterns.quiz-choose', 'patterns.quiz-cache-deploy']);
    await s.expectCompleted();
    await s.expectCompletedAfterReload();
  });
});
