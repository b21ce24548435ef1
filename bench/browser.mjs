// What the browser benchmarks share: headless Chromium in a fresh profile with the benchmark
// flags, the page's errors collected, and (for train.mjs and operate-screen.mjs) a buffered
// 'longtask' PerformanceObserver registered before any app script runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ARGS, CHROMIUM } from './startup.mjs';

/** Registered before any app script runs; every long task of the page lands in window.__longTasks. */
function observeLongTasks() {
  const tasks = [];
  window.__longTasks = tasks;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        tasks.push({ startTime: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    window.__longTasks = null; // no Long Tasks API: reported as not measured
  }
}

/**
 * Launches headless Chromium in a fresh profile (`<prefix>-XXXXXX` in the temp folder).
 * `webgpu`: adds the flag WebGPU needs on Linux (there it runs on SwiftShader, a CPU
 * implementation). `longTasks`: installs the long-task observer in every page.
 * Returns the first page, the list its uncaught errors go to, and `close` (browser and profile).
 */
export async function openBenchBrowser(prefix, { webgpu = false, longTasks = false } = {}) {
  const profile = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: webgpu ? [...ARGS, '--enable-unsafe-webgpu'] : ARGS,
    headless: true,
  });
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    if (longTasks) await context.addInitScript(observeLongTasks);
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    return { page, pageErrors, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Opens the app at `url` and waits (up to 60 s) until it says it is ready offline. */
export async function openAppOfflineReady(page, url) {
  await page.goto(url);
  await page
    .locator('[data-testid="offline-status"][data-status="ready"]')
    .waitFor({ state: 'attached', timeout: 60_000 });
}

/**
 * In the page: self-check of the long-task observer. A deliberate 80 ms task in a timer (code
 * that DevTools evaluates directly is not reported as a long task) must be reported; resolves to
 * the longest duration seen since, in ms, or null when the observer saw none. Run it after the
 * measured windows, so that it is never counted in them.
 */
export async function probeLongTaskObserver() {
  const start = performance.now();
  setTimeout(() => {
    const t = performance.now();
    while (performance.now() - t < 80);
  }, 0);
  await new Promise((done) => setTimeout(done, 300));
  const seen = window.__longTasks?.filter((t) => t.startTime >= start) ?? [];
  return seen.length > 0 ? Math.max(...seen.map((t) => t.duration)) : null;
}
