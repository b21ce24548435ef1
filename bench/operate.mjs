// BENCH_ONLY=operate: issue 6's budgets (DESIGN.md). (1) Drift on 64 features over 10,000-row
// windows (<= 50 ms per window), in Node and in headless Chromium (the app runs the monitor on
// the main thread); exact KS on unequal sizes timed on its own. (2) 1,000,000 simulated requests
// with monitoring (<= 10 s), in Node. (3) The main thread's longest task while the Operate
// screen simulates (<= 200 ms), in the built app (dist/, or BENCH_OPERATE_DIST).
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { build, preview, runnerImport } from 'vite';
import { driftBench } from './operate-drift.mjs';
import { operateScreenBench } from './operate-screen.mjs';
import { simulationBench } from './operate-sim.mjs';
import { ARGS, CHROMIUM } from './startup.mjs';
import { summarize } from './stats.mjs';

const PORT = 4182;
/** The budgets of DESIGN.md this part measures, ms. */
export const OPERATE_BUDGET = Object.freeze({
  driftWindowMs: 50,
  simulationMs: 10_000,
  longTaskMs: 200,
});

/** Raw per-window samples (ms) with their summaries (numpy's linear percentiles). */
function summarizeDrift(raw) {
  const withStats = (samples) => ({ ...summarize(samples), samples });
  return {
    ...raw,
    shifts: raw.shifts.map((s) => ({
      ...s,
      windowMs: { full: withStats(s.windowMs.full), sample: withStats(s.windowMs.sample) },
      methodMs: Object.fromEntries(Object.entries(s.methodMs).map(([m, v]) => [m, withStats(v)])),
      ksMs: withStats(s.ksMs),
    })),
  };
}

/** The drift timing in headless Chromium, on a blank page with the bundled core. */
async function chromiumDrift(csv, options) {
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      lib: { entry: 'bench/operate-drift-page.mjs', formats: ['iife'], name: 'operateDrift' },
    },
  });
  const chunk = (Array.isArray(out) ? out : [out])
    .flatMap((o) => o.output)
    .find((c) => c.type === 'chunk');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>drift</title>');
    await page.addScriptTag({ content: chunk.code });
    const raw = await page.evaluate(([c, o]) => globalThis.__operateDrift(c, o), [csv, options]);
    return { browser: browser.version(), ...summarizeDrift(raw) };
  } finally {
    await browser.close();
  }
}

/** Runs the three measurements; each failure is recorded in its place, the others go on. */
export async function operateBench({ log }) {
  const csv = gunzipSync(readFileSync('public/data/digits.csv.gz')).toString('utf8');
  const { module: core } = await runnerImport('./bench/operate-core.mjs');
  const attempt = async (name, work) => {
    const start = Date.now();
    log(`operate: ${name}...`);
    try {
      // The 1-minute load average around each part: this machine is shared, and a part run
      // while other work loads it measures slower.
      const loadBefore = Number(loadavg()[0].toFixed(2));
      const result = await work();
      log(`operate: ${name} done in ${((Date.now() - start) / 1000).toFixed(1)} s`);
      return {
        ok: true,
        load: { start: loadBefore, end: Number(loadavg()[0].toFixed(2)) },
        ...result,
      };
    } catch (error) {
      log(`operate: ${name} FAILED: ${error?.stack ?? error}`);
      return { ok: false, error: String(error?.message ?? error) };
    }
  };
  const driftOptions = { windows: 20, ksWindows: 20 };
  const driftNode = await attempt('drift in Node', () =>
    summarizeDrift(driftBench(core, csv, driftOptions)),
  );
  const simulation = await attempt('1,000,000 requests in Node', () => simulationBench(core, csv));
  // KS in Chromium on fewer windows: it is the slow case, and its Node figures already stand.
  const driftChromium = await attempt('drift in Chromium', () =>
    chromiumDrift(csv, { windows: 20, ksWindows: 5 }),
  );
  const outDir = process.env.BENCH_OPERATE_DIST ?? 'dist';
  const screen = await attempt(`the Operate screen (${outDir}/)`, async () => {
    const server = await preview({
      build: { outDir },
      preview: { port: PORT, strictPort: true },
      logLevel: 'silent',
    });
    try {
      return { outDir, ...(await operateScreenBench(`http://127.0.0.1:${PORT}/`)) };
    } finally {
      await new Promise((done) => server.httpServer.close(done));
    }
  });
  const ok = driftNode.ok && simulation.ok && driftChromium.ok && screen.ok;
  return { ok, budgets: OPERATE_BUDGET, driftNode, driftChromium, simulation, screen };
}
