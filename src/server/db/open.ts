import fs from 'node:fs';
import type { Config } from '../config.ts';
import { openPglite, openPostgres, type DatabaseHandle } from './client.ts';
import { lockDataDir } from './lock.ts';
import { migrateDatabase } from './migrate.ts';

/**
 * Opens the configured database and brings it up to date: PostgreSQL at DATABASE_URL, or the embedded
 * database in ROLLCALL_DATA_DIR (locked against a second process).
 */
export async function openConfiguredDatabase(
  config: Config,
  log: (line: string) => void = () => {},
): Promise<DatabaseHandle & { isNew: boolean }> {
  if (config.databaseUrl) {
    const handle = openPostgres(config.databaseUrl);
    try {
      await handle.db.execute('select 1');
    } catch (error) {
      await handle.close();
      throw new Error(`无法连接 PostgreSQL / Cannot connect to PostgreSQL at DATABASE_URL: ${(error instanceof Error ? error.message : String(error))}`);
    }
    await migrateDatabase(handle);
    return { ...handle, isNew: false };
  }
  const release = lockDataDir(config.dataDir);
  const isNew = !fs.existsSync(`${config.dataDir}/PG_VERSION`);
  if (isNew) log(`正在创建内嵌数据库 / Creating the embedded database in ${config.dataDir} …`);
  try {
    const handle = await openPglite(config.dataDir);
    await migrateDatabase(handle);
    return {
      ...handle,
      isNew,
      close: async () => {
        await handle.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
