/**
 * Build of the latency grid harness (bench/grid/): a bench-only page that imports the app's
 * Trainer, registry export, quantization and Benchmark lab engine (BenchRunner + bench.worker)
 * from src/, built and served like the app (bench/vite.harness.ts).
 * bench/grid.mjs builds it with Vite's JS API and serves it with `vite preview` on port 4181.
 */
import { benchPath, harnessConfig } from './vite.harness';

/** Where the harness is built (git-ignored). */
export const GRID_BENCH_OUT = benchPath('../test-output/bench-grid');

export default harnessConfig('./grid', GRID_BENCH_OUT, 4181);
