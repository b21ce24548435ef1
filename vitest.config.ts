import { defineConfig } from 'vitest/config';

/** Unit tests: Node, no browser. End-to-end tests have their own config (vitest.e2e.config.ts). */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
