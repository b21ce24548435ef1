/**
 * The Vite config of a bench-only harness page (bench/grid/, bench/serve/): a page that imports
 * the app's code from src/, built the way the app is (es module workers, same target,
 * onnxruntime-web not pre-bundled) and served by `vite preview` with the app's headers (CSP,
 * COOP/COEP: cross-origin isolated). bench/vite.grid.config.ts and bench/vite.serve.config.ts
 * are its two uses.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';
import { SECURITY_HEADERS } from '../scripts/headers';
import pkg from '../package.json' with { type: 'json' };

/** A path relative to bench/, as an absolute path. */
export const benchPath = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * `root`: the harness folder under bench/; `outDir`: where it is built (git-ignored);
 * `port`: the preview server's port on 127.0.0.1 (fixed: the bench scripts open it).
 */
export function harnessConfig(root: string, outDir: string, port: number): UserConfig {
  return defineConfig({
    root: benchPath(root),
    base: '/',
    // The app's public files: the digits data set the harness trains on.
    publicDir: benchPath('../public'),
    define: { __APP_VERSION__: JSON.stringify(pkg.version) },
    worker: { format: 'es' },
    optimizeDeps: { exclude: ['onnxruntime-web'] },
    logLevel: 'warn',
    build: {
      target: 'es2022',
      outDir,
      emptyOutDir: true,
      sourcemap: false,
      chunkSizeWarningLimit: 20_000,
      // The bench's own output stays quiet: no per-plugin timing report.
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
    preview: { host: '127.0.0.1', port, strictPort: true, headers: SECURITY_HEADERS },
  });
}
