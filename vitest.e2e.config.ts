import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: real Chromium (playwright-core) against the built app in dist/.
 * Serial: the machine has 2 cores and each file starts its own browser.
 */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
