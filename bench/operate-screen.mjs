// The Operate screen in headless Chromium, the way a learner uses it: train digits with the
// defaults on the Train screen, register the run, open #/operate, keep the default run (a
// simulated day at 5 requests/s, 30-minute windows, seed 1), inject brightness x0.6 from hour 12,
// and play at full speed to the end. Long main-thread tasks come from a buffered 'longtask'
// PerformanceObserver registered before navigation (as bench/train.mjs does).
import { openAppOfflineReady, openBenchBrowser, probeLongTaskObserver } from './browser.mjs';

/** The scenario injected, as the screen's form takes it. */
export const SCREEN_SCENARIO = Object.freeze({ kind: 'brightness', factor: '0.6', hour: '12' });

/**
 * In the page: clicks Play and resolves when the status reaches done or failed, with the page's
 * times of the click, of 'playing' (the endpoint is up and the reference measured) and of the end.
 */
function playAndWait() {
  const status = document.querySelector('[data-testid="operate-status"]');
  const play = [...document.querySelectorAll('button')].find((b) =>
    /^Play/.test(b.textContent.trim()),
  );
  if (!status || !play) throw new Error('the Operate screen is not showing its Play button');
  if (play.disabled) throw new Error('Play is disabled (no model version selected?)');
  return new Promise((resolve, reject) => {
    let tPlaying = null;
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`not done after 540 s (status ${status.dataset.status})`));
    }, 540_000);
    const check = () => {
      const s = status.dataset.status;
      if (s === 'playing' && tPlaying === null) tPlaying = performance.now();
      if (s === 'done' || s === 'failed') {
        const t1 = performance.now();
        observer.disconnect();
        clearTimeout(timer);
        resolve({ t0, tPlaying, t1, status: s });
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(status, { attributes: true, attributeFilter: ['data-status'] });
    const t0 = performance.now();
    play.click();
    check();
  });
}

async function trainAndRegister(page) {
  await page.evaluate(() => (location.hash = '#/train'));
  await page.getByRole('heading', { level: 1, name: 'Train' }).waitFor();
  await page.getByLabel('Data set').selectOption('digits');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByRole('link', { name: 'Evaluate this run' }).waitFor({ timeout: 300_000 });
  await page.evaluate(() => (location.hash = '#/registry'));
  await page.getByRole('heading', { level: 1, name: /Registry/ }).waitFor();
  const form = page.getByTestId('register-run');
  await form.getByLabel('Run to register').waitFor();
  await form.getByLabel('Model name').fill('digits-classifier');
  await form.getByRole('button', { name: 'Register', exact: true }).click();
  await page
    .getByTestId('register-message')
    .filter({ hasText: 'digits-classifier' })
    .waitFor({ timeout: 60_000 });
}

async function addScenario(page) {
  const card = page.locator('section.inject');
  await card.getByLabel('Scenario', { exact: true }).selectOption(SCREEN_SCENARIO.kind);
  await card.getByLabel('Factor').fill(SCREEN_SCENARIO.factor);
  await card.getByLabel('Start (simulated hour)').fill(SCREEN_SCENARIO.hour);
  await card.getByRole('button', { name: 'Add scenario' }).click();
  await card.locator('[data-testid="scenario-list"] li').first().waitFor();
}

/** Runs the flow on the built app at `url`; returns the long tasks and the run's figures. */
export async function operateScreenBench(url) {
  const { page, pageErrors, close } = await openBenchBrowser('bench-operate-profile', {
    longTasks: true,
  });
  try {
    await openAppOfflineReady(page, url);
    await trainAndRegister(page);
    await page.evaluate(() => (location.hash = '#/operate'));
    await page.getByRole('heading', { level: 1, name: 'Operate' }).waitFor();
    await page.getByLabel('Model version').waitFor();
    await addScenario(page);
    await page.getByLabel('Speed').selectOption('max');
    const run = await page.evaluate(playAndWait);
    const statusText = (await page.getByTestId('operate-status').textContent()) ?? '';
    if (run.status !== 'done') throw new Error(`the run ended ${run.status}: ${statusText.trim()}`);
    const served = Number(/([\d,]+) requests served/.exec(statusText)?.[1].replace(/,/g, ''));
    const ledgerText = (await page.getByTestId('operate-ledger').textContent())?.trim() ?? '';
    const windows = await page.locator('[data-testid="operate-summary"] tbody tr').count();
    const alerts = await page.$$eval('[data-testid="alert-list"] li', (lis) =>
      lis.map((li) => `${li.dataset.rule}:${li.dataset.state}@${li.dataset.window}`).reverse(),
    );
    // Self-check of the observer, after the run so it is never counted in it (train.mjs does
    // the same): a deliberate 80 ms task in a timer must be reported.
    const probe = await page.evaluate(probeLongTaskObserver);
    const longTasks = await page.evaluate(() => window.__longTasks);
    const overlapping = (from, to) =>
      longTasks?.filter((t) => t.startTime < to && t.startTime + t.duration > from) ?? null;
    const during = overlapping(run.t0, run.t1);
    const simulating = overlapping(run.tPlaying ?? run.t0, run.t1);
    const longest = (tasks) => (tasks ? Math.max(0, ...tasks.map((t) => t.duration)) : null);
    const simSeconds = (run.t1 - (run.tPlaying ?? run.t0)) / 1000;
    return {
      spec: 'default run: seed 1, 5 requests/s, 24 simulated hours, 30-minute windows',
      scenario: `brightness x${SCREEN_SCENARIO.factor} from hour ${SCREEN_SCENARIO.hour}`,
      runtime: 'ort-wasm, 1 thread (the Operate default)',
      served,
      windows,
      alerts,
      ledger: ledgerText,
      clickToDoneMs: run.t1 - run.t0,
      startingMs: run.tPlaying !== null ? run.tPlaying - run.t0 : null,
      simulatingMs: simSeconds * 1000,
      requestsPerSecond: served / simSeconds,
      longTasksObserved: longTasks !== null,
      longTaskProbeMs: probe,
      /** From the Play click to done: includes starting the endpoint and measuring the reference. */
      longestTaskMs: longest(during),
      longTasksOver50: during?.length ?? null,
      /** While playing only. */
      longestTaskPlayingMs: longest(simulating),
      longTasksPlayingOver50: simulating?.length ?? null,
      longTasksTop: during ? [...during].sort((a, b) => b.duration - a.duration).slice(0, 5) : null,
      hardwareConcurrency: await page.evaluate(() => navigator.hardwareConcurrency),
      pageErrors,
    };
  } finally {
    await close();
  }
}
