import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeSerious } from './axe';
import { screenshot, VIEWPORTS } from './browser';
import { trainAndRegister } from './operate-helpers';
import { openApp, type Session } from './session';

/**
 * Drill 11, graded on what the learner really does: a digits model as fp32 champion, the
 * incident set up from it (int8 weight-only champion), both versions benchmarked at batch 1,
 * champion rolled back with a reason, findings submitted: 10/10. Then an attempt with no
 * rollback: a partial score with the message that says why.
 */
const DRILL = 'p99-doubled-int8-canary';
const card = (page: Page) =>
  page.locator('[data-testid="model-card"][data-model="digits-classifier"]');
const aliasBadges = (page: Page) => card(page).getByTestId('model-aliases').textContent();

async function openDrill(s: Session): Promise<void> {
  await s.page.goto(`${s.server.url}#/drills/${DRILL}`);
  await s.page
    .getByRole('heading', { level: 1, name: 'p99 doubled after the int8 canary' })
    .waitFor();
}

async function setUpIncident(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Set up this incident' }).click();
  const status = page.getByTestId('drill-setup-status');
  await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/^\s*Set up: /);
  return ((await status.textContent()) ?? '').trim();
}

async function submitFindings(page: Page, choice: RegExp): Promise<string> {
  await page.getByRole('radio', { name: choice }).check();
  await page.getByRole('button', { name: 'Submit for grading' }).click();
  const result = page.getByTestId('drill-result');
  await result.waitFor({ timeout: 30_000 });
  return result.innerText();
}

