import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDrill } from '../../src/lib/lessons/drills-parse';
import type { IncidentDrill } from '../../src/lib/lessons/drills-types';
import { axeSerious } from './axe';
import { screenshot, VIEWPORTS } from './browser';
import { openApp, type Session } from './session';

const DESIGN = 'recs-1m-daily-users';
const INCIDENT_FILE = 'lessons/drills/10-predictions-degraded.md';
const incident = parseDrill(INCIDENT_FILE, readFileSync(INCIDENT_FILE, 'utf8')) as IncidentDrill;

/** The saved answers of the newest attempt at `drillId`, read from IndexedDB in the page. */
function savedAnswers(page: Page, drillId: string): Promise<Record<string, string> | null> {
  return page.evaluate(
    (id) =>
      new Promise<Record<string, string> | null>((resolve, reject) => {
        const open = indexedDB.open('pocket-mlops');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result
            .transaction('drillAttempts')
            .objectStore('drillAttempts')
            .index('byDrill')
            .getAll(id);
          req.onsuccess = () => {
            const all = req.result as { startedAt: number; answers: Record<string, string> }[];
            all.sort((a, b) => b.startedAt - a.startedAt);
            open.result.close();
            resolve(all[0]?.answers ?? null);
          };
        };
      }),
    drillId,
  );
}

/**
 * Saves an Operate session of `spec` that reached `simTimeMs`, as the Operate screen saves its
 * runs, so grading can be tested without training and registering a model first.
 */
function seedSimSession(page: Page, spec: object, simTimeMs: number): Promise<void> {
  const record = {
    id: `sim-e2e-${simTimeMs}`,
    createdAt: Date.now(),
    updatedAt: Date.now() + simTimeMs / 1000,
    versionId: 'digits-classifier@v1',
    spec,
    simTimeMs,
    requests: 100,
    windows: [],
    alerts: [],
    log: [],
    ledger: { recorded: 100, lost: 0, doubled: 0 },
  };
  return page.evaluate(
    (r) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('pocket-mlops');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('simSessions', 'readwrite');
          tx.objectStore('simSessions').put(r);
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    record,
  );
}

async function fillFindings(
  page: Page,
  f: { features: string; kind: string; onset: string; action: string },
): Promise<void> {
  await page.getByLabel('Drifted feature(s)').fill(f.features);
  await page.getByLabel('Kind of problem').selectOption(f.kind);
  await page.getByLabel('Since when (simulated time)').fill(f.onset);
  await page.getByLabel('What you do first').selectOption(f.action);
  await page.getByRole('button', { name: 'Submit findings for grading' }).click();
}

