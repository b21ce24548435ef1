// npm run bench: measures the budgets of DESIGN.md on this machine and writes
// bench/results.json and BENCHMARKS.md. Run after `vite build` (npm run bench does).
// BENCH_ONLY=training,serving runs some areas only (size, startup, training, sklearn, serving,
// grid: the quantized latency grid, which builds its own harness and does not read dist/;
// operate: drift, the 1,000,000-request simulation and the Operate screen, which serves dist/
// or BENCH_OPERATE_DIST);
// the others keep their figures from the previous bench/results.json.
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { preview } from 'vite';
import { renderMarkdown } from './report.mjs';
import { gridBench } from './grid.mjs';
import { operateBench } from './operate.mjs';
import { servingBench } from './serve.mjs';
import { criticalAssets, precache } from './size.mjs';
import { startupTimes } from './startup.mjs';
import { trainingBench } from './train.mjs';

const AREAS = ['size', 'startup', 'training', 'sklearn', 'serving', 'grid', 'operate'];
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const unknown = only?.filter((a) => !AREAS.includes(a)) ?? [];
if (unknown.length) throw new Error(`BENCH_ONLY: unknown area ${unknown} (known: ${AREAS})`);
const wanted = (area) => !only || only.includes(area);
const log = (line) => console.error(`[bench] ${line}`);

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const version = (name) =>
  JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version;
const chromium = (() => {
  try {
    return execSync(`${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} --version`)
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
})();

/** Runs one area; a failure is recorded in the results (and the report) instead of ending the run. */
async function measure(area, work) {
  const start = Date.now();
  log(`${area}...`);
  try {
    const result = await work();
    log(`${area} done in ${((Date.now() - start) / 1000).toFixed(1)} s`);
    return { ok: true, measuredAt: new Date().toISOString(), ...result };
  } catch (error) {
    log(`${area} FAILED: ${error?.stack ?? error}`);
    process.exitCode = 1;
    return {
      ok: false,
      measuredAt: new Date().toISOString(),
      error: String(error?.message ?? error),
    };
  }
}

/** Debian's scikit-learn, when there: the reference of the training budget, re-measured. */
function sklearnReference() {
  const python = '/usr/bin/python3';
  try {
    execFileSync(python, ['-c', 'import sklearn'], { stdio: 'ignore' });
  } catch {
    return { ok: false, error: `${python} cannot import sklearn (apt install python3-sklearn)` };
  }
  const out = execFileSync(python, ['bench/sklearn_reference.py'], { encoding: 'utf8' });
  return { ok: true, measuredAt: new Date().toISOString(), ...JSON.parse(out) };
}

const previous = existsSync('bench/results.json')
  ? JSON.parse(readFileSync('bench/results.json', 'utf8'))
  : {};
const results = {
  ...previous,
  measuredAt: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    chromium,
    /** 1-minute load average when the bench started and ended: above the core count, other
     * work shared the machine and the timings are pessimistic. */
    loadAverage: { start: Number(loadavg()[0].toFixed(2)) },
  },
  versions: Object.fromEntries(
    ['vite', 'svelte', '@tensorflow/tfjs', 'onnxruntime-web', 'vite-plugin-pwa'].map((n) => [
      n,
      version(n),
    ]),
  ),
  app: pkg.version,
};

const started = Date.now();
const now = () => new Date().toISOString();
if (wanted('size'))
  results.size = { measuredAt: now(), critical: criticalAssets(), precache: precache() };
if (wanted('startup') || wanted('training')) {
  const server = await preview({ preview: { port: 4179, strictPort: true }, logLevel: 'silent' });
  const url = 'http://127.0.0.1:4179/';
  try {
    if (wanted('startup'))
      results.startup = {
        measuredAt: now(),
        ...(await startupTimes(url, Number(process.env.BENCH_RUNS ?? 5))),
      };
    if (wanted('training')) results.training = await measure('training', () => trainingBench(url));
  } finally {
    await new Promise((done) => server.httpServer.close(done));
  }
}
if (wanted('sklearn')) {
  log('sklearn reference...');
  try {
    results.sklearn = sklearnReference();
  } catch (error) {
    results.sklearn = { ok: false, error: String(error?.message ?? error) };
  }
}
if (wanted('serving')) results.serving = await measure('serving', () => servingBench({ log }));
if (wanted('grid')) results.grid = await measure('grid', () => gridBench({ log }));
if (wanted('operate')) results.operate = await measure('operate', () => operateBench({ log }));
results.benchSeconds = Math.round((Date.now() - started) / 1000);
results.machine.loadAverage.end = Number(loadavg()[0].toFixed(2));

// Written whole or not at all: a crash halfway leaves the previous results in place.
writeFileSync('bench/results.json.tmp', `${JSON.stringify(results, null, 2)}\n`);
renameSync('bench/results.json.tmp', 'bench/results.json');
writeFileSync('BENCHMARKS.md', renderMarkdown(results));
console.log(renderMarkdown(results));
log(`all done in ${results.benchSeconds} s (after the build)`);
