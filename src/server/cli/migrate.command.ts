import { loadConfig } from '../config.ts';
import { openConfiguredDatabase } from '../db/open.ts';

/** `rollcall migrate`: applies the migrations and the division tree to the configured database. */
export async function runMigrate() {
  const config = loadConfig();
  const database = await openConfiguredDatabase(config, console.log);
  await database.close();
  console.log(`数据库已是最新 / Database is up to date (${database.engine}).`);
}
