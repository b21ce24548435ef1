// The latency grid (issue: optimize and measure): fp32 / fp16 / int8 weight-only / int8 dynamic
// versions of the default digits model x runtimes x batch 1, 16, 256, measured in headless
// Chromium by the Benchmark lab's own engine (bench/grid/main.ts drives BenchRunner and the
// bundled bench.worker, exactly as the lab does; the cells and their labels are the lab's).
// Built with bench/vite.grid.config.ts and served with the app's headers (cross-origin isolated).
import { build, preview } from 'vite';
import { openBenchBrowser } from './browser.mjs';

const CONFIG = 'bench/vite.grid.config.ts';
const PORT = 4181;

/** The batch sizes of the grid. */
export const GRID_BATCHES = [1, 16, 256];
/** The harness's overhead budget: an empty call timed the same way, against fp32 batch-1 p50. */
export const OVERHEAD_BUDGET = 0.05;

/**
 * Changes to the lab's shipped settings (DEFAULT_BENCH_SETTINGS): none. The whole grid (17
 * groups, 51 cells) takes about 2 to 3 minutes on 2 cores with the lab's own rule (per cell,
 * 1,000 samples or 2 s, whichever first, at least 100), so nothing is shortened.
 */
export const GRID_SETTINGS = Object.freeze({});

/**
 * The runtime rows: ort-wasm on 1 thread and on every core, tfjs wasm (fp32 only: CONTRACTS.md),
 * the plain TypeScript forward pass (quantized versions "emulated (dequantized)"), ort-webgpu.
 */
export function runtimeRows(cores) {
  return [
    { key: 'ort-wasm-1', runtime: 'ort-wasm', threads: 1, name: 'ORT wasm, 1 thread' },
    {
      key: `ort-wasm-${cores}`,
      runtime: 'ort-wasm',
      threads: cores,
      name: `ORT wasm, ${cores} threads`,
    },
    { key: 'tfjs-wasm', runtime: 'tfjs-wasm', threads: 1, name: 'tfjs wasm', fp32Only: true },
    { key: 'plain-ts', runtime: 'plain-ts', threads: 1, name: 'plain TS' },
    { key: 'ort-webgpu', runtime: 'ort-webgpu', threads: 1, name: 'ORT WebGPU' },
  ];
}

/** The harness overhead of each fp32 batch-1 cell as a share of its p50; the budget is judged on ORT wasm. */
export function overheadShares(rows, cells) {
  return rows.flatMap((row) => {
    const c = cells.find((x) => x.row === row.key && x.variant === 'fp32' && x.batch === 1);
    if (!c) return [];
    const share = c.p50 > 0 ? c.overheadMs / c.p50 : null;
    const budgeted = row.runtime === 'ort-wasm';
    return [
      {
        row: row.key,
        p50Ms: c.p50,
        overheadMs: c.overheadMs,
        timing: c.timing,
        groupSize: c.groupSize,
        share,
        budgeted,
        withinBudget: budgeted ? share !== null && share < OVERHEAD_BUDGET : null,
      },
    ];
  });
}

/** Runs the whole grid; returns everything results.json keeps under `grid`. */
export async function gridBench({ log = () => {}, settings = GRID_SETTINGS } = {}) {
  const started = Date.now();
  await build({ configFile: CONFIG, logLevel: 'warn' });
  const server = await preview({ configFile: CONFIG, logLevel: 'silent' });
  // WebGPU rows: the flag it needs on Linux (SwiftShader, a CPU implementation).
  const { page, pageErrors, close } = await openBenchBrowser('bench-grid-profile', {
    webgpu: true,
  });
  try {
    await page.goto(`http://127.0.0.1:${PORT}/`);
    await page.locator('#status[data-status="ready"]').waitFor({ state: 'attached' });
    const env = await page.evaluate(() => window.__gridBench.environment());
    const benchSettings = {
      ...(await page.evaluate(() => window.__gridBench.defaults())),
      ...settings,
    };
    const model = await page.evaluate(() => window.__gridBench.prepare());
    log(`grid: model trained in ${Math.round(model.trainMs)} ms on ${model.trainBackend}`);
    const rows = runtimeRows(env.cores);
    const groups = [];
    const cells = [];
    for (const version of model.versions) {
      for (const row of rows) {
        if (row.fp32Only && version.variant !== 'fp32') {
          groups.push({
            version: version.key,
            row: row.key,
            skipped: 'tfjs runs fp32 models only',
          });
          continue;
        }
        const reply = await page.evaluate(
          ([v, r, t, b, s]) => window.__gridBench.group(v, r, t, b, s),
          [version.key, row.runtime, row.threads, GRID_BATCHES, benchSettings],
        );
        const what = `${version.key} on ${row.key}`;
        if (!reply.ok) {
          log(`grid: ${what} FAILED: ${reply.error}`);
          groups.push({ version: version.key, row: row.key, error: reply.error });
          continue;
        }
        const { loaded } = reply;
        groups.push({ version: version.key, row: row.key, wallMs: reply.wallMs, loaded });
        for (const [i, cell] of reply.cells.entries())
          cells.push({
            row: row.key,
            ...cell,
            calls: reply.timed[i].calls,
            elapsedMs: reply.timed[i].elapsedMs,
          });
        const b1 = reply.cells[0];
        log(
          `grid: ${what}: p50 ${(b1.p50 * 1000).toFixed(1)} µs at batch 1, cold start ` +
            `${loaded.coldStartMs.toFixed(0)} ms, ${(reply.wallMs / 1000).toFixed(1)} s` +
            (b1.label ? ` [${b1.label}]` : ''),
        );
      }
    }
    return {
      env,
      settings: benchSettings,
      batches: GRID_BATCHES,
      model,
      rows,
      groups,
      cells,
      overhead: { budget: OVERHEAD_BUDGET, cells: overheadShares(rows, cells) },
      pageErrors,
      wallSeconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    await close();
    await new Promise((done) => server.httpServer.close(done));
  }
}
