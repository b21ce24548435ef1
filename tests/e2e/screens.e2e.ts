import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeSerious } from './axe';
import { screenshot, VIEWPORTS } from './browser';
import { openApp, type Session } from './session';

const SCREENS = [
  { name: 'home', hash: '#/', heading: 'Pocket MLOps' },
  { name: 'lessons', hash: '#/lessons', heading: 'Lessons' },
  {
    name: 'lesson-1',
    hash: '#/lessons/after-the-notebook',
    heading: 'What an ML engineer does after the notebook',
  },
  { name: 'lesson-2', hash: '#/lessons/how-to-use-this-lab', heading: 'How to use this lab' },
  {
    name: 'lesson-3',
    hash: '#/lessons/train-and-evaluate',
    heading: 'Train and evaluate a classifier like you will ship it',
  },
  {
    name: 'lesson-5',
    hash: '#/lessons/quantize-latency-budget',
    heading: 'Quantize and meet a latency budget',
  },
  { name: 'train', hash: '#/train', heading: 'Train' },
  { name: 'about', hash: '#/about', heading: 'About and diagnostics' },
] as const;

describe('main screens', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  for (const screen of SCREENS) {
    it(`${screen.name}: no serious accessibility violations; screenshots at desktop and phone width`, async () => {
      const { page } = s;
      await page.setViewportSize(VIEWPORTS.desktop);
      await page.goto(`${s.server.url}${screen.hash}`);
      await page.getByRole('heading', { level: 1, name: screen.heading }).waitFor();
      await page.waitForTimeout(300);
      const serious = await axeSerious(page);
      expect(serious).toEqual([]);
      await screenshot(page, `${screen.name}-desktop`);
      await page.setViewportSize(VIEWPORTS.phone);
      await page.waitForTimeout(200);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, `${screen.name}-phone`);
    });
  }

  it('dark theme: home and a lesson', async () => {
    const { page } = s;
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.goto(s.server.url);
    const toggle = page.getByRole('button', { name: /Colour theme/ });
    while (!((await toggle.getAttribute('aria-label')) ?? '').endsWith('dark'))
      await toggle.click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot(page, 'home-dark');
    await page.goto(`${s.server.url}#/lessons/after-the-notebook`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await screenshot(page, 'lesson-1-dark');
    const contrast = (await axeSerious(page, ['color-contrast'])).length;
    expect(contrast).toBe(0);
    while (!((await toggle.getAttribute('aria-label')) ?? '').endsWith('system'))
      await toggle.click();
  });

  it('works with the keyboard only: skip link, navigation, a quiz', async () => {
    const { page } = s;
    await page.goto(s.server.url);
    await page.getByRole('heading', { level: 1, name: 'Pocket MLOps' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    // Through the navigation to "Lessons" and open it with Enter.
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Lessons') break;
    }
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Lessons' }).waitFor();
    await page.goto(`${s.server.url}#/lessons/after-the-notebook`);
    const card = page.locator('[data-exercise="intro.quiz-tools"]');
    await card.locator('input').first().focus();
    await page.keyboard.press('Space');
    expect(await card.locator('input').first().isChecked()).toBe(true);
    await card.getByRole('button', { name: 'Check answer' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => card.getByTestId('check-result').count()).toBe(1);
  });
});
