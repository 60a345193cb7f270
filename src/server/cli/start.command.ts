import cluster, { type Worker } from 'node:cluster';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../config.ts';
import { buildApp } from '../app.ts';
import { openPostgres, type DatabaseHandle } from '../db/client.ts';
import { openConfiguredDatabase } from '../db/open.ts';
import { needsFirstAdmin } from '../accounts/first-admin.service.ts';
import { deleteExpiredSessions } from '../accounts/sessions.repository.ts';
import { deleteForgottenThrottles } from '../throttle/throttle.ts';
import { demoLogins, demoPassword, isDemoLoaded, loadDemo, type DemoLogin } from '../demo/demo.ts';
import { roleLabels } from '../../contract/roles.ts';
import { ensureWebBuilt } from './web-build.ts';
import { remindDeadlines } from '../campaign/deadline-reminders.ts';
import { autoEscalate } from '../helpdesk/helpdesk.service.ts';
import { freezeDueReports } from '../reports/weekly-report.service.ts';
import { storePastDays } from '../progress/progress.service.ts';

/** Set by the primary on the one worker that runs the hourly housekeeping. */
const housekeepingVariable = 'ROLLCALL_WORKER_HOUSEKEEPING';
/** Response header naming the cluster worker that served a request (cluster mode only). */
export const workerHeader = 'x-rollcall-worker';
const maxWorkers = 64;

export function printLogins(logins: DemoLogin[]) {
  console.log(`\n演示账号（密码均为 ${demoPassword}）/ Demo logins (password ${demoPassword}):`);
  for (const login of logins) {
    console.log(`  ${roleLabels[login.role].zh.padEnd(10, '　')} ${login.username.padEnd(18)} ${login.unit}`);
  }
  console.log(
    '  规则 / Rule: 单位代码即该单位管理员用户名；学校代码即人事专干，学校代码-admin 即学校管理员 / ' +
      'a unit code is its admin\'s username; a school code is its operator\'s, <school code>-admin its admin\'s.',
  );
}

/** What `start` says of a database with no account: run `init` (and, with the demo on, how to load it instead). */
function noAccountsLine(demo: boolean): string {
  return demo
    ? '尚无账号：运行 `npx rollcall init` 创建省级管理员，或 `npx rollcall seed --demo` 载入演示数据 / No accounts yet: run `npx rollcall init` for the province admin, or `npx rollcall seed --demo` for the demo.'
    : '尚无账号：运行 `npx rollcall init` 创建省级管理员 / No accounts yet: run `npx rollcall init` to create the province admin.';
}

/**
 * `rollcall start [--workers N] [--no-demo]`: migrate, load the demo into a new embedded database (unless
 * `--no-demo` or ROLLCALL_DEMO=false), build the web app, serve.
 * With `--workers N` (PostgreSQL only) the process becomes a node:cluster primary that forks N workers sharing
 * the port; every worker opens the database itself, and sessions and throttles live in the database, so any
 * worker can serve any request.
 */
export async function runStart(args: string[] = []) {
  if (cluster.isWorker) return runWorker();
  const { values } = parseArgs({ args, options: { workers: { type: 'string' }, 'no-demo': { type: 'boolean' } } });
  const workers = values.workers === undefined ? 0 : Number(values.workers);
  if (values.workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > maxWorkers)) {
    console.error(`--workers 应为 1–${maxWorkers} 的整数 / --workers must be an integer from 1 to ${maxWorkers}`);
    return 2;
  }
  const loaded = loadConfig();
  const config: Config = { ...loaded, demo: loaded.demo && values['no-demo'] !== true };
  if (workers > 0 && !config.databaseUrl) {
    console.error(
      '--workers 需要 PostgreSQL（设置 DATABASE_URL）：内嵌数据库只能由一个进程打开。\n' +
        '--workers needs PostgreSQL (set DATABASE_URL): the embedded database can be opened by one process only.',
    );
    return 2;
  }
  return workers > 0 ? runPrimary(config, workers) : runSingle(config);
}

/** One process: the database, the web app, the server and the housekeeping (the default). */
async function runSingle(config: Config) {
  const log = (line: string) => console.log(line);
  const database = await openConfiguredDatabase(config, log);
  const empty = await needsFirstAdmin(database.db);
  if (empty && config.demo && !config.databaseUrl) {
    log('正在载入演示数据 / Loading the demo province …');
    await loadDemo(database.db);
  }
  await ensureWebBuilt(log);
  const app = await buildApp({ config, database }, { logger: true });
  const address = await app.listen({ port: config.port, host: config.host });
  console.log(`\nRollcall 点名 已启动 / is running: ${address.replace('://127.0.0.1', '://localhost')}`);
  console.log(`数据库 / Database: ${database.engine === 'pglite' ? `内嵌 PGlite (${config.dataDir})` : 'PostgreSQL'}`);
  if (await isDemoLoaded(database.db)) printLogins(demoLogins());
  else if (empty) console.log(noAccountsLine(config.demo));
  stopOnSignal(app, database, startHousekeeping(app, database, config));
}

