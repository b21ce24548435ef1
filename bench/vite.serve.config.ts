/**
 * Build of the serving benchmark harness (bench/serve/): a bench-only page that imports the app's
 * serving code from src/ (Endpoint, ServeClient and the serve worker, the runtime adapters) and
 * the trainer, built the way the app is (es module workers, same target, onnxruntime-web not
 * pre-bundled) and served with the app's headers (CSP, COOP/COEP: cross-origin isolated).
 * bench/serve.mjs builds it with Vite's JS API and serves it with `vite preview` on port 4180.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { SECURITY_HEADERS } from '../scripts/headers';
import pkg from '../package.json' with { type: 'json' };

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Where the harness is built (git-ignored). */
export const SERVE_BENCH_OUT = here('../test-output/bench-serve');

export default defineConfig({
  root: here('./serve'),
  base: '/',
  // The app's public files: the digits data set the harness trains and serves on.
  publicDir: here('../public'),
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  logLevel: 'warn',
  build: {
    target: 'es2022',
    outDir: SERVE_BENCH_OUT,
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 20_000,
    // The bench's own output stays quiet: no per-plugin timing report.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  preview: { host: '127.0.0.1', port: 4180, strictPort: true, headers: SECURITY_HEADERS },
});
