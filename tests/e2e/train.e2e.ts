import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, VIEWPORTS } from './browser';
import { openApp, type Session } from './session';

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

/** Serious or critical axe-core violations on the page as it is now. */
async function seriousAxeViolations(page: Page): Promise<string[]> {
  // DevTools evaluation is not subject to the page's CSP, so axe runs without weakening it.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    type Violation = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run: () => Promise<{ violations: Violation[] }> } })
      .axe;
    return (await axe.run()).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** Rows of the runs table, newest first. */
const rows = (page: Page) => page.locator('[data-testid="runs-table"] tbody tr');
const status = (page: Page) => page.getByTestId('train-status');
const trainButton = (page: Page) => page.getByRole('button', { name: 'Train', exact: true });

/** Clicks Train and waits until a new run is saved with a final status; returns that row. */
async function trainAndWait(page: Page, final = 'completed') {
  const before = await rows(page).count();
  await trainButton(page).click();
  await expect.poll(() => rows(page).count(), { timeout: 60_000 }).toBe(before + 1);
  const row = rows(page).first();
  await expect.poll(() => row.getAttribute('data-status'), { timeout: 60_000 }).toBe(final);
  return row;
}

/** The test accuracy, in percent, of the run summary on screen. */
async function summaryAccuracy(page: Page): Promise<number> {
  const text = (await page.getByTestId('run-summary').textContent()) ?? '';
  const m = /Test accuracy ([\d.]+)%/.exec(text);
  expect(m, `summary: ${text}`).not.toBeNull();
  return Number(m?.[1]);
}

/** Starts watching the main thread: rAF gaps and long tasks, read back by `stopWatch`. */
async function startWatch(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __jank: { gap: number; longTask: number; on: boolean } };
    w.__jank = { gap: 0, longTask: 0, on: true };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        w.__jank.longTask = Math.max(w.__jank.longTask, e.duration);
    }).observe({ type: 'longtask' });
    let last = performance.now();
    const tick = (t: number) => {
      w.__jank.gap = Math.max(w.__jank.gap, t - last);
      last = t;
      if (w.__jank.on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function stopWatch(page: Page): Promise<{ gap: number; longTask: number }> {
  return page.evaluate(() => {
    const w = window as unknown as { __jank: { gap: number; longTask: number; on: boolean } };
    w.__jank.on = false;
    return { gap: w.__jank.gap, longTask: w.__jank.longTask };
  });
}

describe('train', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp();
    await s.page.goto(`${s.server.url}#/train`);
    await s.page.getByRole('heading', { level: 1, name: 'Train' }).waitFor();
    await s.page.getByTestId('runs-empty').waitFor();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('refuses a learning rate of 0 with the reason, and Reset to defaults fixes it', async () => {
    const { page } = s;
    const lr = page.getByLabel('Learning rate');
    await lr.fill('0');
    await expect
      .poll(() => page.getByTestId('error-learningRate').textContent())
      .toMatch(/Learning rate must be above 0/);
    expect(await lr.getAttribute('aria-invalid')).toBe('true');
    expect(await lr.getAttribute('aria-describedby')).toMatch(/learningRate-error/);
    expect(await trainButton(page).isDisabled()).toBe(true);
    expect(await page.getByTestId('form-summary').textContent()).toMatch(/Learning rate/);

    await page.getByLabel('Hidden layers').fill('64, x');
    await expect
      .poll(() => page.getByTestId('error-hidden').textContent())
      .toMatch(/“x” is not a whole number/);

    await page.getByRole('button', { name: 'Reset to defaults' }).click();
    await expect.poll(() => trainButton(page).isDisabled()).toBe(false);
    expect(await lr.inputValue()).toBe('0.01');
    expect(await page.getByLabel('Hidden layers').inputValue()).toBe('64');
  });

  it('trains digits with the defaults, with live curves, while the page stays responsive', async () => {
    const { page } = s;
    await startWatch(page);
    const t0 = Date.now();
    await trainAndWait(page);
    const wallMs = Date.now() - t0;
    const jank = await stopWatch(page);
    await page.getByRole('link', { name: 'Evaluate this run' }).waitFor();
    const acc = await summaryAccuracy(page);
    const summary = await page.getByTestId('run-summary').textContent();
    console.log(
      `digits defaults: ${summary} | click-to-saved ${wallMs} ms (cold worker) | ` +
        `longest rAF gap ${jank.gap.toFixed(0)} ms, longest long task ${jank.longTask.toFixed(0)} ms`,
    );
    expect(acc).toBeGreaterThanOrEqual(90);
    await screenshot(page, 'train-result-desktop');
    expect(await page.getByText('Loss per epoch').count()).toBe(1);
    expect(await page.getByText('Accuracy per epoch').count()).toBe(1);
    const href = await page.getByRole('link', { name: 'Evaluate this run' }).getAttribute('href');
    expect(href).toMatch(/^#\/train\/runs\/run-\d+-[0-9a-f]{6}$/);
  });

  it('trains breast cancer', async () => {
    const { page } = s;
    await page.getByLabel('Data set').selectOption('breast_cancer');
    const t0 = Date.now();
    const row = await trainAndWait(page);
    const acc = await summaryAccuracy(page);
    console.log(
      `breast cancer defaults: ${await page.getByTestId('run-summary').textContent()} | ` +
        `click-to-saved ${Date.now() - t0} ms`,
    );
    expect(acc).toBeGreaterThanOrEqual(90);
    expect(await row.textContent()).toContain('breast cancer');
  });

  it('cancels a run within a second and the form works again', async () => {
    const { page } = s;
    await page.getByLabel('Data set').selectOption('digits');
    await page.getByLabel('Epochs', { exact: true }).fill('300');
    await page.getByLabel('Early-stopping patience (epochs, 0 = off)').fill('0');
    const before = await rows(page).count();
    await trainButton(page).click();
    await expect
      .poll(() => page.getByTestId('train-progress-text').textContent(), { timeout: 60_000 })
      .toMatch(/Epoch [3-9]\d* of 300/);
    await screenshot(page, 'train-running-desktop');
    const cancel = page.getByRole('button', { name: 'Cancel' });
    const t0 = Date.now();
    await cancel.click();
    await status(page).and(page.locator('[data-status="cancelled"]')).waitFor({ timeout: 1000 });
    const cancelMs = Date.now() - t0;
    console.log(`cancel: status "cancelled" ${cancelMs} ms after the click`);
    expect(cancelMs).toBeLessThan(1000);
    expect(await cancel.count()).toBe(0);
    await expect.poll(() => rows(page).count()).toBe(before + 1);
    await expect.poll(() => rows(page).first().getAttribute('data-status')).toBe('cancelled');

    // The form is usable again, and the worker is free: a new run starts and completes.
    await page.getByRole('button', { name: 'Reset to defaults' }).click();
    await page.getByLabel('Initialisation seed').fill('1');
    const t1 = Date.now();
    await trainAndWait(page);
    console.log(
      `digits seed 1 after a cancel: ${await page.getByTestId('run-summary').textContent()} | ` +
        `click-to-saved ${Date.now() - t1} ms (warm worker)`,
    );
    expect(await summaryAccuracy(page)).toBeGreaterThanOrEqual(90);
  });

  it('marks a run interrupted by a reload as failed, and keeps every run across the reload', async () => {
    const { page } = s;
    await page.getByLabel('Epochs', { exact: true }).fill('300');
    await page.getByLabel('Early-stopping patience (epochs, 0 = off)').fill('0');
    await trainButton(page).click();
    await expect
      .poll(() => page.getByTestId('train-progress-text').textContent(), { timeout: 60_000 })
      .toMatch(/Epoch [2-9]\d* of 300/);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Train' }).waitFor();
    await expect.poll(() => rows(page).count()).toBe(5);
    const statuses = await rows(page).evaluateAll((trs) =>
      trs.map((tr) => tr.getAttribute('data-status')),
    );
    expect(statuses).toEqual(['failed', 'completed', 'cancelled', 'completed', 'completed']);
    expect(await rows(page).first().getByTestId('run-status').textContent()).toMatch(
      /interrupted: the page was closed or reloaded during training/,
    );
  });

  it('compares two runs: overlaid curves and settings side by side', async () => {
    const { page } = s;
    const digits = rows(page)
      .and(page.locator('[data-status="completed"]'))
      .filter({ hasText: 'digits' });
    expect(await digits.count()).toBe(2);
    await digits.nth(0).getByRole('checkbox').check();
    await digits.nth(1).getByRole('checkbox').check();
    await page.getByTestId('compare-charts').waitFor();
    expect(await page.getByText('Validation accuracy per epoch').count()).toBe(1);
    const seedRow = page
      .getByTestId('compare-table')
      .locator('tr', { has: page.getByRole('rowheader', { name: /Initialisation seed/ }) });
    expect(await seedRow.textContent()).toContain('differs');
    const dataRow = page
      .getByTestId('compare-table')
      .locator('tr', { has: page.getByRole('rowheader', { name: /Data fingerprint/ }) });
    expect(await dataRow.textContent()).not.toContain('differs');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.setViewportSize(VIEWPORTS.desktop);
    await screenshot(page, 'train-runs-desktop');
    await page.setViewportSize(VIEWPORTS.phone);
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'train-runs-phone');
    await page.setViewportSize(VIEWPORTS.desktop);
  });

  it('deletes a run after an inline confirmation', async () => {
    const { page } = s;
    const first = rows(page).first();
    const id = await first.getAttribute('data-run-id');
    await first.getByRole('button', { name: /^Delete/ }).click();
    await first.getByRole('button', { name: 'Keep' }).click();
    expect(await rows(page).count()).toBe(5);
    await first.getByRole('button', { name: /^Delete/ }).click();
    await first.getByRole('button', { name: /^Yes, delete run/ }).click();
    await expect.poll(() => rows(page).count()).toBe(4);
    expect(await page.locator(`tr[data-run-id="${id}"]`).count()).toBe(0);
  });

  it('breaks no CSP rule and logs no errors', async () => {
    expect(await s.watch.cspViolations()).toEqual([]);
    expect(s.watch.errors).toEqual([]);
  });
});
