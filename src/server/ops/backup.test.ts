import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../config.ts';
import { openPostgres, wrapPglite, type DatabaseHandle } from '../db/client.ts';
import { DataDirLockedError } from '../db/lock.ts';
import { staff, units } from '../db/schema.ts';
import { makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';
import { databaseUrlFor } from '../test/global-setup.ts';
import { insertStaffRows } from '../demo/staff.seeder.ts';
import { fieldKeys, type StaffValues } from '../../standard/types.ts';

const emptyValues = Object.fromEntries(fieldKeys.map((key) => [key, null])) as StaffValues;
import { backupDatabase, BackupError, restoreDatabase } from './backup.ts';

const baseUrl = process.env.DATABASE_URL;
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rollcall-backup-'));
let config: Config;
let dropDatabase: (() => Promise<void>) | undefined;

/** The configured database, opened the way a command would (the embedded one from its folder). */
async function open(): Promise<DatabaseHandle> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, { max: 1 });
  return wrapPglite(await PGlite.create({ dataDir: config.dataDir }));
}

async function withDatabase<T>(work: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  const database = await open();
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  if (baseUrl) {
    const name = `rollcall_t_${process.ppid}_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
    await admin.end();
    config = loadConfig({ DATABASE_URL: databaseUrlFor(baseUrl, name) });
    dropDatabase = async () => {
      const cleanup = new pg.Client({ connectionString: baseUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    };
  } else {
    config = loadConfig({ ROLLCALL_DATA_DIR: path.join(folder, 'data') });
    const client = await PGlite.create({ dataDir: config.dataDir, loadDataDir: new Blob([fs.readFileSync(inject('pgliteDump'))]) });
    await client.close();
  }
  await withDatabase(async ({ db }) => {
    const campaign = await makeCampaign(db);
    await makeSchool(db, { countyCode: '430102', serial: 1 });
    await insertStaffRows(db, [1, 2, 3].map((serial) => ({ campaignId: campaign.id, schoolCode: '2430102001', values: { ...emptyValues, ...validStaffValues(serial) } })));
  });
}, 60_000);

afterAll(async () => {
  await dropDatabase?.();
  fs.rmSync(folder, { recursive: true, force: true });
});

const staffNames = () => withDatabase(async ({ db }) => (await db.select({ name: staff.name }).from(staff).orderBy(staff.id)).map((row) => row.name));

describe(`backup and restore (${baseUrl ? 'PostgreSQL' : 'embedded'})`, () => {
  it('round-trips: what was backed up comes back after the data changed', async () => {
    const file = path.join(folder, baseUrl ? 'one.dump' : 'one.tar.gz');
    const backup = await backupDatabase(config, file);
    expect(backup).toMatchObject({ engine: baseUrl ? 'postgres' : 'pglite', file });
    expect(backup.bytes).toBeGreaterThan(1000);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);

    await withDatabase(async ({ db }) => {
      await db.delete(staff).where(eq(staff.name, '测试教师2'));
      await db.update(units).set({ name: '改过的名字' }).where(eq(units.code, '2430102001'));
    });
    expect(await staffNames()).toEqual(['测试教师1', '测试教师3']);

    const restored = await restoreDatabase(config, file);
    expect(restored.engine).toBe(baseUrl ? 'postgres' : 'pglite');
    expect(await staffNames()).toEqual(['测试教师1', '测试教师2', '测试教师3']);
    const [school] = await withDatabase(({ db }) => db.select().from(units).where(eq(units.code, '2430102001')));
    expect(school.name).not.toBe('改过的名字');
    if (!baseUrl) {
      // The embedded folder that was replaced is kept aside, whole.
      expect(restored.keptAside && fs.existsSync(path.join(restored.keptAside, 'PG_VERSION'))).toBe(true);
    }
  }, 60_000);

  it('refuses a file of the wrong kind or a damaged one, leaving the data as they were', async () => {
    const wrongKind = path.join(folder, 'wrong');
    fs.writeFileSync(wrongKind, baseUrl ? Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]) : Buffer.from('PGDMP\u0001\u000e'));
    await expect(restoreDatabase(config, wrongKind)).rejects.toThrow(baseUrl ? /不是 PostgreSQL 备份/ : /不是内嵌数据库的备份/);
    await expect(restoreDatabase(config, path.join(folder, 'missing.dump'))).rejects.toThrow(/找不到备份文件/);

    const damaged = path.join(folder, 'damaged');
    fs.writeFileSync(damaged, Buffer.concat([baseUrl ? Buffer.from('PGDMP') : Buffer.from([0x1f, 0x8b]), randomBytes(4096)]));
    await expect(restoreDatabase(config, damaged)).rejects.toBeInstanceOf(BackupError);
    expect(await staffNames()).toEqual(['测试教师1', '测试教师2', '测试教师3']);
  }, 60_000);

  it.skipIf(Boolean(baseUrl))('will not back up or restore an embedded database another process has open', async () => {
    const lock = path.join(config.dataDir, 'rollcall.lock');
    fs.writeFileSync(lock, String(process.ppid)); // a live process holds the folder
    try {
      await expect(backupDatabase(config, path.join(folder, 'held.tar.gz'))).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(restoreDatabase(config, path.join(folder, 'one.tar.gz'))).rejects.toBeInstanceOf(DataDirLockedError);
      expect(fs.existsSync(path.join(folder, 'held.tar.gz'))).toBe(false);
    } finally {
      fs.rmSync(lock, { force: true });
    }
  });
});
