import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** One monitoring window as the summary table shows it (its data attributes). */
export type WindowRow = {
  window: number;
  driftShare: number | null;
  accuracy: number | null;
  labels: number;
  cbpe: number | null;
  predictionDrift: string;
  alerts: string;
  names: string;
  /** Indices of the drifted features. */
  drifted: number[];
};

/** Trains digits with the defaults and registers the run as digits-classifier v1. */
export async function trainAndRegister(page: Page, url: string): Promise<void> {
  await page.goto(`${url}#/train`);
  await page.getByRole('heading', { level: 1, name: 'Train' }).waitFor();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByRole('link', { name: 'Evaluate this run' }).waitFor({ timeout: 120_000 });
  await page.goto(`${url}#/registry`);
  await page.getByRole('heading', { level: 1, name: /Registry/ }).waitFor();
  const form = page.getByTestId('register-run');
  await form.getByLabel('Run to register').waitFor();
  await form.getByLabel('Model name').fill('digits-classifier');
  await form.getByRole('button', { name: 'Register', exact: true }).click();
  await expect
    .poll(() => page.getByTestId('register-message').textContent(), { timeout: 30_000 })
    .toMatch(/digits-classifier/);
}

export async function openOperate(page: Page, url: string): Promise<void> {
  await page.goto(`${url}#/operate`);
  await page.getByRole('heading', { level: 1, name: 'Operate' }).waitFor();
  await page.getByLabel('Model version').waitFor();
}

/** Types a value and commits it (the fields apply on change). */
export async function setField(page: Page, label: string, value: string, scope?: string) {
  const root = scope ? page.locator(scope) : page;
  const input = root.getByLabel(label, { exact: true });
  await input.fill(value);
  await input.dispatchEvent('change');
}

/** Adds a scenario: its kind, parameter values by label, the start and (optional) end hour. */
export async function addScenario(
  page: Page,
  kind: string,
  params: Record<string, string>,
  startHours: string,
  endHours = '',
): Promise<void> {
  const card = page.locator('section.inject');
  await card.getByLabel('Scenario', { exact: true }).selectOption(kind);
  for (const [label, v] of Object.entries(params)) await card.getByLabel(label).fill(v);
  await card.getByLabel('Start (simulated hour)').fill(startHours);
  await card.getByLabel('End (simulated hour, optional)').fill(endHours); // '' = no end
  const before = await card.locator('[data-testid="scenario-list"] li').count();
  await card.getByRole('button', { name: 'Add scenario' }).click();
  expect(await card.getByTestId('scenario-error').count()).toBe(0);
  await expect
    .poll(() => card.locator('[data-testid="scenario-list"] li').count())
    .toBe(before + 1);
}

/** Resets the run and removes every scenario. */
export async function resetAll(page: Page): Promise<void> {
  const reset = page.getByRole('button', { name: 'Reset', exact: true });
  if (await reset.isEnabled()) await reset.click();
  const remove = page.locator('[data-testid="scenario-list"] li button');
  while ((await remove.count()) > 0) await remove.first().click();
}

/** Plays at full speed to the end of the run. */
export async function playToEnd(page: Page): Promise<void> {
  await page.getByLabel('Speed', { exact: true }).selectOption('max');
  await page.getByRole('button', { name: /^Play/ }).click();
  const status = page.getByTestId('operate-status');
  await expect
    .poll(() => status.getAttribute('data-status'), { timeout: 120_000, interval: 500 })
    .toMatch(/done|failed/);
  expect(await page.getByTestId('operate-error').count()).toBe(0);
}

/** Opens one of the monitoring dashboard's tabs ('drift', 'performance', 'windows'...). */
export async function openTab(page: Page, id: string): Promise<void> {
  await page.getByTestId(`tab-${id}`).click();
  await page.getByTestId(`tabpanel-${id}`).waitFor();
}

/** The summary table's windows (its tab), oldest first. */
export async function windows(page: Page): Promise<WindowRow[]> {
  await openTab(page, 'windows');
  const rows = await page.$$eval('[data-testid="operate-summary"] tbody tr', (trs) =>
    trs.map((tr) => {
      const d = (tr as HTMLElement).dataset;
      const num = (s: string | undefined) => (s === undefined || s === '' ? null : Number(s));
      return {
        window: Number(d.window),
        driftShare: num(d.driftShare),
        accuracy: num(d.accuracy),
        labels: Number(d.labels),
        cbpe: num(d.cbpe),
        predictionDrift: d.predictionDrift ?? '',
        alerts: d.alerts ?? '',
        names: tr.querySelector('td.names')?.textContent ?? '',
        drifted: (d.drifted ?? '').split(' ').filter(Boolean).map(Number),
      };
    }),
  );
  return rows.reverse();
}

/** Alerts of the alert list as "rule:state@window", oldest first. */
export async function alerts(page: Page): Promise<string[]> {
  const items = await page.$$eval('[data-testid="alert-list"] li', (lis) =>
    lis.map((li) => {
      const d = (li as HTMLElement).dataset;
      return `${d.rule}:${d.state}@${d.window}`;
    }),
  );
  return items.reverse();
}

/** Mean of a window figure over windows from `from` on (nulls left out), in percent. */
export function meanPct(rows: WindowRow[], pick: (w: WindowRow) => number | null, from = 0) {
  const v = rows
    .filter((w) => w.window >= from)
    .map(pick)
    .filter((x): x is number => x !== null);
  expect(v.length).toBeGreaterThan(0);
  return (100 * v.reduce((a, b) => a + b, 0)) / v.length;
}
