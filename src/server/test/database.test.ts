import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { resultRows, type DatabaseHandle } from '../db/client.ts';
import { createTestDatabase } from './database.ts';
import { makeAccount, makeCampaign, makeSchool } from './factories.ts';

/** Everything a test could observe of a database's contents: every table's rows, every sequence, the session. */
async function contents(database: DatabaseHandle) {
  const db = database.db;
  const tables = resultRows<{ name: string }>(
    await db.execute(sql`select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname in ('public', 'drizzle') order by 1`),
  );
  const rows: Record<string, unknown> = {};
  for (const { name } of tables) {
    rows[name] = resultRows(await db.execute(sql.raw(`select coalesce(json_agg(t order by t::text), '[]') as rows from ${name} t`)))[0].rows;
  }
  const sequences = resultRows(await db.execute(sql`select schemaname, sequencename, last_value from pg_sequences order by 1, 2`));
  const settings = resultRows(await db.execute(sql`select name, setting from pg_settings where source = 'session' order by 1`));
  const temporary = resultRows(await db.execute(sql`select relname from pg_class where relpersistence = 't' order by 1`));
  return { rows, sequences, settings, temporary };
}

/** Leaves a database the way a busy test file does: rows everywhere, sequences moved on, a session set up. */
async function use(database: DatabaseHandle) {
  const db = database.db;
  const school = await makeSchool(db, { countyCode: '430102', serial: 7 });
  await makeAccount(db, { unitCode: school.code, role: 'operator' });
  await makeCampaign(db);
  await db.execute(sql`update units set name = name || '（改）' where code = '430000'`);
  await db.execute(sql`delete from units where code = '430103'`);
  await db.execute(sql`set timezone = 'America/New_York'`);
  await db.execute(sql`create temporary table scratch (n integer)`);
}

describe('test databases', () => {
  it('hands each file a database equal to a freshly migrated one, whoever used it before', async () => {
    const first = await createTestDatabase();
    const fresh = await contents(first);
    await use(first);
    await first.close();
    // On PGlite the second is the first one reset; the third, asked for while the second is held, is new.
    const second = await createTestDatabase();
    const third = await createTestDatabase();
    try {
      expect(await contents(second)).toEqual(fresh);
      expect(await contents(third)).toEqual(fresh);
    } finally {
      await second.close();
      await third.close();
    }
  }, 120_000);

  it('replaces a database whose schema a file changed', async () => {
    const first = await createTestDatabase();
    await first.db.execute(sql`create table leftover (n integer)`);
    await first.db.execute(sql`alter table units add constraint leftover_check check (code <> '')`);
    await first.close();
    const second = await createTestDatabase();
    try {
      const found = resultRows(await second.db.execute(sql`select count(*)::int as n from pg_class where relname = 'leftover'`));
      expect(found).toEqual([{ n: 0 }]);
      const constraints = resultRows(await second.db.execute(sql`select count(*)::int as n from pg_constraint where conname = 'leftover_check'`));
      expect(constraints).toEqual([{ n: 0 }]);
    } finally {
      await second.close();
    }
  }, 120_000);
});
