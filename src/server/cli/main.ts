import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { DataDirLockedError } from '../db/lock.ts';
import { runMigrate } from './migrate.command.ts';
import { runSeed } from './seed.command.ts';
import { runStart } from './start.command.ts';

const usage = `用法 / Usage: rollcall <command> [options]

  start [--workers N] [--no-demo]
                        启动服务 / start the server (embedded database unless DATABASE_URL is set)
                        --workers N：N 个进程共用端口（仅 PostgreSQL）/ N processes sharing the port (PostgreSQL only)
                        --no-demo：不载入演示数据（同 ROLLCALL_DEMO=false）/ without the demo province
  migrate               执行数据库迁移 / apply database migrations
  init                  在没有账号的数据库中创建省级管理员 admin（密码取自 ROLLCALL_INIT_PASSWORD 或终端输入）
                        create the province admin "admin" on a database with no accounts
                        (password from ROLLCALL_INIT_PASSWORD, or typed on the terminal)
  seed --demo           载入演示数据 / load the demo province
  seed --schools N [--staff N] [--seed S]
                        生成确定性的模拟省份（用于压测）/ build a deterministic synthetic province
  check FILE --school-type k12|vocational|special|higher_ed [--json] [--today YYYY-MM-DD]
                        检查教职工信息表（.xlsx 或 .csv）/ check a staff file against the standard
                        退出码 / exit: 0 无错误 no errors, 1 有错误 errors, 2 无法读取 unreadable
  backup [--out FILE]   备份数据库（PostgreSQL 用 pg_dump；内嵌数据库须先停止服务）
                        back up the database (pg_dump for PostgreSQL; stop the server first for the embedded one)
  restore FILE --yes    用备份替换数据库的全部数据，然后执行迁移 / replace all data with a backup, then migrate
`;

const commands: Record<string, (args: string[]) => Promise<number | void>> = {
  start: runStart,
  migrate: runMigrate,
  seed: runSeed,
  init: async (args) => (await import('./init.command.ts')).runInit(args),
  check: async (args) => (await import('../check/check.command.ts')).runCheck(args),
  backup: async (args) => (await import('./backup.command.ts')).runBackup(args),
  restore: async (args) => (await import('./backup.command.ts')).runRestore(args),
};

async function main() {
  const { positionals } = parseArgs({ args: process.argv.slice(2, 3), allowPositionals: true, strict: false });
  const name = positionals[0];
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stdout.write(usage);
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  loadConfig(); // validate the environment once, before anything starts
  return (await command(process.argv.slice(3))) ?? 0;
}

main().then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof DataDirLockedError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exit(error instanceof DataDirLockedError ? 3 : 1);
  },
);
