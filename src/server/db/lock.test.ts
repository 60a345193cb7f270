import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './lock.ts';

describe('lockDataDir', () => {
  it('refuses a second holder while the first runs, and takes over a lock whose process is gone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rollcall-lock-'));
    fs.writeFileSync(path.join(dir, 'rollcall.lock'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(/另一个 Rollcall 进程/);
    fs.writeFileSync(path.join(dir, 'rollcall.lock'), '99999999');
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'rollcall.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, 'rollcall.lock'))).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });
});
