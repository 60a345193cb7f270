import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startServer } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The data folder of a stopped server that loaded the demo province: each browser test file starts on a copy. */
    demoDataDir: string;
  }
}

/**
 * Loads the demo province once for the whole browser run (and builds the web app on the way): a first
 * `rollcall start` on a folder of its own, stopped once healthy. Loading the demo is most of a start, so each
 * file's server starting on a copy of that folder comes up in a third of the time.
 */
export default async function setup(project: TestProject) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rollcall-e2e-demo-'));
  const server = await startServer({ dataDir, timeoutMs: 300_000 });
  await server.stop();
  project.provide('demoDataDir', dataDir);
  return () => fs.rmSync(dataDir, { recursive: true, force: true });
}
