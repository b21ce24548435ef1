/**
 * Build of the serving benchmark harness (bench/serve/): a bench-only page that imports the app's
 * serving code from src/ (Endpoint, ServeClient and the serve worker, the runtime adapters) and
 * the trainer, built and served like the app (bench/vite.harness.ts).
 * bench/serve.mjs builds it with Vite's JS API and serves it with `vite preview` on port 4180.
 */
import { benchPath, harnessConfig } from './vite.harness';

/** Where the harness is built (git-ignored). */
export const SERVE_BENCH_OUT = benchPath('../test-output/bench-serve');

export default harnessConfig('./serve', SERVE_BENCH_OUT, 4180);
