// npm run bench: measures the budgets of DESIGN.md on this machine and writes
// bench/results.json and the table in BENCHMARKS.md. Run after `vite build` (npm run bench does).
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { preview } from 'vite';
import { criticalAssets, precache } from './size.mjs';
import { startupTimes } from './startup.mjs';
import { renderMarkdown } from './report.mjs';

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

const server = await preview({ preview: { port: 4179, strictPort: true }, logLevel: 'silent' });
const url = 'http://127.0.0.1:4179/';
try {
  const results = {
    measuredAt: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      chromium,
    },
    versions: Object.fromEntries(
      ['vite', 'svelte', '@tensorflow/tfjs', 'onnxruntime-web', 'vite-plugin-pwa'].map((n) => [
        n,
        version(n),
      ]),
    ),
    app: pkg.version,
    size: { critical: criticalAssets(), precache: precache() },
    startup: await startupTimes(url, Number(process.env.BENCH_RUNS ?? 5)),
  };
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync('BENCHMARKS.md', renderMarkdown(results));
  console.log(renderMarkdown(results));
} finally {
  await new Promise((done) => server.httpServer.close(done));
}
