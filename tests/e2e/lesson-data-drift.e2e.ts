import { describe, expect, it } from 'vitest';
import { axeSerious } from './axe';
import { screenshot, VIEWPORTS } from './browser';
import { lessonSuite } from './lesson-session';
import {
  addScenario,
  alerts,
  playToEnd,
  resetAll,
  setField,
  trainAndRegister,
} from './operate-helpers';

const FILE = 'lessons/07-data-drift.md';
const QUIZZES = [
  'drift.quiz-ks-trap',
  'drift.quiz-cbpe-blind',
  'drift.quiz-dataset-share',
  'drift.quiz-psi-ks',
];

/**
 * Lesson 7 graded on real saved Operate runs, driven in the lab embedded in the lesson: the
 * lesson's own settings (seed 7, 2 requests/s, 6 simulated hours, 30-minute windows).
 */
describe('lesson: data drift', () => {
  const s = lessonSuite(FILE);

  /** Checks until the message matches: a run is saved a moment after it stops. */
  async function checkUntil(id: string, want: RegExp): Promise<string> {
    let last = '';
    await expect
      .poll(async () => (last = await s.check(id)), { timeout: 20_000, interval: 500 })
      .toMatch(want);
    return last;
  }

  it('trains and registers a digits model', async () => {
    await trainAndRegister(s.page, s.server.url);
  });

  it('fails before any run, and without a control run', async () => {
    const { page } = s;
    await s.openLesson('data-drift', 'Data drift: what to watch and why');
    const lab = page.locator('[data-widget="operate-lab"]');
    await lab.getByLabel('Model version').waitFor();
    expect(await s.check('drift.alert-and-control')).toMatch(/No saved simulation yet/);
    expect(await s.check('drift.concept-cbpe')).toMatch(/No saved simulation yet/);

    await setField(page, 'Seed', '7');
    await setField(page, 'Requests per simulated second', '2');
    await setField(page, 'Length (simulated hours)', '6');
    await setField(page, 'Monitoring window (minutes)', '30');
    await addScenario(page, 'brightness', { Factor: '0.6' }, '2');
    await playToEnd(page);
    expect((await alerts(page)).some((a) => a.startsWith('data-drift:firing'))).toBe(true);
    expect(await checkUntil('drift.alert-and-control', /Now the control run/)).toMatch(
      /brightness from hour 2 fired the data-drift alert at hour (2\.5|3) .*keep seed 7/,
    );
    expect(await axeSerious(page)).toEqual([]);
    await screenshot(page, 'lesson-7-lab-desktop');
  });

  it('the control run with the same seed stays quiet, and the check passes', async () => {
    const { page } = s;
    await resetAll(page);
    await playToEnd(page);
    expect((await alerts(page)).filter((a) => a.startsWith('data-drift'))).toEqual([]);
    expect(await checkUntil('drift.alert-and-control', /stayed quiet/)).toMatch(
      /^Brightness from hour 2 .* control run with the same seed and no scenario stayed quiet for 12 windows/,
    );
    await page.setViewportSize(VIEWPORTS.phone);
    await page.locator('[data-widget="operate-lab"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'lesson-7-lab-phone');
    await page.setViewportSize(VIEWPORTS.desktop);
  });

  it('concept drift: the accuracy alert fires and CBPE stays quiet', async () => {
    const { page } = s;
    expect(await s.check('drift.concept-cbpe')).toMatch(/None of your 2 saved simulations/);
    await resetAll(page);
    await addScenario(
      page,
      'relabel',
      { Class: '3', 'Now labelled': '8', 'Share (0 to 1)': '1' },
      '2',
    );
    await playToEnd(page);
    expect(await checkUntil('drift.concept-cbpe', /CBPE alert never fired/)).toMatch(
      /^relabel from hour 2: the accuracy alert fired at hour (2\.5|3)/,
    );
  });

  it('answers the quizzes (a wrong answer first) and stays Completed after a reload', async () => {
    await s.answerQuizWrong(QUIZZES[0]);
    await s.answerQuizzesRight(QUIZZES);
    await s.expectCompleted();
    await s.expectCompletedAfterReload();
  });
});
