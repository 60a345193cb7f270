import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, inject } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type TestServer = { baseUrl: string; stop: () => Promise<void>; output: () => string };

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`rollcall exited with ${child.exitCode} before it was healthy:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`rollcall was not healthy within ${timeoutMs} ms:\n${output()}`);
}

export type StartOptions = {
  /** A stopped server's data folder to start from (copied, so the original stays as it was). */
  from?: string;
  /** The data folder to use and keep after `stop` (the demo template); a new temporary one otherwise. */
  dataDir?: string;
  timeoutMs?: number;
};

/**
 * Starts `node bin/rollcall.js start` on a free port and waits for /api/health: on a copy of `from`, or on a
 * fresh embedded database (the demo province loads on first start). `stop` ends the process and removes the
 * data folder unless it was handed in.
 */
export async function startServer({ from, dataDir: kept, timeoutMs = 90_000 }: StartOptions = {}): Promise<TestServer> {
  const port = await freePort();
  const dataDir = kept ?? fs.mkdtempSync(path.join(os.tmpdir(), 'rollcall-e2e-'));
  if (from) fs.cpSync(from, dataDir, { recursive: true });
  // The embedded database always: a DATABASE_URL from the caller's shell must not point the test elsewhere.
  // Nor may vitest's NODE_ENV=test reach the server: its Vite build would then ship React's development
  // bundle into dist/web, where `npm start` would keep serving it.
  const { DATABASE_URL: _database, NODE_ENV: _nodeEnv, ...env } = process.env;
  const child = spawn(process.execPath, ['bin/rollcall.js', 'start'], {
    cwd: projectRoot,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', ROLLCALL_DATA_DIR: dataDir, ROLLCALL_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const output = () => log;
  const baseUrl = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (!kept) fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(baseUrl, child, output, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop, output };
}

/**
 * The demo server of one test file: started before its tests on a copy of the run's demo database (made once
 * by e2e/support/global-setup.ts), and stopped after them together with the browser the file opened
 * (`opened`). Reads of `baseUrl` before the start are a mistake and say so.
 */
export function serverPerFile(opened: () => { close(): Promise<void> } | undefined): TestServer {
  let started: TestServer | undefined;
  beforeAll(async () => {
    started = await startServer({ from: inject('demoDataDir') || undefined });
  });
  afterAll(async () => {
    await opened()?.close();
    await started?.stop();
  });
  const current = () => {
    if (!started) throw new Error('the test server starts in beforeAll');
    return started;
  };
  return {
    get baseUrl() {
      return current().baseUrl;
    },
    stop: () => current().stop(),
    output: () => current().output(),
  };
}
