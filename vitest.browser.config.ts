import { defineConfig } from 'vitest/config';

/** Browser tests: each file starts its own server and drives Debian's Chromium through playwright-core. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    // Loads the demo province once; each file's server starts on a copy of it.
    globalSetup: ['e2e/support/global-setup.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    // Starting a server may build the web app and create the embedded database with the demo province.
    hookTimeout: 240_000,
  },
});
