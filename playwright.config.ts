import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from './scripts/chromium.ts';

/**
 * End-to-end tests in real Chromium against a real Convene server, started by
 * test/e2e/global-setup.ts on a free port with a throwaway data directory.
 * Build the client first: `npm run build`.
 */
export default defineConfig({
  testDir: 'test/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: 'list',
  // Most tests open two or three browser profiles, each joining through its own invite;
  // on the 2-core CI machine that alone can take half a minute. Assertions keep their own bounds.
  timeout: 60_000,
  expect: { timeout: 7_500 },
  forbidOnly: !!process.env.CI,
  use: {
    trace: 'retain-on-failure',
    actionTimeout: 10_000,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 900 },
        launchOptions: {
          executablePath: CHROMIUM,
          args: CHROMIUM_ARGS,
        },
      },
    },
  ],
});
