import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../config.ts';
import { resultRows } from '../db/client.ts';
import { openConfiguredDatabase } from '../db/open.ts';
import { backupDatabase, BackupError, defaultBackupName, restoreDatabase } from '../ops/backup.ts';

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** What the database holds, printed after a backup or a restore so the operator can compare. */
async function describeDatabase(): Promise<string> {
  const database = await openConfiguredDatabase(loadConfig());
  try {
    const [row] = resultRows<{ units: string; staff: string; accounts: string }>(
      await database.db.execute(sql`select (select count(*) from units) as units, (select count(*) from staff where deleted_at is null) as staff, (select count(*) from accounts) as accounts`),
    );
    return `单位 units ${row.units} · 教职工 staff ${row.staff} · 账号 accounts ${row.accounts}`;
  } finally {
    await database.close();
  }
}

/** `rollcall backup [--out FILE]`: a full backup of the configured database. */
export async function runBackup(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
  const config = loadConfig();
  try {
    const result = await backupDatabase(config, values.out ?? defaultBackupName(config));
    console.log(`备份完成 / Backup written: ${result.file} (${megabytes(result.bytes)}, ${result.engine})`);
    console.log(await describeDatabase());
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    console.error(error.message);
    return 1;
  }
}

/** `rollcall restore FILE --yes`: replaces the configured database with a backup, then migrates it. */
export async function runRestore(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { yes: { type: 'boolean', default: false } } });
  const config = loadConfig();
  const file = positionals[0];
  const [zh, en] = config.databaseUrl
    ? ['DATABASE_URL 指向的 PostgreSQL 数据库', 'the PostgreSQL database at DATABASE_URL']
    : [`${config.dataDir} 中的内嵌数据库`, `the embedded database in ${config.dataDir}`];
  if (!file || !values.yes) {
    console.error(`用法 / Usage: rollcall restore FILE --yes\n恢复会替换${zh}的全部数据；确认无误后加 --yes。\nRestoring replaces all data in ${en}; add --yes to go ahead.`);
    return 2;
  }
  try {
    const result = await restoreDatabase(config, file);
    if (result.keptAside) console.log(`原数据已保留在 / The previous data were kept in ${result.keptAside}`);
    console.log(`恢复完成 / Restored ${file} (${result.engine})`);
    console.log(await describeDatabase());
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    console.error(error.message);
    return 1;
  }
}
