import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { answerQuiz, quizFromLesson } from './learner';
import { openApp, type Session } from './session';

/**
 * One learner for the enclosing `describe` block: the app is opened before its tests and closed
 * after them. Call it inside `describe`; the returned object reads the live session, so a test
 * writes `s.page` as with a plain `Session` (reading it before the tests start throws).
 */
export function suiteSession(): Session {
  let current: Session | undefined;
  beforeAll(async () => {
    current = await openApp();
  });
  afterAll(async () => {
    await current?.close();
  });
  const get = (): Session => {
    if (!current) throw new Error('the session opens in beforeAll: use it inside a test');
    return current;
  };
  return {
    get server() {
      return get().server;
    },
    get profile() {
      return get().profile;
    },
    get context() {
      return get().context;
    },
    get page() {
      return get().page;
    },
    get watch() {
      return get().watch;
    },
    get requested() {
      return get().requested;
    },
    close: () => get().close(),
  };
}

/** Goes to the lesson `#/lessons/<slug>` and waits for its title. */
export async function openLesson(s: Session, slug: string, title: string | RegExp): Promise<void> {
  await s.page.goto(`${s.server.url}#/lessons/${slug}`);
  await s.page.getByRole('heading', { level: 1, name: title }).waitFor();
}

/** The exercise card with this id in the open lesson. */
export function exerciseCard(page: Page, id: string) {
  return page.locator(`[data-exercise="${id}"]`);
}

/**
 * Presses "Check my work" on an exercise and returns the check's message once this press has
 * been answered (the result's `data-checks` counter went up by one).
 */
export async function checkExercise(page: Page, id: string): Promise<string> {
  const card = exerciseCard(page, id);
  const result = card.getByTestId('check-result');
  const checks = async () =>
    (await result.count()) ? Number(await result.getAttribute('data-checks')) : 0;
  const before = await checks();
  await card.getByRole('button', { name: 'Check my work' }).click();
  await expect.poll(checks).toBe(before + 1);
  return (await result.textContent()) ?? '';
}

/** Answers a quiz of the lesson file wrong and waits for the "Not yet" message. */
export async function answerQuizWrong(page: Page, file: string, id: string): Promise<void> {
  await answerQuiz(page, quizFromLesson(file, id), false);
  await expect
    .poll(() => exerciseCard(page, id).getByTestId('check-result').textContent())
    .toMatch(/Not yet/);
}

/** Answers these quizzes of the lesson file right, in order. */
export async function answerQuizzesRight(page: Page, file: string, ids: string[]): Promise<void> {
  for (const id of ids) await answerQuiz(page, quizFromLesson(file, id), true);
}

/** Waits until the open lesson shows Completed. */
export async function expectCompleted(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('lesson-progress').textContent()).toBe('Completed');
}

/** Reloads: the lesson still shows Completed, and the page broke no Content Security Policy rule. */
export async function expectCompletedAfterReload(s: Session): Promise<void> {
  await s.page.reload();
  await expectCompleted(s.page);
  expect(await s.watch.cspViolations()).toEqual([]);
}

/**
 * On the Train screen (already open): trains with this many epochs, waits for the new run to
 * complete and returns its id. Times out after 60 s for the run to appear and 90 s to finish.
 */
export async function trainOnTrainScreen(page: Page, epochs: string): Promise<string> {
  const rows = page.locator('[data-testid="runs-table"] tbody tr');
  const before = await rows.count();
  await page.getByLabel('Epochs', { exact: true }).fill(epochs);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(before + 1);
  await expect
    .poll(() => rows.first().getAttribute('data-status'), { timeout: 90_000 })
    .toBe('completed');
  return (await rows.first().getAttribute('data-run-id')) ?? '';
}

/** A lesson's suite: the learner's session plus the steps every lesson test takes. */
export interface LessonSuite extends Session {
  /** Goes to `#/lessons/<slug>` and waits for the title. */
  openLesson(slug: string, title: string | RegExp): Promise<void>;
  /** The exercise card with this id. */
  exercise(id: string): Locator;
  /** "Check my work" on an exercise; the check's message. */
  check(id: string): Promise<string>;
  /** Answers a quiz of the lesson wrong and waits for "Not yet". */
  answerQuizWrong(id: string): Promise<void>;
  /** Answers these quizzes of the lesson right, in order. */
  answerQuizzesRight(ids: string[]): Promise<void>;
  expectCompleted(): Promise<void>;
  expectCompletedAfterReload(): Promise<void>;
}

/**
 * The suite of the lesson in `file` (e.g. `lessons/08-ship-safely.md`, whose quizzes are read
 * from it): one learner for the enclosing `describe` block, as `suiteSession` opens it.
 */
export function lessonSuite(file: string): LessonSuite {
  const s = suiteSession();
  return Object.assign(s, {
    openLesson: (slug: string, title: string | RegExp) => openLesson(s, slug, title),
    exercise: (id: string) => exerciseCard(s.page, id),
    check: (id: string) => checkExercise(s.page, id),
    answerQuizWrong: (id: string) => answerQuizWrong(s.page, file, id),
    answerQuizzesRight: (ids: string[]) => answerQuizzesRight(s.page, file, ids),
    expectCompleted: () => expectCompleted(s.page),
    expectCompletedAfterReload: () => expectCompletedAfterReload(s),
  });
}
