import { defineConfig } from 'vitest/config';

// Unit and integration tests (node). Browser tests live in test/e2e and run with Playwright.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**', 'dist/**'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Fail on a forgotten `.only` in CI-like runs.
    allowOnly: !process.env.CI,
  },
});
