import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuiz, quizFromLesson } from './learner';
import { openApp, type Session } from './session';

describe('service worker update', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('offers "Reload to update", never reloads by itself, and keeps progress across the update', async () => {
    const { page, server } = s;
    const quiz = quizFromLesson('lessons/01-after-the-notebook.md', 'intro.quiz-roles');
    await page.goto(`${server.url}#/lessons/after-the-notebook`);
    await answerQuiz(page, quiz, true);
    const status = page.locator(`[data-exercise="${quiz.id}"]`).getByTestId('exercise-status');
    await expect.poll(() => status.textContent()).toContain('Passed');

    // A new deployment: the service worker script changes by one byte.
    server.override('/sw.js', `${readFileSync('dist/sw.js', 'utf8')}\n// next version\n`);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    const button = page.getByRole('button', { name: 'Reload to update' });
    await button.waitFor({ timeout: 30_000 });

    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await page.waitForTimeout(1500);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

    await Promise.all([page.waitForEvent('load'), button.click()]);
    expect(
      await page.evaluate(() => (window as unknown as { marker?: number }).marker),
    ).toBeUndefined();
    await expect.poll(() => status.textContent()).toContain('Passed');
    expect(await page.getByRole('button', { name: 'Reload to update' }).count()).toBe(0);
  });
});
