import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/** Files that measure their own process (its memory), so they run in a process of their own. */
const ownProcess = ['src/server/imports/hostile-files.test.ts'];

const common: TestProjectInlineConfiguration['test'] = {
  environment: 'node',
  setupFiles: ['src/server/test/setup.ts'],
  pool: 'forks',
  maxWorkers: 2,
  testTimeout: 30_000,
  // Setup makes schools, accounts and records; on a machine shared with other work it may take minutes.
  hookTimeout: 240_000,
};

export default defineConfig({
  test: {
    // Runs once for both projects, which read what it provides.
    globalSetup: ['src/server/test/global-setup.ts'],
    maxWorkers: 2,
    projects: [
      {
        test: {
          ...common,
          name: 'server',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
          exclude: ownProcess,
          // A worker process runs its files one after another and keeps its embedded database between them (reset
          // for each file, see src/server/test/database.ts): the modules and the database load once per worker.
          isolate: false,
        },
      },
      { test: { ...common, name: 'own-process', include: ownProcess, isolate: true } },
    ],
  },
});
