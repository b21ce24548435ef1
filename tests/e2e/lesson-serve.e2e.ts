import { describe, expect, it } from 'vitest';
import { screenshot } from './browser';
import { lessonSuite, trainOnTrainScreen } from './lesson-session';

const FILE = 'lessons/04-package-version-serve.md';

/** Lesson 4 graded on the real registry and endpoint: wrong first, then right. */
describe('lesson: package, version and serve', () => {
  const s = lessonSuite(FILE);

  async function moveChampion(v: number): Promise<void> {
    const lab = s.page.locator('[data-widget="registry-lab"]');
    const row = lab.locator(`tr[data-version="${v}"]`);
    await row.getByRole('button', { name: `Make champion (v${v})` }).click();
    await row.getByLabel('Reason for moving champion').fill(`lesson: try v${v}`);
    await row.getByRole('button', { name: `Move champion to v${v}` }).click();
    await expect
      .poll(() => lab.getByTestId('model-aliases').textContent())
      .toContain(`champion → v${v}`);
  }

  it('trains a good run and a deliberately weak one (1 epoch)', async () => {
    await s.page.goto(`${s.server.url}#/train`);
    await trainOnTrainScreen(s.page, '30');
    await trainOnTrainScreen(s.page, '1');
  });

  it('grades registering two versions', async () => {
    const { page } = s;
    await s.openLesson('package-version-serve', 'Package, version and serve a model');
    expect(await s.check('serve.register-two')).toMatch(/No model registered yet/);
    const form = page.locator('[data-widget="registry-lab"]').getByTestId('register-run');
    const runs = await form
      .getByLabel('Run to register')
      .locator('option')
      .evaluateAll((o) => (o as HTMLOptionElement[]).map((x) => x.value).filter(Boolean));
    expect(runs.length).toBe(2);
    // Oldest first: v1 is the good run, v2 the 1-epoch run.
    for (const runId of [...runs].reverse()) {
      await form.getByLabel('Run to register').selectOption(runId);
      await form.getByRole('button', { name: 'Register' }).click();
      await expect
        .poll(() => form.getByTestId('register-message').textContent())
        .toMatch(/[Rr]egistered/);
    }
    expect(await s.check('serve.register-two')).toMatch(/digits-classifier has 2 versions/);
  });

  it('grades the champion: the weaker version fails, the better one passes', async () => {
    await moveChampion(2);
    expect(await s.check('serve.champion-best')).toMatch(/points at v2, but v1 scored higher/);
    await moveChampion(1);
    expect(await s.check('serve.champion-best')).toMatch(/champion of digits-classifier is v1/);
  });

  it('grades serving the champion', async () => {
    const { page } = s;
    expect(await s.check('serve.serve-champion')).toMatch(/No endpoint has served/);
    const lab = page.locator('[data-widget="serve-lab"]');
    await lab.getByRole('button', { name: 'Start endpoint' }).click();
    await expect
      .poll(() => lab.getByTestId('endpoint-status').getAttribute('data-status'), {
        timeout: 60_000,
      })
      .toBe('running');
    await lab.getByLabel('Requests in the burst').fill('300');
    await lab.getByRole('button', { name: 'Send a burst' }).click();
    await expect.poll(() => lab.getByTestId('burst-result').count(), { timeout: 60_000 }).toBe(1);
    await lab.getByRole('button', { name: 'Stop endpoint' }).click();
    expect(await s.check('serve.serve-champion')).toMatch(
      /digits-classifier@v1 \(champion\) served 300 requests/,
    );
  });

  it('completes the lesson with the quiz, and keeps it after a reload', async () => {
    await s.answerQuizzesRight(['serve.quiz-batching']);
    await s.expectCompleted();
    await screenshot(s.page, 'lesson-4-done-desktop');
    await s.expectCompletedAfterReload();
  });
});