/**
 * The cluster primary: migrates, builds the web app, forks the workers and replaces any that dies. It
 * serves nothing itself; SIGTERM or SIGINT stops every worker, then the primary.
 */
async function runPrimary(config: Config, workerCount: number) {
  const log = (line: string) => console.log(line);
  const database = await openConfiguredDatabase(config, log);
  const demo = await isDemoLoaded(database.db);
  const empty = await needsFirstAdmin(database.db);
  await database.close();
  await ensureWebBuilt(log);

  let stopping = false;
  let announced = false;
  const listening = new Set<number>();
  let housekeeper: Worker | undefined;
  const fork = (housekeeping: boolean) => {
    const worker = cluster.fork(housekeeping ? { [housekeepingVariable]: '1' } : {});
    if (housekeeping) housekeeper = worker;
    return worker;
  };
  for (let index = 0; index < workerCount; index += 1) fork(index === 0);

  cluster.on('listening', (worker, address) => {
    listening.add(worker.id);
    if (announced || listening.size < workerCount) return;
    announced = true;
    const host = address.address === '127.0.0.1' || !address.address ? 'localhost' : address.address;
    console.log(`\nRollcall 点名 已启动 / is running: http://${host}:${address.port}`);
    console.log(`数据库 / Database: PostgreSQL；${workerCount} 个工作进程 / ${workerCount} workers (primary pid ${process.pid})`);
    if (demo) printLogins(demoLogins());
    else if (empty) console.log(noAccountsLine(config.demo));
  });
  cluster.on('exit', (worker, code, signal) => {
    const wasHousekeeper = worker === housekeeper;
    if (stopping) return;
    console.error(
      `工作进程 ${worker.id}（pid ${worker.process.pid}）退出（${signal ?? `代码 ${code}`}），正在启动新的工作进程 / ` +
        `worker ${worker.id} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}); starting a new one`,
    );
    // A short pause keeps a worker that cannot start (the database gone) from being forked in a tight loop.
    setTimeout(() => {
      if (!stopping) fork(wasHousekeeper);
    }, 1000).unref();
  });

  const stop = () => {
    if (stopping) return;
    stopping = true;
    const running = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    for (const worker of running) worker.process.kill('SIGTERM');
    // Workers close their servers and pools; one that hangs is killed after ten seconds.
    const deadline = setTimeout(() => {
      for (const worker of running) if (!worker.isDead()) worker.process.kill('SIGKILL');
      process.exit(0);
    }, 10_000);
    deadline.unref();
    const check = () => (running.every((worker) => worker.isDead()) ? process.exit(0) : setTimeout(check, 50));
    check();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** A cluster worker: opens the database (the primary migrated it), serves on the shared port. */
async function runWorker() {
  const config = loadConfig();
  const database = openPostgres(config.databaseUrl!);
  const app = await buildApp({ config, database }, { logger: true });
  const workerId = String(cluster.worker?.id ?? 0);
  app.addHook('onRequest', async (_request, reply) => {
    reply.header(workerHeader, workerId);
  });
  await app.listen({ port: config.port, host: config.host });
  const sweep = process.env[housekeepingVariable] === '1' ? startHousekeeping(app, database, config) : undefined;
  stopOnSignal(app, database, sweep);
}

/**
 * Housekeeping, in one process only (the single server, or one worker of a cluster):
 * - hourly: expired sessions go, units two days from a deadline are reminded (once), weekly reports due are
 *   frozen and unanswered questions escalate;
 * - every quarter hour: the progress trend's past days are stored once a day has passed, so no reader waits
 *   for them (a request finding them missing stores them itself).
 * Returns what stops it.
 */
function startHousekeeping(app: FastifyInstance, database: DatabaseHandle, config: Config): () => void {
  const hourly = () => {
    void deleteExpiredSessions(database.db).catch(() => {});
    void deleteForgottenThrottles(database.db).catch(() => {});
    void remindDeadlines(database.db).catch((error: unknown) => app.log.error({ err: error }, 'deadline reminders failed'));
    void freezeDueReports(database.db).catch((error: unknown) => app.log.error({ err: error }, 'weekly report snapshots failed'));
    void autoEscalate(database.db, config.qaEscalateHours).catch((error: unknown) => app.log.error({ err: error }, 'question escalation failed'));
  };
  const storeDays = () => void storePastDays(database.db).catch((error: unknown) => app.log.error({ err: error }, 'storing progress days failed'));
  hourly();
  storeDays();
  const timers = [setInterval(hourly, 3_600_000), setInterval(storeDays, 15 * 60_000)];
  for (const timer of timers) timer.unref();
  return () => timers.forEach(clearInterval);
}

function stopOnSignal(app: FastifyInstance, database: DatabaseHandle, stopHousekeeping: (() => void) | undefined) {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    stopHousekeeping?.();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
