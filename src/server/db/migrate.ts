import pg from 'pg';
import { loadDivisions } from './reference-data.ts';
import type { DatabaseHandle } from './client.ts';

/**
 * The advisory lock key that one `rollcall migrate` (or `start`) holds while it migrates a PostgreSQL database:
 * a fixed number of Rollcall's own ("RC" and the issue that asked for it), the same in every process.
 */
export const migrationLockKey = 0x5243_0013;

/**
 * Applies the migrations and the reference data every installation has (the division tree), one process at a
 * time: on PostgreSQL a session advisory lock, taken on a connection of its own (the pool may hold a single
 * one), makes a second migrator wait and then find nothing left to do. PGlite has one connection and one
 * process (its data folder is locked), so it needs none.
 */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (!handle.pool) return migrateNow(handle);
  // The pool keeps the options it was made with (connection string, ssl, …); the lock's connection uses the same.
  const lockClient = new pg.Client(handle.pool.options);
  await lockClient.connect();
  try {
    await lockClient.query('select pg_advisory_lock($1)', [migrationLockKey]);
    await migrateNow(handle);
  } finally {
    // Ending the session releases its advisory locks, also after an error.
    await lockClient.end();
  }
}

async function migrateNow(handle: DatabaseHandle) {
  await handle.migrate();
  await loadDivisions(handle.db);
}
