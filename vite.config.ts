import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { SECURITY_HEADERS } from './scripts/headers';
import { lessonsPlugin } from './scripts/lessons-plugin';
import pkg from './package.json' with { type: 'json' };

/**
 * Precache limit per file: the onnxruntime-web wasm is 14.2 MB; nothing else is close.
 * Set on purpose so a surprise 50 MB asset fails the build instead of silently not caching.
 */
const MAX_PRECACHE_FILE_BYTES = 16 * 1024 * 1024;

/** The WebGPU builds of onnxruntime-web (JSEP and JSPI): their .wasm and their JS bundles. */
const ORT_WEBGPU_GLOBS = [
  '**/ort-wasm-simd-threaded.jsep-*.wasm',
  '**/ort-wasm-simd-threaded.jspi-*.wasm',
  '**/ort.bundle.min-*.js',
  '**/ort.jspi.bundle.min-*.js',
];
/** The same files as URLs, for the runtime cache that keeps them once downloaded. */
const ORT_WEBGPU_URL =
  /\/assets\/ort(-wasm-simd-threaded\.(jsep|jspi)-[^/]*\.wasm|\.(jspi\.)?bundle\.min-[^/]*\.js)$/;

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  plugins: [
    lessonsPlugin(),
    svelte(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: null,
      includeAssets: ['icons/*.png', 'icons/*.svg', 'data/*'],
      manifest: {
        name: 'Pocket MLOps',
        short_name: 'Pocket MLOps',
        description: 'Learn the production half of machine learning, offline, in one browser tab.',
        theme_color: '#1d4e89',
        background_color: '#f7f8fa',
        display: 'standalone',
        start_url: '.',
        scope: '.',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,ico,webmanifest,wasm,csv,gz,md,woff2}'],
        // The WebGPU builds of onnxruntime-web are an opt-in download (DESIGN.md budgets): not
        // precached, fetched when the learner picks the WebGPU runtime, then cached (below).
        globIgnores: ORT_WEBGPU_GLOBS,
        runtimeCaching: [
          {
            urlPattern: ORT_WEBGPU_URL,
            handler: 'CacheFirst',
            options: { cacheName: 'ort-webgpu', expiration: { maxEntries: 8 } },
          },
        ],
        maximumFileSizeToCacheInBytes: MAX_PRECACHE_FILE_BYTES,
        // The first visit must be controlled so that it works offline after one load.
        clientsClaim: true,
        skipWaiting: false,
        cleanupOutdatedCaches: true,
        navigateFallback: 'index.html',
      },
    }),
  ],
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 2000 },
  server: { host: '127.0.0.1', port: 5173, headers: SECURITY_HEADERS },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, headers: SECURITY_HEADERS },
});
