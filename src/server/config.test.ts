import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretKeyOf } from './config.ts';

describe('loadConfig', () => {
  it('defaults to port 3000, the embedded database and ./data', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined });
    expect(config.dataDir).toMatch(/\/data$/);
  });

  it('reads DATABASE_URL and refuses what is not a PostgreSQL URL, naming the variable', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).databaseUrl).toBe('postgres://u@h/db');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('trusts no proxy unless ROLLCALL_TRUST_PROXY names them, and refuses what is not an address or range', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ ROLLCALL_TRUST_PROXY: ' 127.0.0.1, 10.0.0.0/8 ,fd00::/8,loopback' }).trustedProxies).toEqual(['127.0.0.1', '10.0.0.0/8', 'fd00::/8', 'loopback']);
    for (const bad of ['true', '*', '10.0.0.0/33', '::1/129', '10.0.0.1/8/2', 'proxy.example.cn', '1']) {
      expect(() => loadConfig({ ROLLCALL_TRUST_PROXY: bad }), bad).toThrow(/ROLLCALL_TRUST_PROXY/);
    }
  });

  it('loads the demo unless ROLLCALL_DEMO turns it off, and refuses what is not a yes or a no', () => {
    expect(loadConfig({}).demo).toBe(true);
    for (const on of ['true', '1', 'yes', 'TRUE', ' Yes ', '']) expect(loadConfig({ ROLLCALL_DEMO: on }).demo, on).toBe(true);
    for (const off of ['false', '0', 'no', 'False', ' NO ']) expect(loadConfig({ ROLLCALL_DEMO: off }).demo, off).toBe(false);
    for (const bad of ['off', 'maybe', '2']) expect(() => loadConfig({ ROLLCALL_DEMO: bad }), bad).toThrow(/ROLLCALL_DEMO/);
  });

  it('takes the server key from ROLLCALL_SECRET_KEY, or makes one in the data folder of the embedded database', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(secretKeyOf(loadConfig({ ROLLCALL_SECRET_KEY: key }))?.toString('base64')).toBe(key);
    expect(() => loadConfig({ ROLLCALL_SECRET_KEY: 'c2hvcnQ=' })).toThrow(/ROLLCALL_SECRET_KEY/);
    expect(secretKeyOf(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }))).toBeUndefined();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rollcall-key-'));
    try {
      const first = secretKeyOf(loadConfig({ ROLLCALL_DATA_DIR: dataDir }));
      expect(first).toHaveLength(32);
      expect(secretKeyOf(loadConfig({ ROLLCALL_DATA_DIR: dataDir }))).toEqual(first);
      const file = path.join(dataDir, 'secret.key');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8').trim()).toBe(first?.toString('base64'));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
