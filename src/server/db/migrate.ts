import { loadDivisions } from '../org/reference-data.ts';
import type { DatabaseHandle } from './client.ts';

/** Applies the migrations and the reference data every installation has (the division tree). */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  await handle.migrate();
  await loadDivisions(handle.db);
}
