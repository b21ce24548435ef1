import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeSerious } from './axe';
import { screenshot, VIEWPORTS } from './browser';
import {
  addScenario,
  alerts,
  openOperate,
  playToEnd,
  setField,
  trainAndRegister,
} from './operate-helpers';
import { openApp, type Session } from './session';

/**
 * The retraining trigger: a digits model served to 6 simulated hours of traffic whose images
 * rotate by 20 degrees from hour 2 (covariate drift). The data-drift alert fires; the retrain
 * panel shows it, refuses a bad policy, and once automatic retraining is switched on the policy
 * retrains on the labelled traffic, compares the new model with the champion on a fresh holdout
 * after the retrain time, and registers the new model as challenger with the reason.
 */
describe('retraining trigger', () => {
  let s: Session;
  const panel = (page: Page) => page.getByTestId('retrain-panel');
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('trains and registers a digits model, made champion', async () => {
    const { page } = s;
    await trainAndRegister(page, s.server.url);
    const row = page.locator(
      '[data-testid="model-card"][data-model="digits-classifier"] tr[data-version="1"]',
    );
    await row.getByRole('button', { name: 'Make champion (v1)' }).click();
    await row.getByLabel('Reason for moving champion').fill('first model');
    await row.getByRole('button', { name: 'Move champion to v1' }).click();
    await expect
      .poll(() => page.getByTestId('model-aliases').first().textContent())
      .toContain('champion → v1');
  });

  it('runs Operate with a rotation drift until the data-drift alert fires', async () => {
    const { page } = s;
    await openOperate(page, s.server.url);
    await setField(page, 'Requests per simulated second', '2');
    await setField(page, 'Length (simulated hours)', '6');
    await setField(page, 'Monitoring window (minutes)', '30');
    await addScenario(page, 'rotation', { 'Degrees (counter-clockwise)': '20' }, '2');
    await playToEnd(page);
    expect((await alerts(page)).some((a) => a.startsWith('data-drift:firing'))).toBe(true);
  });

  it('shows the alert and the decision; a bad policy is refused and changes nothing', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/retrain`);
    await page.getByRole('heading', { level: 1, name: 'Retrain' }).waitFor();
    await panel(page).getByTestId('retrain-session').waitFor();
    await panel(page)
      .locator('[data-testid="retrain-firing"] li[data-rule="data-drift"]')
      .waitFor();
    const decision = panel(page).getByTestId('retrain-decision');
    expect(await decision.getAttribute('data-retrain')).toBe('false');
    expect(await decision.textContent()).toMatch(/automatic retraining is off \(data-drift firing/);
    const holdout = panel(page).getByLabel('Holdout size (requests)');
    await holdout.fill('5');
    await holdout.dispatchEvent('change');
    await expect
      .poll(() => panel(page).getByTestId('retrain-settings-error').textContent())
      .toMatch(/Holdout size \(requests\) must be a whole number from 50 to 5000, got 5/);
    await page.reload();
    await panel(page).getByTestId('retrain-session').waitFor();
    expect(await panel(page).getByLabel('Holdout size (requests)').inputValue()).toBe('500');
    expect(await panel(page).locator('[data-testid="retrain-log"] li').count()).toBe(0);
  });

  it('switched on, the policy retrains and registers a challenger with the reason', async () => {
    const { page } = s;
    await page.evaluate(() => {
      const w = window as unknown as { __longest: number };
      w.__longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
      }).observe({ type: 'longtask' });
    });
    await panel(page)
      .getByLabel(/Retrain automatically/)
      .focus();
    await page.keyboard.press('Space'); // keyboard only
    const result = panel(page).getByTestId('retrain-result');
    await result.waitFor({ timeout: 180_000 });
    expect(await panel(page).getByTestId('retrain-error').count()).toBe(0);
    const acc = async (id: string) =>
      Number(await panel(page).getByTestId(id).getAttribute('data-accuracy'));
    const fresh = await acc('retrain-new');
    const champion = await acc('retrain-champion');
    console.info(
      `rotation 20 deg, holdout accuracy: new ${(100 * fresh).toFixed(1)}%, champion ${(100 * champion).toFixed(1)}%; ` +
        `${await panel(page).getByTestId('retrain-verdict').textContent()}`,
    );
    for (const v of [fresh, champion]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(fresh).toBeGreaterThan(champion); // the new model saw rotated digits; the champion did not
    expect(await result.getByRole('heading').textContent()).toMatch(/Registered as challenger v2/);
    const entry = panel(page).locator('[data-testid="retrain-log"] li').first();
    expect(await entry.getAttribute('data-actor')).toBe('policy');
    expect(await entry.getAttribute('data-action')).toBe('retrained');
    expect(await entry.textContent()).toMatch(/Reason: retrain: data-drift firing since/);
    // The cooldown now holds the policy back at this simulated time.
    await expect
      .poll(() => panel(page).getByTestId('retrain-decision').textContent())
      .toMatch(/cooldown: the last retrain was 0 h ago/);
    const longest = await page.evaluate(
      () => (window as unknown as { __longest: number }).__longest,
    );
    console.info(`longest main-thread task while retraining: ${longest.toFixed(0)} ms`);
    await screenshot(page, 'retrain-desktop');
    expect(await axeSerious(page)).toEqual([]);
    await page.setViewportSize(VIEWPORTS.phone);
    await screenshot(page, 'retrain-phone');
    await page.setViewportSize(VIEWPORTS.desktop);
  });

  it('the alias history names the policy and the reason with both accuracies', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/registry`);
    const history = page.getByTestId('history-table').first();
    await history.waitFor();
    const first = history.locator('tbody tr').first();
    const text = (await first.textContent()) ?? '';
    expect(text).toMatch(/challenger/);
    expect(text).toMatch(/policy/i);
    expect(text).toMatch(
      /retrained after data-drift at day 0, \d\d:\d\d:\d\d \(retrain at day 0, 06:00:00\): holdout accuracy \d+\.\d% vs champion \d+\.\d%/,
    );
    expect(await page.getByTestId('model-aliases').first().textContent()).toContain(
      'challenger → v2',
    );
  });
});
