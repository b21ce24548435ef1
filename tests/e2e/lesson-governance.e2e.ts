import { describe, expect, it } from 'vitest';
import { screenshot, SCREENSHOT_DIR, VIEWPORTS } from './browser';
import { lessonSuite, trainOnTrainScreen } from './lesson-session';

const FILE = 'lessons/12-governance-lineage.md';

/** Lesson 12 graded on the real registry, runs and a reproduced run: wrong first, then right. */
describe('lesson: governance, lineage and reproducibility', () => {
  const s = lessonSuite(FILE);

  const explorer = () => s.page.locator('[data-widget="lineage-explorer"]');
  const registry = () => s.page.locator('[data-widget="registry-lab"]');

  it('trains a run', async () => {
    const { page, server } = s;
    await page.goto(`${server.url}#/train`);
    await trainOnTrainScreen(page, '10');
  });

  it('grades the champion lineage: no note fails, a note passes', async () => {
    await s.openLesson('governance-lineage', 'Governance: lineage and reproducibility');
    expect(await s.check('gov.champion-lineage')).toMatch(/No model has a champion/);
    const form = registry().getByTestId('register-run');
    const runId = await form
      .getByLabel('Run to register')
      .locator('option')
      .evaluateAll((o) => (o as HTMLOptionElement[]).map((x) => x.value).find(Boolean));
    await form.getByLabel('Run to register').selectOption(runId!);
    await form.getByRole('button', { name: 'Register' }).click();
    await expect
      .poll(() => form.getByTestId('register-message').textContent())
      .toMatch(/[Rr]egistered/);
    const row = registry().locator('tr[data-version="1"]');
    await row.getByRole('button', { name: 'Make champion (v1)' }).click();
    await row.getByLabel('Reason for moving champion').fill('first model, passed review');
    await row.getByRole('button', { name: 'Move champion to v1' }).click();
    await expect
      .poll(() => registry().getByTestId('model-aliases').textContent())
      .toContain('champion → v1');
    expect(await s.check('gov.champion-lineage')).toMatch(/no model card note: write one for v1/);
    await row.getByRole('button', { name: 'Edit the note of v1' }).click();
    await row
      .getByLabel('Note of v1', { exact: true })
      .fill('Digits MLP, 10 epochs; not for handwriting outside 8x8 scans.');
    await s.page.keyboard.press('Enter');
    await expect.poll(() => row.textContent()).toContain('not for handwriting');
    expect(await s.check('gov.champion-lineage')).toMatch(
      /digits-classifier@v1 \(champion\) traces back/,
    );
    // The explorer draws the same chain from the real records.
    const v1 = explorer().locator('[data-version="digits-classifier@v1"]');
    await expect.poll(() => v1.textContent()).toMatch(/first model, passed review/);
    expect(await explorer().locator(`[data-run="${runId}"]`).count()).toBe(1);
  });

  it('grades a reproduction: none yet fails, a retrain with the recorded seeds passes', async () => {
    expect(await s.check('gov.run-reproduced')).toMatch(/No reproduction saved yet/);
    const runId = await explorer().locator('[data-run]').first().getAttribute('data-run');
    await explorer()
      .getByRole('button', { name: `Reproduce run ${runId}` })
      .click();
    const result = explorer().getByTestId('repro-result');
    await result.waitFor({ timeout: 120_000 });
    const text = (await result.textContent()) ?? '';
    expect(text).toMatch(/Data fingerprint: identical/);
    console.log(`reproduction: ${text.replace(/\s+/g, ' ')}`);
    expect(await s.check('gov.run-reproduced')).toMatch(/reproduces .* same fingerprint and seeds/);
    await screenshot(s.page, 'lesson-12-lineage-desktop');
    await explorer().screenshot({ path: `${SCREENSHOT_DIR}/lesson-12-explorer-desktop.png` });
    await s.page.setViewportSize(VIEWPORTS.phone);
    await explorer().scrollIntoViewIfNeeded();
    await explorer().screenshot({ path: `${SCREENSHOT_DIR}/lesson-12-explorer-phone.png` });
    await s.page.setViewportSize(VIEWPORTS.desktop);
  });

  it('completes the lesson with the quiz, and keeps it after a reload', async () => {
    await s.answerQuizzesRight(['gov.quiz-repro']);
    await s.expectCompleted();
    await s.expectCompletedAfterReload();
  });
});
