import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    globalSetup: ['src/server/test/global-setup.ts'],
    setupFiles: ['src/server/test/setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // A worker process runs its files one after another and keeps its embedded database between them (reset for
    // each file, see src/server/test/database.ts): loading the modules and the database once per worker, not per file.
    isolate: false,
    testTimeout: 30_000,
    // Setup makes schools, accounts and records; on a machine shared with other work it may take minutes.
    hookTimeout: 240_000,
  },
});