describe('interview drills', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('design drill: canvas text survives a reload, self-score lands in the history', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/drills`);
    await page.getByRole('heading', { level: 1, name: 'Interview drills' }).waitFor();
    expect(await page.locator('[data-drill]').count()).toBeGreaterThanOrEqual(10);
    await page.getByRole('link', { name: 'Recommendations for 1M daily users' }).click();
    await page.getByRole('button', { name: /^Start/ }).click();
    await page.getByTestId('drill-timer').waitFor();
    expect(await page.getByTestId('drill-timer').textContent()).toMatch(/Time left\s*1[45]:\d\d/);

    const text = 'About 200 requests/s at peak; 200 ms budget.';
    await page.getByLabel('Requirements').fill(text);
    await page.getByLabel('Trade-offs').fill('Precompute vs real time.');
    await expect.poll(() => savedAnswers(page, DESIGN)).toMatchObject({ requirements: text });
    await page.reload();
    await expect.poll(() => page.getByLabel('Requirements').inputValue()).toBe(text);
    expect(await page.getByLabel('Trade-offs').inputValue()).toBe('Precompute vs real time.');

    // Revealing early is allowed and recorded.
    await page.getByRole('button', { name: 'Show the model answer now' }).click();
    await page.getByTestId('model-answer').getByText('Shown before scoring').waitFor();
    await page.getByRole('button', { name: 'Submit and score' }).click();
    await page.getByRole('heading', { name: 'Score yourself' }).waitFor();
    await page.locator('select[data-rubric="sizing"]').selectOption('2');
    await page.locator('select[data-rubric="trade-offs"]').selectOption('1');
    await page.getByRole('button', { name: 'Save my score' }).click();
    await page.getByRole('heading', { name: 'Your last attempt: 3 / 14' }).waitFor();

    await page.reload();
    const row = page.getByTestId('drill-history').locator('tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/3 \/ 14.*Seen before scoring/);
    await page.goto(`${s.server.url}#/drills`);
    const item = page.locator(`[data-drill="${DESIGN}"]`);
    await expect.poll(() => item.getByTestId('drill-best').textContent()).toContain('3 / 14');
    expect((await item.getByTestId('drill-attempts').textContent())?.trim()).toBe('1');
  });

  it('incident drill: links the simulation, refuses bad input, grades wrong then right findings', async () => {
    const { page } = s;
    await page.goto(`${s.server.url}#/drills/${incident.meta.id}`);
    await page.getByRole('button', { name: /^Start/ }).click();
    const href = await page.getByTestId('open-simulation').getAttribute('href');
    expect(href).toMatch(/^#\/operate\/scenario\/[A-Za-z0-9_-]+$/);
    const payload = href!.split('/').pop()!;
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))).toEqual(
      incident.operate,
    );

    await fillFindings(page, {
      features: '99',
      kind: 'covariate',
      onset: '01:00',
      action: 'retrain',
    });
    await page.getByText('"99" is not a feature').waitFor();
    expect(await page.getByTestId('drill-result').count()).toBe(0);

    // Grading needs a saved run of this simulation that went one window past the onset.
    const right = {
      features: '27, 28 px_r4c3 36',
      kind: 'upstream-bug',
      onset: 'day 0, 06:20',
      action: 'fix-upstream',
    };
    await fillFindings(page, right);
    await page.getByText('Run the simulation first').waitFor();
    await seedSimSession(page, incident.operate, incident.answer.onsetMs);
    await fillFindings(page, right);
    await page.getByText('Run the simulation further').waitFor();
    await seedSimSession(page, { ...incident.operate, seed: 99 }, 43_200_000); // another run
    await fillFindings(page, right);
    await page.getByText('Run the simulation further').waitFor();
    expect(await page.getByTestId('drill-result').count()).toBe(0);
    await seedSimSession(page, incident.operate, 43_200_000);
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect
      .poll(() => page.getByTestId('simulation-progress').textContent())
      .toContain('reached day 0, 12:00:00');
    await page.setViewportSize(VIEWPORTS.phone);
    await page.waitForTimeout(200);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    expect(await axeSerious(page)).toEqual([]);
    await screenshot(page, 'drill-incident-phone');
    await page.setViewportSize(VIEWPORTS.desktop);

    await fillFindings(page, {
      features: '0',
      kind: 'covariate',
      onset: 'day 0, 01:00',
      action: 'retrain',
    });
    const result = page.getByTestId('drill-result');
    await result.getByRole('heading', { name: 'Your last attempt: 0 / 10' }).waitFor();
    expect(await result.locator('[data-finding="kind"]').textContent()).toMatch(
      /not because the world did/,
    );
    expect(await result.locator('[data-finding="action"]').textContent()).toMatch(
      /teaches the model the bug/,
    );

    await page.getByRole('button', { name: /^Start another attempt/ }).click();
    await fillFindings(page, right);
    await result.getByRole('heading', { name: 'Your last attempt: 10 / 10' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Your last attempt: 10 / 10' }).waitFor();
    const rows = await page.getByTestId('drill-history').locator('tbody tr').allTextContents();
    expect(rows.map((r) => r.match(/\d+ \/ 10/)?.[0])).toEqual(['10 / 10', '0 / 10']);
    await screenshot(page, 'drill-incident-graded-desktop');
  });

  it('course map and a drill page: accessible, fit a phone, screenshots', async () => {
    const { page } = s;
    for (const [name, hash, heading] of [
      ['course-map', '#/course', 'Course map'],
      ['drill-design', `#/drills/${DESIGN}`, 'Recommendations for 1M daily users'],
    ] as const) {
      await page.setViewportSize(VIEWPORTS.desktop);
      await page.goto(`${s.server.url}${hash}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      if (name === 'drill-design') {
        // A drill mid-attempt: the clock, the canvas and the earlier attempt in the history.
        await page.getByRole('button', { name: /^Start another attempt/ }).click();
        await page.getByLabel('Requirements').fill('Peak about 200 requests/s; 200 ms budget.');
      }
      await page.waitForTimeout(300);
      expect(await axeSerious(page)).toEqual([]);
      await screenshot(page, `${name}-desktop`);
      await page.setViewportSize(VIEWPORTS.phone);
      await page.waitForTimeout(200);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, `${name}-phone`);
    }
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.goto(`${s.server.url}#/course`);
    const first = page.locator('[data-lesson="after-the-notebook"]');
    await first.waitFor();
    expect(await first.getByTestId('map-status').textContent()).toBe('Not started');
    expect(await first.getByTestId('map-exercises').textContent()).toMatch(
      /^0 \/ \d+ exercises passed$/,
    );
    // Keyboard: the lesson links are reachable with Tab and open with Enter.
    await first.getByRole('link').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/lessons\/after-the-notebook$/);
  });
});
