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
 * after the retrain time, and registers the new model as challenger with the reason; then it
 * starts the challenger's canary on the Roll out screen by itself, which decides (promote or
 * rollback). A learner's "Retrain now" waits for the "Start the canary" link instead.
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

  it('switched on, the policy retrains, registers a challenger and starts its canary', async () => {
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
    // The policy's retrain hands its challenger to a canary: the Roll out screen opens and runs.
    await page.getByRole('heading', { level: 1, name: 'Roll out' }).waitFor({ timeout: 180_000 });
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/rollout');
    await page.getByTestId('canary-phase').waitFor({ timeout: 60_000 });
    await page.getByLabel('Speed').selectOption('max');
    expect(await page.getByRole('radio', { name: /^Canary/ }).isChecked()).toBe(true);
    expect(await page.getByTestId('rollout-pair').textContent()).toMatch(
      /champion\s+v1 \(fp32\), challenger\s+v2 \(fp32\)/,
    );
    const phase = () => page.getByTestId('canary-phase').getAttribute('data-phase');
    await expect.poll(phase, { timeout: 180_000 }).not.toBe('canary');
    const decided = await phase();
    expect(['promoted', 'rolled-back']).toContain(decided);
    const events = await page.getByTestId('rollout-events').innerText();
    expect(events).toMatch(/Canary started: champion v1, challenger v2\./);
    expect(events).toMatch(
      decided === 'promoted'
        ? /rollout policy moved champion from v1 to v2/
        : /Automatic rollback: .*champion stays on v1/,
    );
    console.info(`canary after the retrain: ${decided}; ${events.split('\n').slice(-1)[0]}`);
    const longest = await page.evaluate(
      () => (window as unknown as { __longest: number }).__longest,
    );
    console.info(
      `longest main-thread task while retraining and canarying: ${longest.toFixed(0)} ms`,
    );
    await screenshot(page, 'retrain-canary-desktop');
    expect(await axeSerious(page)).toEqual([]);
    // A reload of the screen starts no second run: the saved decision log is shown instead.
    await page.reload();
    await page.getByTestId('rollout-saved-events').waitFor();
    await new Promise((r) => setTimeout(r, 2000));
    expect(await page.getByTestId('rollout-status').getAttribute('data-status')).toBe('idle');
    expect(await page.getByTestId('rollout-saved-events').innerText()).toMatch(/Canary started/);
  });

  it('the retrain log shows the retrain, its accuracies and the canary hand-off', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/retrain`);
    const entries = panel(page).locator('[data-testid="retrain-log"] li');
    await entries.first().waitFor();
    const hand = panel(page).locator('[data-testid="retrain-log"] li[data-action="canary"]');
    expect(await hand.count()).toBe(1);
    expect(await hand.getAttribute('data-actor')).toBe('policy');
    expect(await hand.textContent()).toMatch(
      /Reason: canary started for challenger v2 after retrain/,
    );
    const entry = panel(page).locator('[data-testid="retrain-log"] li[data-action="retrained"]');
    expect(await entry.count()).toBe(1);
    expect(await entry.getAttribute('data-actor')).toBe('policy');
    expect(await entry.textContent()).toMatch(/Reason: retrain: data-drift firing since/);
    const fresh = Number(await entry.getAttribute('data-new-accuracy'));
    const champion = Number(await entry.getAttribute('data-champion-accuracy'));
    console.info(
      `rotation 20 deg, holdout accuracy: new ${(100 * fresh).toFixed(1)}%, champion ${(100 * champion).toFixed(1)}%`,
    );
    for (const v of [fresh, champion]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(fresh).toBeGreaterThan(champion); // the new model saw rotated digits; the champion did not
    // The log is newest first: the hand-off comes right after the retrain.
    const order = await entries.evaluateAll((li) => li.map((e) => e.getAttribute('data-action')));
    expect(order.indexOf('canary')).toBe(order.indexOf('retrained') - 1);
    // The cooldown now holds the policy back at this simulated time.
    await expect
      .poll(() => panel(page).getByTestId('retrain-decision').textContent())
      .toMatch(/cooldown: the last retrain was 0 h ago/);
    await screenshot(page, 'retrain-desktop');
    expect(await axeSerious(page)).toEqual([]);
    await page.setViewportSize(VIEWPORTS.phone);
    await screenshot(page, 'retrain-phone');
    await page.setViewportSize(VIEWPORTS.desktop);
  });

  it('the alias history names the policy: the retrain, then the canary decision', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/registry`);
    const history = page.getByTestId('history-table').first();
    await history.waitFor();
    const rows = history.locator('tbody tr');
    const texts = (await rows.allTextContents()).map((t) => t.replace(/\s+/g, ' '));
    const retrain = texts.findIndex((t) => /retrained after data-drift/.test(t));
    expect(retrain).toBeGreaterThanOrEqual(0);
    expect(texts[retrain]).toMatch(/challenger/);
    expect(texts[retrain]).toMatch(/policy/i);
    expect(texts[retrain]).toMatch(
      /retrained after data-drift at day 0, \d\d:\d\d:\d\d \(retrain at day 0, 06:00:00\): holdout accuracy \d+\.\d% vs champion \d+\.\d%/,
    );
    const aliases = (await page.getByTestId('model-aliases').first().textContent()) ?? '';
    expect(aliases).toContain('challenger → v2');
    // A promotion moved champion (newest first, above the retrain); a rollback moved nothing.
    const promoted = texts.findIndex((t) => /canary passed/.test(t));
    if (promoted >= 0) {
      expect(promoted).toBeLessThan(retrain);
      expect(texts[promoted]).toMatch(/champion/);
      expect(texts[promoted]).toMatch(/policy/i);
      expect(aliases).toContain('champion → v2');
    } else {
      expect(retrain).toBe(0);
      expect(aliases).toContain('champion → v1');
    }
  });

  it('a learner\'s retrain waits for "Start the canary", which then starts it', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/retrain`);
    await panel(page).getByTestId('retrain-session').waitFor();
    await panel(page).getByRole('button', { name: 'Retrain now' }).click();
    const result = panel(page).getByTestId('retrain-result');
    await result.waitFor({ timeout: 180_000 });
    expect(await result.getByRole('heading').textContent()).toMatch(/Registered as challenger v3/);
    // No hand-off is logged for the learner, and the screen stays put until asked.
    const log = panel(page).getByTestId('retrain-log');
    expect(await log.locator('li[data-actor="learner"][data-action="retrained"]').count()).toBe(1);
    expect(await log.locator('li[data-action="canary"]').count()).toBe(1); // the policy's only
    expect(await page.evaluate(() => window.location.hash)).toBe('#/retrain');
    await result.getByRole('link', { name: 'Start the canary' }).click();
    await page.getByTestId('canary-phase').waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => window.location.hash)).toBe('#/rollout');
    expect(await page.getByTestId('rollout-pair').textContent()).toMatch(/challenger\s+v3/);
    expect(await page.getByTestId('rollout-events').innerText()).toMatch(/challenger v3\./);
  });
});
