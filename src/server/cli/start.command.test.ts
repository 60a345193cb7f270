import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
let folder: string;

/** `rollcall start …` in a child process, on an embedded data folder of its own (never the caller's database). */
function start(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  const { DATABASE_URL: _database, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/rollcall.js'), 'start', ...args], { cwd: root, env: { ...env, ROLLCALL_DATA_DIR: folder } });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rollcall-start-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

// Each case starts the command in a new Node process (tsx compiles it on start): seconds on an idle machine,
// much more on a busy one, so the cases get minutes rather than the default 30 s.
describe('rollcall start --workers', { timeout: 180_000 }, () => {
  it('refuses several processes on the embedded database, which one process alone may open, before touching it', async () => {
    const { code, stderr } = await start('--workers', '2');
    expect(code).toBe(2);
    expect(stderr).toContain('--workers 需要 PostgreSQL（设置 DATABASE_URL）');
    expect(stderr).toContain('the embedded database can be opened by one process only');
    expect(await readdir(folder)).toEqual([]);
  });

  it('refuses a count that is not 1–64', async () => {
    for (const count of ['0', '65', 'two']) {
      const { code, stderr } = await start('--workers', count);
      expect(code, count).toBe(2);
      expect(stderr).toContain('--workers 应为 1–64 的整数');
    }
  });
});
