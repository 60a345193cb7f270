import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { openPostgres, wrapPglite, type DatabaseHandle } from '../db/client.ts';
import { databaseUrlFor } from './global-setup.ts';

/**
 * A fresh, migrated database for one test file, on whichever engine the run uses: a copy of the template
 * database on PostgreSQL (DATABASE_URL set), or on PGlite an embedded database of this worker, reset to the
 * migrated state (see `resetPglite`), or loaded from the migrated dump when none is free.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const baseUrl = process.env.DATABASE_URL;
  const template = inject('pgTemplate');
  if (baseUrl && template) return copyTemplate(baseUrl, template);
  return borrowPglite();
}

async function copyTemplate(baseUrl: string, template: string): Promise<DatabaseHandle> {
  const name = `rollcall_t_${process.ppid}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  for (let attempt = 0; ; attempt += 1) {
    try {
      await admin.query(`create database ${name} template ${template}`);
      break;
    } catch (error) {
      // Two files copying the template at the same moment: PostgreSQL refuses the second; retry.
      if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  const handle = openPostgres(databaseUrlFor(baseUrl, name), { max: 4 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: baseUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** What a freshly migrated database holds besides its schema: the rows migrations load, and every sequence. */
type Baseline = {
  /** A digest of the schema (tables, columns, constraints, triggers, functions, types). */
  schema: string;
  /** Every table of the public schema, quoted, in one `truncate` list. */
  tables: string;
  /** The tables that hold rows after migrating: their insertable columns and the rows as JSON. */
  seeded: { table: string; columns: string; rows: string }[];
  sequences: { name: string; value: number; called: boolean }[];
};

/**
 * The embedded databases this worker process made. Vitest runs the files of a worker one after another in the
 * same process (`isolate: false`), so a file returns its database on close and the next one resets it, rather
 * than paying for a new PGlite (compiling its WebAssembly and loading the dump) every time.
 */
const idle: PGlite[] = [];
let baseline: Promise<Baseline> | undefined;

async function borrowPglite(): Promise<DatabaseHandle> {
  let client = idle.pop();
  if (client && !(await resetPglite(client))) {
    await client.close().catch(() => undefined);
    client = undefined;
  }
  if (!client) {
    client = await PGlite.create({ loadDataDir: new Blob([fs.readFileSync(inject('pgliteDump'))]) });
    // The first database this worker loads is untouched: its state is what every reset restores.
    baseline ??= readBaseline(client);
    await baseline;
  }
  const handle = wrapPglite(client);
  let returned = false;
  return {
    ...handle,
    close: async () => {
      if (returned) return;
      returned = true;
      idle.push(client);
    },
  };
}

const schemaDigest = `
  with spaces as (
    select oid, nspname from pg_namespace
    where nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and nspname not like 'pg\\_%temp\\_%'
  )
  select md5(string_agg(item, E'\\n' order by item)) as digest from (
    select 'namespace ' || nspname as item from spaces
    union all
    select format('class %s.%s %s %s', n.nspname, c.relname, c.relkind, c.relpersistence)
      from pg_class c join spaces n on n.oid = c.relnamespace
    union all
    select format('column %s.%s %s %s %s %s %s', a.attrelid::regclass, a.attname, a.atttypid::regtype, a.attnotnull,
        a.attisdropped, a.attgenerated, pg_get_expr(d.adbin, d.adrelid))
      from pg_attribute a join pg_class c on c.oid = a.attrelid join spaces n on n.oid = c.relnamespace
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where a.attnum > 0
    union all
    select format('constraint %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(k.oid))
      from pg_constraint k join spaces n on n.oid = k.connamespace
    union all
    select format('trigger %s %s %s', tgrelid::regclass, tgname, tgenabled) from pg_trigger
    union all
    select format('function %s %s %s', p.oid::regprocedure, md5(coalesce(p.prosrc, '')), p.provolatile)
      from pg_proc p join spaces n on n.oid = p.pronamespace
    union all
    select format('type %s %s', t.oid::regtype, t.typtype) from pg_type t join spaces n on n.oid = t.typnamespace
    union all
    select format('enum %s %s %s', enumtypid::regtype, enumsortorder, enumlabel) from pg_enum
    union all
    select format('view %s %s', c.oid::regclass, md5(pg_get_viewdef(c.oid)))
      from pg_class c join spaces n on n.oid = c.relnamespace where c.relkind in ('v', 'm')
    union all
    select format('policy %s %s', polrelid::regclass, polname) from pg_policy
    union all
    select format('extension %s %s', extname, extversion) from pg_extension
  ) items`;

async function digestSchema(client: PGlite): Promise<string> {
  return (await client.query<{ digest: string }>(schemaDigest)).rows[0].digest;
}

async function readBaseline(client: PGlite): Promise<Baseline> {
  const { rows: tables } = await client.query<{ name: string; columns: string }>(`
    select format('%I.%I', n.nspname, c.relname) as name,
      (select string_agg(quote_ident(a.attname), ', ' order by a.attnum) from pg_attribute a
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '') as columns
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`);
  const seeded: Baseline['seeded'] = [];
  for (const { name, columns } of tables) {
    const { rows } = await client.query<{ rows: string | null }>(`select json_agg(t)::text as rows from ${name} t`);
    if (rows[0].rows) seeded.push({ table: name, columns, rows: rows[0].rows });
  }
  const { rows: sequences } = await client.query<{ name: string; value: number; called: boolean }>(`
    select format('%I.%I', schemaname, sequencename) as name, coalesce(last_value, start_value)::float8 as value,
      last_value is not null as called
    from pg_sequences`);
  return { schema: await digestSchema(client), tables: tables.map((t) => t.name).join(', '), seeded, sequences };
}

/**
 * Puts an embedded database back into the state a freshly migrated one has: the same schema, the rows the
 * migrations load, every sequence where it was, and a clean session. A file that changed the schema (a table,
 * trigger or constraint of its own) gets a newly loaded database instead: answers false.
 */
async function resetPglite(client: PGlite): Promise<boolean> {
  const state = await baseline!;
  try {
    if (client.closed) return false;
    // Settings, temporary tables, prepared statements, advisory locks and listeners of the previous file go.
    await client.exec('discard all');
    if ((await digestSchema(client)) !== state.schema) return false;
    await client.transaction(async (tx) => {
      await tx.exec(`truncate ${state.tables} restart identity cascade`);
      // The rows are restored as they were: no trigger reacts and no foreign key is checked again.
      await tx.exec('set local session_replication_role = replica');
      for (const { table, columns, rows } of state.seeded) {
        await tx.query(
          `insert into ${table} (${columns}) overriding system value
           select ${columns} from json_populate_recordset(null::${table}, $1::json)`,
          [rows],
        );
      }
      // Every sequence in one statement: a round trip each cost more than setting them.
      await tx.query(
        `select setval(s.name::regclass, s.value, s.called) from json_to_recordset($1::json) as s(name text, value bigint, called boolean)`,
        [JSON.stringify(state.sequences)],
      );
    });
    await client.exec('discard all');
    return true;
  } catch {
    return false;
  }
}
