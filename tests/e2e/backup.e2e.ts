import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuiz, quizFromLesson } from './learner';
import { openApp, type Session } from './session';

/** Full workspace backup, reset and restore from the About screen, as a learner does it. */
describe('workspace backup, reset and restore', () => {
  let s: Session;
  let backupPath = '';
  const quiz = quizFromLesson('lessons/01-after-the-notebook.md', 'intro.quiz-roles');
  const quizStatus = () =>
    s.page.locator(`[data-exercise="${quiz.id}"]`).getByTestId('exercise-status').textContent();
  const runRows = () => s.page.locator('[data-testid="runs-table"] [data-run-id]').count();

  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('has progress and a trained run to back up', async () => {
    const { page, server } = s;
    await page.goto(`${server.url}#/lessons/after-the-notebook`);
    await answerQuiz(page, quiz, true);
    await expect.poll(quizStatus).toContain('Passed');
    await page.goto(`${server.url}#/train`);
    await page.getByLabel('Data set').selectOption('breast_cancer');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('train-status').getAttribute('data-status'), { timeout: 90_000 })
      .toBe('completed');
    await expect.poll(runRows).toBe(1);
  });

  it('downloads a backup holding progress and the run with its weights', async () => {
    const { page, server } = s;
    await page.goto(`${server.url}#/about`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download a full backup' }).click(),
    ]);
    backupPath = await download.path();
    const file = JSON.parse(readFileSync(backupPath, 'utf8')) as {
      format: string;
      stores: Record<string, { weights?: { $bytes: string } }[]>;
    };
    expect(file.format).toBe('pocket-mlops-backup');
    expect(file.stores.runs).toHaveLength(1);
    expect(file.stores.runs[0].weights?.$bytes.length).toBeGreaterThan(1000);
    expect(file.stores.exerciseEvents.length).toBeGreaterThan(0);
  });

  it('refuses a damaged backup and changes nothing', async () => {
    const { page } = s;
    const text = readFileSync(backupPath, 'utf8');
    const bad = join(tmpdir(), 'damaged-backup.json');
    writeFileSync(bad, text.slice(0, Math.floor(text.length / 2)));
    await page.getByLabel('Restore a backup').setInputFiles(bad);
    const message = page.getByTestId('backup-message');
    await expect
      .poll(() => message.textContent())
      .toMatch(/was not restored, and nothing saved was changed/);
    expect(await message.textContent()).toMatch(/truncated/);
    await page.goto(`${s.server.url}#/train`);
    await expect.poll(runRows).toBe(1);
  });

  it('resets after a confirmation, then restores everything from the backup', async () => {
    const { page, server } = s;
    await page.goto(`${server.url}#/about`);
    await page.getByRole('button', { name: /Reset the app/ }).click();
    await page.getByRole('button', { name: 'Yes, delete everything' }).click();
    await expect
      .poll(() => page.getByTestId('backup-message').textContent())
      .toMatch(/deleted|reset/i);
    await page.goto(`${server.url}#/train`);
    await expect.poll(() => page.getByTestId('runs-empty').count()).toBe(1);
    await page.goto(`${server.url}#/lessons/after-the-notebook`);
    await expect.poll(quizStatus).toContain('Not tried');

    await page.goto(`${server.url}#/about`);
    await page.getByLabel('Restore a backup').setInputFiles(backupPath);
    await expect
      .poll(() => page.getByTestId('backup-message').textContent())
      .toMatch(/[Rr]estored/);
    await page.goto(`${server.url}#/lessons/after-the-notebook`);
    await expect.poll(quizStatus).toContain('Passed');
    await page.goto(`${server.url}#/train`);
    await expect.poll(runRows).toBe(1);
    // The restored run still evaluates: its weights and predictions came back intact.
    await page
      .getByRole('link', { name: /Evaluate/ })
      .first()
      .click();
    await expect.poll(() => page.getByTestId('accuracy').count()).toBe(1);
    expect(await s.watch.cspViolations()).toEqual([]);
  });
});
