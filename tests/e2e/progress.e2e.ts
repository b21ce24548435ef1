import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, watchPage } from './browser';
import { answerQuiz, quizFromLesson } from './learner';
import { openApp, type Session } from './session';

const LESSON_1 = 'lessons/01-after-the-notebook.md';
const quiz = quizFromLesson(LESSON_1, 'intro.quiz-roles');

describe('lesson progress', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('grades a wrong answer with feedback, then a right one, and keeps it across a reload', async () => {
    const { page } = s;
    await page.getByRole('link', { name: /Start: What an ML engineer/ }).click();
    await page
      .getByRole('heading', { level: 1, name: 'What an ML engineer does after the notebook' })
      .waitFor();
    const card = page.locator(`[data-exercise="${quiz.id}"]`);

    await answerQuiz(page, quiz, false);
    await expect.poll(() => card.getByTestId('check-result').textContent()).not.toBe('Correct.');
    await expect
      .poll(() => card.getByTestId('exercise-status').textContent())
      .toContain('1 attempt');

    await answerQuiz(page, quiz, true);
    await expect.poll(() => card.getByTestId('check-result').textContent()).toBe('Correct.');
    await expect.poll(() => card.getByTestId('exercise-status').textContent()).toContain('Passed');

    await page.reload();
    await expect
      .poll(() =>
        page.locator(`[data-exercise="${quiz.id}"]`).getByTestId('exercise-status').textContent(),
      )
      .toContain('Passed');
    await page.goto(s.server.url);
    await expect
      .poll(() =>
        page
          .locator('[data-lesson="after-the-notebook"] [data-testid="lesson-status"]')
          .textContent(),
      )
      .toBe('In progress');
  });

  it('records a revealed solution as such', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/lessons/after-the-notebook`);
    const card = page.locator('[data-exercise="intro.quiz-cost"]');
    await card.getByRole('button', { name: 'Show solution' }).click();
    await expect
      .poll(() => card.getByTestId('exercise-status').textContent())
      .toContain('solution seen');
  });

  it('shows the same progress in a second open tab', async () => {
    const second = await s.context.newPage();
    await second.goto(`${s.server.url}#/lessons/after-the-notebook`);
    await expect
      .poll(() =>
        second.locator(`[data-exercise="${quiz.id}"]`).getByTestId('exercise-status').textContent(),
      )
      .toContain('Passed');
    // A change in one tab reaches the other without a reload.
    const cost = quizFromLesson(LESSON_1, 'intro.quiz-cost');
    await answerQuiz(s.page, cost, true);
    await expect
      .poll(() =>
        second
          .locator('[data-exercise="intro.quiz-cost"]')
          .getByTestId('exercise-status')
          .textContent(),
      )
      .toContain('Passed');
    await second.close();
  });

  it('keeps progress across a browser restart', async () => {
    await s.context.close();
    s.context = await launch(s.profile);
    const page = s.context.pages()[0] ?? (await s.context.newPage());
    s.page = page;
    s.watch = await watchPage(s.context, page);
    await page.goto(`${s.server.url}#/lessons/after-the-notebook`);
    await expect
      .poll(() =>
        page.locator(`[data-exercise="${quiz.id}"]`).getByTestId('exercise-status').textContent(),
      )
      .toContain('Passed');
  });

  it('refuses bad progress files with a clear message and changes nothing', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/lessons`);
    const before = await page.locator('[data-testid="lesson-status"]').allTextContents();
    const bad: [string, string | Buffer, RegExp][] = [
      ['not-json.json', 'hello, this is not JSON', /not valid JSON|not JSON/i],
      [
        'truncated.json',
        '{"format":"pocket-mlops-progress","version":1,"lessonProgress":[',
        /truncated/i,
      ],
      ['wrong-format.json', JSON.stringify({ format: 'something-else', version: 1 }), /format/i],
      [
        'wrong-version.json',
        JSON.stringify({ format: 'pocket-mlops-progress', version: 99 }),
        /version/i,
      ],
      ['empty.json', '', /empty/i],
      ['junk.json', Buffer.alloc(50 * 1024 * 1024, 'x'), /50\.0 MB.*limit/i],
    ];
    for (const [name, content, expected] of bad) {
      // Playwright passes buffers over 50 MB only as files on disk.
      const path = join(tmpdir(), name);
      writeFileSync(path, content);
      await page.locator('input[type="file"]').setInputFiles(path);
      const message = page.getByTestId('transfer-message');
      await expect.poll(() => message.textContent()).toContain(name);
      const text = (await message.textContent()) ?? '';
      expect(text).toMatch(/nothing saved was changed/);
      expect(text).toMatch(expected);
      expect(await page.locator('[data-testid="lesson-status"]').allTextContents()).toEqual(before);
    }
  });

  it('exports progress and imports the file back', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/lessons`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export progress' }).click(),
    ]);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(path, 'utf8');
    const file = JSON.parse(text) as {
      format: string;
      checksum: string;
      exerciseEvents: unknown[];
    };
    expect(file.format).toBe('pocket-mlops-progress');
    expect(file.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(file.exerciseEvents.length).toBeGreaterThan(0);
    await page.locator('input[type="file"]').setInputFiles({
      name: 'mine.json',
      mimeType: 'application/json',
      buffer: Buffer.from(text),
    });
    await expect
      .poll(() => page.getByTestId('transfer-message').textContent())
      .toMatch(/Imported mine\.json/);
    // A file changed after export is refused by its checksum.
    const tampered = text.replace('"passed": true', '"passed": false');
    expect(tampered).not.toBe(text);
    await page.locator('input[type="file"]').setInputFiles({
      name: 'tampered.json',
      mimeType: 'application/json',
      buffer: Buffer.from(tampered),
    });
    await expect
      .poll(() => page.getByTestId('transfer-message').textContent())
      .toMatch(/changed or corrupted/);
  });

  it('caused no CSP violation and no page error', async () => {
    expect(await s.watch.cspViolations()).toEqual([]);
  });
});
