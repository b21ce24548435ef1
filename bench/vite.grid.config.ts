/**
 * Build of the latency grid harness (bench/grid/): a bench-only page that imports the app's
 * Trainer, registry export, quantization and Benchmark lab engine (BenchRunner + bench.worker)
 * from src/, built the way the app is (es module workers, same target, onnxruntime-web not
 * pre-bundled) and served with the app's headers (CSP, COOP/COEP: cross-origin isolated).
 * bench/grid.mjs builds it with Vite's JS API and serves it with `vite preview` on port 4181.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { SECURITY_HEADERS } from '../scripts/headers';
import pkg from '../package.json' with { type: 'json' };

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Where the harness is built (git-ignored). */
export const GRID_BENCH_OUT = here('../test-output/bench-grid');

export default defineConfig({
  root: here('./grid'),
  base: '/',
  // The app's public files: the digits data set the harness trains on.
  publicDir: here('../public'),
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  logLevel: 'warn',
  build: {
    target: 'es2022',
    outDir: GRID_BENCH_OUT,
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 20_000,
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  preview: { host: '127.0.0.1', port: 4181, strictPort: true, headers: SECURITY_HEADERS },
});
