import { readFileSync } from 'node:fs';
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

/** Incidents: an Operate run with drift and a real alias move, on two clocks, and the post-mortem. */
describe('incidents: timeline and post-mortem', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  const open = async (page: Page) => {
    await page.goto(`${s.server.url}#/incidents`);
    await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
  };
  const REASON = 'first release | v1 #1';

  it('says what to do when no simulation is saved', async () => {
    await open(s.page);
    await s.page.getByTestId('incidents-empty').waitFor();
    expect(await s.page.getByTestId('incidents-empty').getByRole('link').getAttribute('href')).toBe(
      '#/operate',
    );
  });

  it('seeds: a champion move in the registry and a drifting simulation', async () => {
    const { page } = s;
    await trainAndRegister(page, s.server.url);
    await page.goto(`${s.server.url}#/registry`);
    const row = page.locator(
      '[data-testid="model-card"][data-model="digits-classifier"] tr[data-version="1"]',
    );
    await row.getByRole('button', { name: 'Make champion (v1)' }).click();
    await row.getByLabel('Reason for moving champion').fill(REASON);
    await row.getByRole('button', { name: 'Move champion to v1' }).click();
    await expect
      .poll(() => page.getByTestId('model-aliases').textContent())
      .toContain('champion → v1');

    await openOperate(page, s.server.url);
    await setField(page, 'Seed', '7');
    await setField(page, 'Requests per simulated second', '2');
    await setField(page, 'Length (simulated hours)', '6');
    await setField(page, 'Monitoring window (minutes)', '30');
    await addScenario(page, 'brightness', { Factor: '0.6' }, '2');
    await playToEnd(page);
    expect((await alerts(page)).some((a) => a.startsWith('data-drift:firing'))).toBe(true);
  });

  it('shows the alert on the simulated clock and the alias move on the wall clock', async () => {
    const { page } = s;
    await open(page);
    const sim = page.getByTestId('incident-sim-events');
    await sim.waitFor();
    const fired = sim.locator('li[data-kind="alert-fired"]').filter({ hasText: 'data drift' });
    expect(await fired.count()).toBeGreaterThanOrEqual(1);
    // The metrics of the windows around it are shown, computed from the saved windows.
    expect(await fired.first().textContent()).toMatch(/drift share 0\.\d\d → 0\.\d\d/);
    expect(await sim.locator('li[data-kind="note"]').first().textContent()).toContain(
      'Scenario starts: brightness',
    );
    const ops = page.getByTestId('incident-ops-events');
    const deploy = ops.locator('li[data-kind="deploy"]');
    expect(await deploy.textContent()).toContain('digits-classifier champion set to v1');
    expect(await deploy.textContent()).toContain(REASON);
    expect(await page.getByTestId('incident-impact').textContent()).toMatch(
      /First alert day 0, 0[2-3]:\d\d:00 \(\d+(\.\d)? min after the injected scenario began\)/,
    );
    expect(await axeSerious(page)).toEqual([]);
  });

  it('keeps the post-mortem across a reload and refuses a bad due date', async () => {
    const { page } = s;
    await page.getByTestId('pm-title').fill('Dark images | v1 `#2`');
    await page.getByTestId('pm-summary').fill('Brightness fell to 60%.\n# not a heading');
    await page.getByTestId('pm-rootCause').fill('Camera exposure changed upstream.');
    await page.getByTestId('pm-add-action').click();
    await page.getByLabel('Action 1', { exact: true }).fill('Alert on brightness | upstream');
    await page.getByLabel('Owner').fill('Data team');
    await page.getByLabel('Due (YYYY-MM-DD)').fill('2026-12-01');
    await expect.poll(() => page.getByTestId('pm-saved').textContent()).toContain('Saved');
    await page.getByLabel('Due (YYYY-MM-DD)').fill('next week');
    await expect
      .poll(() => page.getByTestId('pm-problems').textContent())
      .toContain('Action item 1: the due date "next week" is not a date (YYYY-MM-DD).');
    await page.reload();
    await page.getByTestId('pm-title').waitFor();
    await expect
      .poll(() => page.getByTestId('pm-title').inputValue())
      .toBe('Dark images | v1 `#2`');
    expect(await page.getByTestId('pm-summary').inputValue()).toBe(
      'Brightness fell to 60%.\n# not a heading',
    );
    // The bad date was never saved: the last good draft came back.
    expect(await page.getByLabel('Due (YYYY-MM-DD)').inputValue()).toBe('2026-12-01');
    const preview = page.getByTestId('pm-preview');
    expect(await preview.locator('h3').first().textContent()).toBe('Dark images | v1 `#2`');
    expect(await preview.textContent()).toContain('# not a heading');
  });

  it('downloads the markdown with the generated timeline and the learner text', async () => {
    const { page } = s;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('pm-download').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^postmortem-sim-[\w-]+-\d{4}-\d\d-\d\d\.md$/);
    const md = readFileSync((await download.path()) ?? '', 'utf8');
    expect(md.startsWith('# Dark images \\| v1 \\`\\#2\\`\n')).toBe(true);
    for (const h of [
      'Summary',
      'Impact',
      'Detection',
      'Timeline (simulated time)',
      'Operational events (wall clock)',
      'Root cause',
      'Action items',
    ])
      expect(md).toContain(`\n## ${h}\n`);
    expect(md).toMatch(/\n\| day 0, 0\d:\d\d:00 \| Alert fired: data drift \| .+ \| accuracy /);
    expect(md).toMatch(
      /\| digits-classifier champion set to v1 \| learner \| first release \\\| v1 \\#1 \|/,
    );
    expect(md).toContain('Brightness fell to 60%.\\\n\\# not a heading');
    expect(md).toContain('| Alert on brightness \\| upstream | Data team | 2026-12-01 |');
    expect(md).toMatch(/\| Requests affected \| [\d,]+ in \d+ windows/);
  });

  it('reads well at desktop and phone width, and works from the keyboard', async () => {
    const { page } = s;
    await page.setViewportSize(VIEWPORTS.desktop);
    await screenshot(page, 'incidents-desktop');
    await page.setViewportSize(VIEWPORTS.phone);
    await screenshot(page, 'incidents-phone');
    expect(await axeSerious(page)).toEqual([]);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    if (overflow > 0)
      console.info(
        await page.evaluate(() =>
          [...document.querySelectorAll('main *')]
            .filter((e) => e.getBoundingClientRect().right > 392)
            .slice(0, 12)
            .map(
              (e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`,
            )
            .join('\n'),
        ),
      );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize(VIEWPORTS.desktop);
    // Tab from the session picker through the form to the download button.
    await page.getByTestId('incident-session').focus();
    const reached: string[] = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      reached.push(
        await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? ''),
      );
      if (reached.at(-1) === 'pm-download') break;
    }
    expect(reached).toContain('pm-title');
    expect(reached).toContain('pm-add-action');
    expect(reached.at(-1)).toBe('pm-download');
    expect(await s.watch.cspViolations()).toEqual([]);
    expect(s.watch.errors).toEqual([]);
  });
});
