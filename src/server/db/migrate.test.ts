import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { divisionUnits } from './reference-data.ts';
import { databaseUrlFor } from '../test/global-setup.ts';
import { migrationsFolder, openPostgres } from './client.ts';
import { migrateDatabase } from './migrate.ts';

const baseUrl = process.env.DATABASE_URL;
const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };

describe('migrateDatabase', () => {
  // PGlite is one process on one connection (its data folder is locked): only PostgreSQL can race.
  it.skipIf(!baseUrl)('lets several migrators start together on one empty PostgreSQL database: all succeed, each migration runs once', async () => {
    const name = `rollcall_t_${process.ppid}_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = databaseUrlFor(baseUrl!, name);
    // Separate pools, as separate `rollcall migrate` processes would have; one connection each, as the test setup uses.
    const handles = Array.from({ length: 4 }, () => openPostgres(url, { max: 1 }));
    try {
      const results = await Promise.allSettled(handles.map((handle) => migrateDatabase(handle)));
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      const check = handles[0].pool!;
      const applied = await check.query<{ count: number }>('select count(*)::int as count from drizzle.__drizzle_migrations');
      expect(applied.rows[0].count).toBe(journal.entries.length);
      const units = await check.query<{ count: number }>('select count(*)::int as count from units');
      expect(units.rows[0].count).toBe(divisionUnits().length);
      // The lock is released: a later run takes it at once and finds nothing to do.
      await migrateDatabase(handles[1]);
      expect((await check.query<{ count: number }>('select count(*)::int as count from drizzle.__drizzle_migrations')).rows[0].count).toBe(journal.entries.length);
    } finally {
      await Promise.all(handles.map((handle) => handle.close()));
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }, 120_000);
});