describe('drill 11 graded on actions', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('refuses to set up the incident before there is an fp32 champion, and says how', async () => {
    const { page } = s;
    await openDrill(s);
    await page.getByRole('button', { name: /^Start/ }).click();
    await page.getByRole('button', { name: 'Set up this incident' }).click();
    await expect
      .poll(() => page.getByTestId('drill-setup-status').textContent(), { timeout: 20_000 })
      .toMatch(/There is no fp32 champion yet\. Train a digits model on the Train screen/);
  });

  it('trains and registers digits-classifier v1 and makes it champion', async () => {
    const { page } = s;
    await trainAndRegister(page, s.server.url);
    const row = card(page).locator('tr[data-version="1"]');
    await row.getByRole('button', { name: 'Make champion (v1)' }).click();
    await row.getByLabel('Reason for moving champion').fill('first model');
    await row.getByRole('button', { name: 'Move champion to v1' }).click();
    await expect.poll(() => aliasBadges(page)).toContain('champion → v1');
  });

  it('sets up the incident from the learner registry: int8 v2 is champion', async () => {
    const { page } = s;
    await openDrill(s);
    const message = await setUpIncident(page); // the attempt started in the first test is open
    console.log(message);
    expect(message).toMatch(
      /quantized digits-classifier v1 int8 weight-only per-channel into v2 \([\d,]+ bytes instead of [\d,]+, test accuracy \d+\.\d%/,
    );
    await page.goto(`${s.server.url}#/registry`);
    await expect.poll(() => aliasBadges(page), { timeout: 20_000 }).toContain('champion → v2');
    const latest = card(page).locator('[data-testid="history-table"] tbody tr').first();
    expect(await latest.innerText()).toMatch(/champion\s+v1 → v2\s+Teammate: canary promoted/);
  });

  it('benchmarks fp32 and int8 at batch 1 on ORT wasm', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/serve`);
    const form = page.getByTestId('benchmark-lab').getByTestId('bench-form');
    const box = (name: string | RegExp) =>
      form.getByRole('checkbox', { name, exact: typeof name === 'string' });
    await box(/^digits-classifier v1\b/).check();
    await box(/^digits-classifier v2\b/).check();
    await box('ORT wasm (ONNX Runtime Web on WebAssembly)').check();
    await box('plain TS (the TypeScript forward pass, the reference)').uncheck();
    for (const b of ['16', '256']) await box(b).uncheck();
    await box('1').check();
    expect(await form.getByTestId('bench-plan').textContent()).toMatch(/^2 cells to measure/);
    await form.getByRole('button', { name: 'Run benchmark' }).click();
    await expect
      .poll(() => form.getByTestId('bench-status').textContent(), { timeout: 90_000 })
      .toMatch(/Measured 2 cells\. Saved/);
  });

  it('rolls champion back to v1 with a reason, then scores 10/10', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/registry`);
    const history = card(page).getByTestId('alias-history');
    await history.getByRole('button', { name: 'Roll back champion' }).click();
    await history.getByLabel('Reason for the rollback').fill('p99 doubled after the int8 canary');
    await history.getByRole('button', { name: 'Roll back to v1' }).click();
    await expect.poll(() => aliasBadges(page)).toContain('champion → v1');

    await openDrill(s);
    const text = await submitFindings(page, /adds DequantizeLinear work per call/);
    console.log(text.replace(/\n+/g, ' | '));
    expect(text).toMatch(/Your last attempt: 10 \/ 10/);
    expect(text).toMatch(
      /Measure: 3 \/ 3\s+Measured in one run at batch 1 on ort-wasm: digits-classifier v1 \(fp32\) p99 /,
    );
    expect(text).toMatch(
      /Roll back: 4 \/ 4\s+You moved champion from digits-classifier v2 \(int8-weight\) back to digits-classifier v1 \(fp32\), reason: "p99 doubled after the int8 canary"/,
    );
    expect(text).toMatch(/Cause: 3 \/ 3\s+Right:/);
  });

  it('an attempt without a rollback gets a partial score and says why', async () => {
    const { page } = s;
    await page.getByRole('button', { name: /^Start another attempt/ }).click();
    const message = await setUpIncident(page);
    expect(message).toMatch(/reused digits-classifier v2, already quantized from v1/);
    const text = await submitFindings(page, /adds DequantizeLinear work per call/);
    expect(text).toMatch(/Your last attempt: 3 \/ 10/);
    expect(text).toMatch(/Measure: 0 \/ 3\s+No benchmark was saved since this attempt started/);
    expect(text).toMatch(
      /Roll back: 0 \/ 4\s+You did not move champion since this attempt started \(the moves since the start were made by a policy, not by you\); it points at digits-classifier v2 \(int8-weight\)/,
    );
    const rows = page.locator('[data-testid="drill-history"] tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.allInnerTexts()).toEqual([
      expect.stringMatching(/3 \/ 10/),
      expect.stringMatching(/10 \/ 10/),
    ]);
  });

  it('drill 12: a crash absorbed by the fallback lab on the drill page scores 10/10', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/drills/model-server-down-at-peak`);
    await page
      .getByRole('heading', { level: 1, name: 'The model server is down at peak' })
      .waitFor();
    await page.getByRole('button', { name: /^Start/ }).click();
    const lab = page.getByTestId('fallback-lab');
    const requests = async () =>
      Number((await lab.getByTestId('ledger-verdict').getAttribute('data-requests')) ?? 0);
    await lab.getByRole('button', { name: 'Start the lab', exact: true }).click();
    await expect.poll(() => lab.getAttribute('data-status'), { timeout: 60_000 }).toBe('running');
    await lab.getByRole('button', { name: 'Start traffic', exact: true }).click();
    await expect.poll(requests, { timeout: 30_000 }).toBeGreaterThanOrEqual(400);
    await lab.getByRole('button', { name: 'Crash the primary', exact: true }).click();
    await expect
      .poll(async () => Number(await lab.getByTestId('served-by-fallback').textContent()), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    await expect.poll(requests, { timeout: 30_000 }).toBeGreaterThanOrEqual(1000);
    await lab.getByRole('button', { name: 'Stop traffic', exact: true }).click();
    await lab.getByRole('button', { name: 'Start traffic', exact: true }).waitFor();
    await lab.getByTestId('fallback-saved').waitFor();
    await page
      .getByLabel(/One follow-up/)
      .fill('Alert on the fallback share; add a readiness probe.');
    const text = await submitFindings(page, /Serve from the fallback chain and restart the worker/);
    console.log(text.replace(/\n+/g, ' | '));
    expect(text).toMatch(/Your last attempt: 10 \/ 10/);
    expect(text).toMatch(
      /Keep serving: 5 \/ 5\s+Your session: [\d,]+ requests, 1 crash injected, \d+ served by a fallback, 0 lost, 0 answered twice/,
    );
    expect(text).toMatch(
      /Follow-up: 2 \/ 2\s+Your answer names "readiness", "probe", "alert", "fallback share"/,
    );
  });

  it('has no serious axe violations, fits a phone, and works from the keyboard', async () => {
    await openDrill(s);
    const { page } = s;
    await page.getByRole('button', { name: /^Start another attempt/ }).click();
    await page.getByRole('button', { name: 'Set up this incident' }).waitFor();
    expect(await axeSerious(page)).toEqual([]);
    await screenshot(page, 'drill-actions-desktop');
    // Keyboard: arrows move within the radio group, Space picks.
    await page.getByRole('radio').first().focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('radio').nth(1).isChecked()).toBe(true);
    await page.setViewportSize(VIEWPORTS.phone);
    await page.waitForTimeout(250);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - innerWidth),
    ).toBeLessThanOrEqual(0);
    await screenshot(page, 'drill-actions-phone');
    await page.setViewportSize(VIEWPORTS.desktop);
  });
});
