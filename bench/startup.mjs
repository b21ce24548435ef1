// Time to first render and to offline-ready in headless Chromium, fresh profile each run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { median } from './stats.mjs';

/** Debian's Chromium (the benchmarks never download a browser). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Flags of every benchmark browser (bench/train.mjs and bench/serve.mjs use the same). */
export const ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** One cold first visit: ms from navigation start to first contentful paint, to the home heading, to offline-ready. */
async function oneVisit(url) {
  const profile = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    const firstRender = await page.waitForFunction(() => {
      const h1 = document.querySelector('main h1');
      return h1 ? performance.now() : 0;
    });
    const firstRenderMs = await firstRender.jsonValue();
    const offlineReady = await page.waitForFunction(
      () =>
        navigator.serviceWorker.controller && document.querySelector('[data-status="ready"]')
          ? performance.now()
          : 0,
      undefined,
      { timeout: 60_000, polling: 10 },
    );
    const offlineReadyMs = await offlineReady.jsonValue();
    const fcp = await page.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    );
    return { firstContentfulPaintMs: fcp, firstRenderMs, offlineReadyMs };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

export { median };

/** Runs `runs` cold visits and reports each and the medians. */
export async function startupTimes(url, runs = 5) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await oneVisit(url));
  const pick = (k) => median(samples.map((s) => s[k]).filter((v) => v !== null));
  return {
    runs,
    medianFirstContentfulPaintMs: pick('firstContentfulPaintMs'),
    medianFirstRenderMs: pick('firstRenderMs'),
    medianOfflineReadyMs: pick('offlineReadyMs'),
    samples,
  };
}
