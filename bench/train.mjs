// Training digits in the built app, the way a learner does: the Train screen in headless Chromium,
// default settings, split seed 0, one run per initialisation seed, in one browser profile. Per run:
// the test accuracy, training time and backend from the run record the app saved in IndexedDB,
// the click-to-saved wall time measured in the page, and the longest main-thread task (a buffered
// 'longtask' PerformanceObserver registered before navigation) while the run was going.
import { openAppOfflineReady, openBenchBrowser, probeLongTaskObserver } from './browser.mjs';
import { median } from './stats.mjs';

/**
 * In the page: clicks Train and resolves when the run is saved with a final status (the status
 * card's `data-status` leaves the previous final state, then reaches a final one again; the app
 * sets it after the run record is written to IndexedDB). Times with the page's clock.
 */
function clickTrainAndWait() {
  const FINAL = new Set(['completed', 'failed', 'cancelled']);
  const card = document.querySelector('[data-testid="train-status"]');
  const button = [...document.querySelectorAll('button')].find(
    (b) => b.textContent.trim() === 'Train',
  );
  if (!card || !button) throw new Error('the Train screen is not showing');
  if (button.disabled) throw new Error('the Train button is disabled (a field is invalid?)');
  return new Promise((resolve, reject) => {
    let left = false;
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`no final status after 120 s (status ${card.dataset.status})`));
    }, 120_000);
    const check = () => {
      const status = card.dataset.status;
      if (!FINAL.has(status)) left = true;
      else if (left) {
        const t1 = performance.now();
        observer.disconnect();
        clearTimeout(timer);
        resolve({ t0, t1, status });
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(card, { attributes: true, attributeFilter: ['data-status'] });
    const t0 = performance.now();
    button.click();
    check();
  });
}

/** In the page: the runs the app saved (small fields only), read from its IndexedDB. */
function readRuns() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('pocket-mlops');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const get = db.transaction('runs', 'readonly').objectStore('runs').getAll();
      get.onerror = () => reject(get.error);
      get.onsuccess = () => {
        db.close();
        resolve(
          get.result.map((r) => ({
            id: r.id,
            createdAt: r.createdAt,
            datasetId: r.datasetId,
            seed: r.seed,
            splitSeed: r.splitSeed,
            status: r.status,
            backend: r.backend,
            durationMs: r.durationMs,
            hyperparameters: r.hyperparameters,
            testAccuracy: r.metrics?.testAccuracy ?? null,
            epochsRun: r.metrics?.epochsRun ?? null,
            stoppedEarly: r.metrics?.stoppedEarly ?? null,
          })),
        );
      };
    };
  });
}

/**
 * Trains digits once per seed in `seeds` (split seed `splitSeed`) and reports each run and the
 * medians. The first run also starts the training worker and its backend (cold); the record's
 * `durationMs` (the training loop alone) excludes that, the click-to-saved time includes it.
 */
export async function trainingBench(url, { seeds = [0, 1, 2, 3, 4], splitSeed = 0 } = {}) {
  const { page, pageErrors, close } = await openBenchBrowser('bench-train-profile', {
    longTasks: true,
  });
  try {
    // Offline-ready first (shown on the home screen), so that the service worker's precache
    // does not compete with training; then to the Train screen without a reload.
    await openAppOfflineReady(page, url);
    await page.evaluate(() => (location.hash = '#/train'));
    await page.getByRole('heading', { level: 1, name: 'Train' }).waitFor();
    await page.getByLabel('Data set').selectOption('digits');
    await page.getByLabel('Split seed').fill(String(splitSeed));
    const clicks = [];
    for (const seed of seeds) {
      await page.getByLabel('Initialisation seed').fill(String(seed));
      await page.getByRole('button', { name: 'Train', exact: true }).waitFor();
      const click = await page.evaluate(clickTrainAndWait);
      if (click.status !== 'completed') {
        const why = await page.getByTestId('train-status').textContent();
        throw new Error(`seed ${seed}: the run ended ${click.status}: ${why?.trim()}`);
      }
      clicks.push({ seed, ...click });
    }
    const runs = (await page.evaluate(readRuns)).sort((a, b) => a.createdAt - b.createdAt);
    // Self-check of the observer: a deliberate 80 ms task must show up, or "no long task" means
    // nothing. Run after the training windows, so it is never counted in them.
    const probe = await page.evaluate(probeLongTaskObserver);
    const longTasks = await page.evaluate(() => window.__longTasks);
    const hardwareConcurrency = await page.evaluate(() => navigator.hardwareConcurrency);
    if (runs.length !== clicks.length)
      throw new Error(`expected ${clicks.length} saved runs, found ${runs.length}`);
    const samples = clicks.map((click, i) => {
      const run = runs[i];
      if (run.seed !== click.seed || run.splitSeed !== splitSeed || run.datasetId !== 'digits')
        throw new Error(`run ${run.id} is not digits seed ${click.seed}: ${JSON.stringify(run)}`);
      const during = longTasks?.filter(
        (t) => t.startTime < click.t1 && t.startTime + t.duration > click.t0,
      );
      return {
        seed: click.seed,
        testAccuracy: run.testAccuracy,
        durationMs: run.durationMs,
        clickToSavedMs: click.t1 - click.t0,
        backend: run.backend,
        epochsRun: run.epochsRun,
        stoppedEarly: run.stoppedEarly,
        longTasks: during ? during.length : null,
        longestTaskMs: during ? Math.max(0, ...during.map((t) => t.duration)) : null,
      };
    });
    const pick = (k) => median(samples.map((s) => s[k]));
    return {
      dataset: 'digits',
      splitSeed,
      seeds,
      hyperparameters: runs[0].hyperparameters,
      backends: [...new Set(samples.map((s) => s.backend))],
      hardwareConcurrency,
      medianTestAccuracy: pick('testAccuracy'),
      medianDurationMs: pick('durationMs'),
      medianClickToSavedMs: pick('clickToSavedMs'),
      longTasksObserved: longTasks !== null,
      /** Duration the observer reported for a deliberate 80 ms task (null: it saw none). */
      longTaskProbeMs: probe,
      longestTaskMs: longTasks ? Math.max(...samples.map((s) => s.longestTaskMs)) : null,
      pageErrors,
      samples,
    };
  } finally {
    await close();
  }
}
