import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeSerious } from './axe';
import { screenshot, SCREENSHOT_DIR, VIEWPORTS } from './browser';
import {
  addScenario,
  alerts,
  meanPct,
  openOperate,
  openTab,
  playToEnd,
  resetAll,
  setField,
  trainAndRegister,
  windows,
} from './operate-helpers';
import { openApp, type Session } from './session';

// 6 simulated hours at 2 requests/s (about 40,000 requests), 30-minute windows; scenarios start
// at hour 2, so window 4 is the first drifted one.
const ONSET_WINDOW = 4;

describe('operate: simulated traffic through the real endpoint, drift and alerts', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openApp();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('says what to do before any model is registered', async () => {
    await s.page.goto(`${s.server.url}#/operate`);
    await s.page.getByTestId('operate-no-models').waitFor();
    expect(
      await s.page.getByTestId('operate-no-models').getByRole('link').getAttribute('href'),
    ).toBe('#/registry');
  });

  it('trains and registers a digits model', async () => {
    await trainAndRegister(s.page, s.server.url);
  });

  it('sets up a small run and refuses bad settings, naming the field', async () => {
    const { page } = s;
    await openOperate(page, s.server.url);
    await setField(page, 'Requests per simulated second', '0');
    await expect
      .poll(() => page.getByTestId('setup-error').textContent())
      .toMatch(/requestsPerSecond must be a number in/);
    expect(await page.getByLabel('Requests per simulated second').inputValue()).toBe('5');
    await setField(page, 'Seed', '7');
    await setField(page, 'Requests per simulated second', '2');
    await setField(page, 'Length (simulated hours)', '6');
    await setField(page, 'Monitoring window (minutes)', '30');
    await expect.poll(() => page.getByTestId('setup-error').count()).toBe(0);
  });

  let control: Awaited<ReturnType<typeof windows>> = [];
  it('runs a no-drift control: every request answered once, no drift alert', async () => {
    const { page } = s;
    await page.evaluate(() => {
      const w = window as unknown as { __longest: number };
      w.__longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
      }).observe({ type: 'longtask' });
    });
    await playToEnd(page);
    const longest = await page.evaluate(
      () => (window as unknown as { __longest: number }).__longest,
    );
    console.info(`longest main-thread task while simulating: ${longest.toFixed(0)} ms`);
    expect(longest).toBeLessThan(200); // DESIGN.md budget; 0 means no task over 50 ms
    control = await windows(page);
    expect(control.length).toBe(12);
    // No alert of any kind: no data drift, no prediction drift, no accuracy or latency alarm.
    expect(await alerts(page)).toEqual([]);
    expect(control.every((w) => w.predictionDrift === 'false')).toBe(true);
    expect(Math.max(...control.map((w) => w.driftShare ?? 1))).toBeLessThan(0.5);
    expect(await page.getByTestId('operate-ledger').textContent()).toMatch(
      /answered once each; 0 lost, 0 answered twice/,
    );
    const status = (await page.getByTestId('operate-status').textContent()) ?? '';
    const served = Number(/([\d,]+) requests served/.exec(status)?.[1].replace(/,/g, ''));
    expect(served).toBeGreaterThan(30_000);
    await screenshot(page, 'operate-control');
  });

  it('brightness x0.6 from hour 2 fires the drift alert in the onset window', async () => {
    const { page } = s;
    await resetAll(page);
    await addScenario(page, 'brightness', { Factor: '0.6' }, '2');
    await page.getByTestId('drift-samples').waitFor();
    await playToEnd(page);
    const fired = (await alerts(page)).filter((a) => a.startsWith('data-drift:firing'));
    expect(fired.length).toBe(1);
    const w = Number(fired[0].split('@')[1]);
    expect(w).toBeGreaterThanOrEqual(ONSET_WINDOW);
    expect(w).toBeLessThanOrEqual(ONSET_WINDOW + 1);
    // Same seed: the windows before the onset are the control run's.
    const rows = await windows(page);
    expect(rows.slice(0, ONSET_WINDOW).map((r) => r.driftShare)).toEqual(
      control.slice(0, ONSET_WINDOW).map((r) => r.driftShare),
    );
    await screenshot(page, 'operate-brightness');
    // Explainable drift: by default the most drifted pixel of the latest window, then a pick.
    await openTab(page, 'drift');
    await page.getByTestId('explain-drift').waitFor();
    expect(await page.getByTestId('explain-which').textContent()).toMatch(/most drifted/);
    await page.getByTestId('drift-cell-36').click();
    await expect
      .poll(() => page.getByTestId('explain-drift').getByRole('heading').first().textContent())
      .toMatch(/px_r4c4/);
    await screenshot(page, 'operate-brightness-drift');
  });

  it('a pixel stuck at zero is flagged on that pixel', async () => {
    const { page } = s;
    await resetAll(page);
    await addScenario(page, 'stuck-at-zero', { 'Feature (column index)': '36' }, '2');
    await playToEnd(page);
    const rows = await windows(page);
    const flagged = rows.map((r) => (r.drifted.includes(36) ? 1 : 0)).join('');
    expect(flagged).toBe('0'.repeat(ONSET_WINDOW) + '1'.repeat(12 - ONSET_WINDOW));
    expect((await alerts(page)).filter((a) => a.startsWith('data-drift'))).toEqual([]);
  });

  it('prior shift shows as prediction drift from the onset window', async () => {
    const { page } = s;
    await resetAll(page);
    await addScenario(
      page,
      'prior-shift',
      { 'Class weights': '5, 5, 0, 0, 0, 0, 0, 0, 0, 0' },
      '2',
    );
    await playToEnd(page);
    const rows = await windows(page);
    expect(rows.map((r) => (r.predictionDrift === 'true' ? 1 : 0)).join('')).toBe(
      '0'.repeat(ONSET_WINDOW) + '1'.repeat(12 - ONSET_WINDOW),
    );
    // ... and the prediction-drift alert fires once, in the onset window, and keeps firing.
    const pred = (await alerts(page)).filter((a) => a.startsWith('prediction-drift'));
    expect(pred).toEqual([`prediction-drift:firing@${ONSET_WINDOW}`]);
    expect(await page.getByTestId('active-alerts').textContent()).toMatch(/Prediction drift/);
  });

  // One run, four shifts an hour each with a quiet half hour between (30-minute windows): the
  // data-drift alert fires in each shift's first window and resolves in the quiet window after.
  it('shift, rotation, thicker strokes and strong noise each fire the data-drift alert', async () => {
    const { page } = s;
    await resetAll(page);
    await addScenario(page, 'shift', { 'Right (pixels)': '1', 'Down (pixels)': '1' }, '0', '1');
    await addScenario(page, 'rotation', { 'Degrees (counter-clockwise)': '20' }, '1.5', '2.5');
    await addScenario(page, 'thicker', { 'Blend (0 to 1)': '0.5' }, '3', '4');
    await addScenario(page, 'noise', { 'Standard deviation': '3' }, '4.5', '5.5');
    await playToEnd(page);
    const drift = (await alerts(page)).filter((a) => a.startsWith('data-drift'));
    console.info(`covariate shifts one after another: ${drift.join(', ')}`);
    expect(drift).toEqual(
      [0, 2, 3, 5, 6, 8, 9, 11].map((w, i) => `data-drift:${i % 2 ? 'resolved' : 'firing'}@${w}`),
    );
  });

  it("a new writer's style (concept drift) fires the accuracy alert once labels arrive", async () => {
    const { page } = s;
    await resetAll(page);
    await addScenario(page, 'new-writer', { Classes: '1, 7', 'Rotation (degrees)': '45' }, '2');
    await playToEnd(page);
    const fired = (await alerts(page)).filter((a) => a.startsWith('accuracy-drop:firing'));
    console.info(`new writer: ${(await alerts(page)).join(', ')}`);
    expect(fired.length).toBe(1);
    expect(Number(fired[0].split('@')[1])).toBeGreaterThanOrEqual(ONSET_WINDOW);
  });

  it('concept drift with labels an hour late: accuracy falls, CBPE does not', async () => {
    const { page } = s;
    await resetAll(page);
    await addScenario(
      page,
      'relabel',
      { Class: '3', 'Now labelled': '8', 'Share (0 to 1)': '1' },
      '2',
    );
    await addScenario(
      page,
      'relabel',
      { Class: '7', 'Now labelled': '1', 'Share (0 to 1)': '1' },
      '2',
    );
    await addScenario(
      page,
      'delayed-labels',
      { 'Delay (simulated minutes)': '60', 'Share of requests labelled (0 to 1)': '1' },
      '0',
    );
    await playToEnd(page);
    const rows = await windows(page);
    // No label arrives in the first hour; the relabelled ones arrive from hour 3 (window 6).
    expect(rows.slice(0, 2).every((r) => r.labels === 0)).toBe(true);
    const before = {
      acc: meanPct(rows.slice(2, 6), (r) => r.accuracy),
      cbpe: meanPct(rows.slice(0, 4), (r) => r.cbpe),
    };
    const after = {
      acc: meanPct(rows, (r) => r.accuracy, 7),
      cbpe: meanPct(rows, (r) => r.cbpe, ONSET_WINDOW),
    };
    console.info(`concept drift: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
    expect(before.acc - after.acc).toBeGreaterThan(10);
    expect(Math.abs(before.cbpe - after.cbpe)).toBeLessThan(1);
    expect(after.cbpe - after.acc).toBeGreaterThan(10); // the gap CBPE cannot see
    expect((await alerts(page)).some((a) => a.startsWith('accuracy-drop:firing'))).toBe(true);
    expect((await alerts(page)).some((a) => a.startsWith('cbpe-drop'))).toBe(false);
    // The last hour's labels are still on their way: the accuracy view says so.
    await openTab(page, 'performance');
    const status = page.getByTestId('labels-status');
    expect(Number(await status.getAttribute('data-pending'))).toBeGreaterThan(5000);
    expect(await status.textContent()).toMatch(/labels pending/);
  });

  // Mild: noise of 0.5 pixel units. Stronger shifts (noise 1, rotation 10 degrees, thicker
  // strokes) break the MLP's calibration: it stays confident while its accuracy falls, and CBPE
  // overestimates by 8 to 50 points (measured), a limit of CBPE the screen's text states.
  it('under mild covariate shift (noise) CBPE tracks the real accuracy within 3 points', async () => {
    const { page } = s;
    await resetAll(page);
    await addScenario(page, 'noise', { 'Standard deviation': '0.5' }, '2');
    await playToEnd(page);
    const rows = await windows(page);
    const acc = meanPct(rows, (r) => r.accuracy, ONSET_WINDOW);
    const cbpe = meanPct(rows, (r) => r.cbpe, ONSET_WINDOW);
    console.info(`noise std 0.5: accuracy ${acc.toFixed(2)}%, CBPE ${cbpe.toFixed(2)}%`);
    expect(Math.abs(cbpe - acc)).toBeLessThan(3);
  });

  it('keeps the log and the alerts across a reload, and resumes on Play', async () => {
    const { page } = s;
    const before = await alerts(page);
    const logRows = await page.locator('[data-testid="prediction-log"] tbody tr').count();
    expect(logRows).toBeGreaterThan(0);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Operate' }).waitFor();
    await page.getByTestId('operate-notice').waitFor();
    expect(await page.getByTestId('operate-notice').textContent()).toMatch(/Restored/);
    await expect.poll(() => alerts(page)).toEqual(before);
    expect(await page.locator('[data-testid="prediction-log"] tbody tr').count()).toBe(logRows);
    expect((await windows(page)).length).toBe(12);
    expect(await page.getByTestId('scenario-list').textContent()).toMatch(/Noise/);
    // Play resumes: the same seed replays the run to where it stopped, with the same alerts.
    await page.getByRole('button', { name: 'Play (resume)' }).click();
    await expect
      .poll(() => page.getByTestId('operate-status').getAttribute('data-status'), {
        timeout: 60_000,
      })
      .toBe('done');
    expect(await alerts(page)).toEqual(before);
    expect(await page.getByTestId('operate-notice').count()).toBe(0);
  });

  it('has no serious accessibility problem, and fits a phone', async () => {
    const { page } = s;
    expect(await axeSerious(page)).toEqual([]);
    // The dashboard's tabs work from the keyboard: arrows move the selection and the focus.
    await page.getByTestId('tab-drift').click();
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('tabpanel-performance').waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Accuracy');
    expect(await axeSerious(page)).toEqual([]);
    await page.setViewportSize(VIEWPORTS.phone);
    await screenshot(page, 'operate-phone');
    // Section by section too: a full page at phone width is too tall to look at.
    for (const part of ['setup', 'controls', 'inject', 'alerts', 'monitoring'])
      await page
        .locator(`section.${part}`)
        .screenshot({ path: `${SCREENSHOT_DIR}/operate-phone-${part}.png` });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > innerWidth);
    expect(overflow).toBe(false);
    await page.setViewportSize(VIEWPORTS.desktop);
  });
});
