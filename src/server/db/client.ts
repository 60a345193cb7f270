import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** The one query layer, whichever engine runs underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** A database or an open transaction on it. */
export type Executor = Database;
export type Engine = 'pglite' | 'postgres';

export type DatabaseHandle = {
  db: Database;
  engine: Engine;
  /** Applies the numbered migrations that have not run yet (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** The embedded engine, when that is what runs (for dumps and tests). */
  pglite?: PGlite;
  /** The PostgreSQL pool, when that is what runs. */
  pool?: pg.Pool;
};

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

// node-postgres returns int8 and numeric as strings; counts in this project fit in a JS number.
pg.types.setTypeParser(20, (value: string) => Number(value));
pg.types.setTypeParser(1700, (value: string) => Number(value));

/** Opens PostgreSQL at `url`. */
export function openPostgres(url: string, options: { max?: number } = {}): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle connection the server ends (a restart, an administrator) must not crash the process: the pool
  // drops it and opens a new one for the next query.
  pool.on('error', (error: Error & { code?: string }) => {
    if (error.code !== '57P01') console.error(`PostgreSQL connection error: ${error.message}`);
  });
  const db: Database = drizzlePostgres({ client: pool, schema });
  return {
    db,
    engine: 'postgres',
    pool,
    migrate: () => migratePostgres(drizzlePostgres({ client: pool, schema }), { migrationsFolder }),
    close: () => pool.end(),
  };
}

/** Wraps an open PGlite instance (a data folder, memory, or a loaded dump). */
export function wrapPglite(client: PGlite): DatabaseHandle {
  const db: Database = drizzlePglite({ client, schema });
  return {
    db,
    engine: 'pglite',
    pglite: client,
    migrate: () => migratePglite(drizzlePglite({ client, schema }), { migrationsFolder }),
    close: () => client.close(),
  };
}

/** Opens the embedded database in `dataDir` (created when missing). The caller holds the folder's lock. */
export async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const client = await PGlite.create({ dataDir });
  return wrapPglite(client);
}

/** The rows of a raw `execute` result (both drivers answer `{ rows }`). */
export function resultRows<T = Record<string, unknown>>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
