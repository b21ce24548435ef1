import { describe, expect, it } from 'vitest';
import { screenshot, SCREENSHOT_DIR, VIEWPORTS } from './browser';
import { axeSerious } from './axe';
import { lessonSuite } from './lesson-session';
import { canaryRolledBackByLatency, championAndChallenger, rolloutStatus } from './rollout-helpers';

const FILE = 'lessons/08-ship-safely.md';

/**
 * Lesson 8 graded on the A/B test lab (a decision taken early fails, one at the plan passes) and
 * on the Roll out screen's saved decision log (a canary rolled back by its p99 guard after latency
 * injected into the challenger passes).
 */
describe('lesson: ship safely', () => {
  const s = lessonSuite(FILE);

  const lab = () => s.page.locator('[data-widget="ab-test-lab"]');
  async function press(name: string): Promise<void> {
    await lab().getByRole('button', { name, exact: true }).focus();
    await s.page.keyboard.press('Enter');
  }
  async function decide(label: string): Promise<void> {
    await lab().getByRole('radio', { name: label }).check();
    await press('Record my decision');
    await lab().getByTestId('ab-saved').waitFor();
  }

  it('refuses a bad design with a clear message', async () => {
    await s.openLesson('ship-safely', 'Ship safely: canary, shadow and A/B');
    await lab().getByLabel('Minimum detectable effect, points').fill('0');
    await expect
      .poll(() => lab().getByTestId('ab-problems').textContent())
      .toMatch(/minimum detectable effect must be above 0/);
    expect(await lab().getByRole('button', { name: 'Start a new test' }).isDisabled()).toBe(true);
    await lab().getByLabel('Minimum detectable effect, points').fill('2');
    await expect.poll(() => lab().getByTestId('ab-plan').textContent()).toMatch(/3,213/);
  });

  it('stopping early fails the check', async () => {
    expect(await s.check('ship.ab-sample-size')).toMatch(/No A\/B decision recorded yet/);
    await lab().getByLabel('True rate of B, %').fill('93');
    await press('Start a new test');
    await press('Run to the plan');
    await expect
      .poll(async () => Number(await lab().getByTestId('ab-live').getAttribute('data-users')))
      .toBeGreaterThan(300);
    await press('Pause');
    await decide('B is better: ship B');
    expect(await s.check('ship.ab-sample-size')).toMatch(/That is stopping early/);
  });

  it('a test run to its plan, read right, passes; the peeking experiment runs', async () => {
    await press('Start a new test');
    await press('Run to the plan');
    await expect
      .poll(() => lab().getByTestId('ab-live').getAttribute('data-reached'), { timeout: 30_000 })
      .toBe('true');
    const p = Number(await lab().getByTestId('ab-p').getAttribute('data-p'));
    const diffPositive = Number(await lab().getByTestId('ab-p').getAttribute('data-diff')) > 0;
    const right =
      p >= 0.05
        ? 'No detectable difference'
        : diffPositive
          ? 'B is better: ship B'
          : 'B is worse: keep A';
    const wrong =
      right === 'No detectable difference' ? 'B is better: ship B' : 'No detectable difference';
    await decide(wrong);
    expect(await s.check('ship.ab-sample-size')).toMatch(/The test says .* but you chose/);
    await decide(right);
    expect(await s.check('ship.ab-sample-size')).toMatch(
      /You ran the test to its plan and read it right/,
    );
    await press('Run the peeking experiment');
    await expect
      .poll(() => lab().getByTestId('ab-peeking-result').textContent(), { timeout: 30_000 })
      .toMatch(/Read at every one of 20 looks/);
    expect(await axeSerious(s.page)).toEqual([]);
    await screenshot(s.page, 'lesson-8-ab-desktop');
    await lab().screenshot({ path: `${SCREENSHOT_DIR}/lesson-8-ab-lab-desktop.png` });
    await s.page.setViewportSize(VIEWPORTS.phone);
    await lab().scrollIntoViewIfNeeded();
    await lab().screenshot({ path: `${SCREENSHOT_DIR}/lesson-8-ab-lab-phone.png` });
    await s.page.setViewportSize(VIEWPORTS.desktop);
  });

  // Setup and canary are two tests: together (two trainings and a canary) they can pass the
  // 120 s test timeout on a loaded 2-core machine.
  it('refuses the canary exercise before any roll-out, then sets up champion and challenger', async () => {
    expect(await s.check('ship.canary-guard-rollback')).toMatch(/No roll-out saved yet/);
    await championAndChallenger(s.page, s.server.url);
  });

  it('a canary rolled back by the p99 guard after injected latency passes the canary check', async () => {
    const { page, server } = s;
    await canaryRolledBackByLatency(page, server.url);
    await expect.poll(() => rolloutStatus(page), { timeout: 120_000 }).toBe('done');
    expect(await page.getByTestId('rollout-events').innerText()).toMatch(
      /Automatic rollback: guard broken at \d+%: p99 .* \(limit x1\.5\b/,
    );
    expect(await page.getByTestId('rollout-ledger').getAttribute('data-lost')).toBe('0');
    await s.openLesson('ship-safely', 'Ship safely: canary, shadow and A/B');
    expect(await s.check('ship.canary-guard-rollback')).toMatch(
      /caught the fault by itself: Automatic rollback: guard broken/,
    );
  });

  it('completes the lesson with the quizzes, and keeps it after a reload', async () => {
    await s.answerQuizzesRight(['ship.quiz-which-rollout', 'ship.quiz-peeking']);
    await s.expectCompleted();
    await s.expectCompletedAfterReload();
  });
});
