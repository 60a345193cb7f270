import fs from 'node:fs';
import path from 'node:path';
import { webRoot } from '../app.ts';

const projectRoot = path.resolve(webRoot, '../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the web app with Vite when it has not been built, or its sources are newer than the build. */
export async function ensureWebBuilt(log: (line: string) => void) {
  const index = path.join(webRoot, 'index.html');
  const sources = path.join(projectRoot, 'src/web');
  const stale = !fs.existsSync(index) || (fs.existsSync(sources) && newestMtime(sources) > fs.statSync(index).mtimeMs);
  if (!stale) return;
  log('正在构建网页 / Building the web app …');
  // Always a production build: a caller's NODE_ENV (such as a test runner's) must not ship React's dev bundle.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    const { build } = await import('vite');
    await build({ configFile: path.join(projectRoot, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
}
