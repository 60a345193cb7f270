import { sql } from 'drizzle-orm';
import { loadConfig } from '../config.ts';
import { buildApp } from '../app.ts';
import { openConfiguredDatabase } from '../db/open.ts';
import { accounts } from '../db/schema.ts';
import { deleteExpiredSessions } from '../accounts/sessions.repository.ts';
import { demoLogins, demoPassword, isDemoLoaded, loadDemo, type DemoLogin } from '../demo/demo.ts';
import { roleLabels } from '../policy/actor.ts';
import { ensureWebBuilt } from './web-build.ts';
import { remindDeadlines } from '../notifications/deadline-reminders.ts';
import { autoEscalate } from '../helpdesk/helpdesk.service.ts';
import { freezeDueReports } from '../reports/weekly-report.service.ts';

export function printLogins(logins: DemoLogin[]) {
  console.log(`\n演示账号（密码均为 ${demoPassword}）/ Demo logins (password ${demoPassword}):`);
  for (const login of logins) {
    console.log(`  ${roleLabels[login.role].zh.padEnd(10, '　')} ${login.username.padEnd(18)} ${login.unit}`);
  }
  console.log('  规则 / Rule: 单位代码即该单位管理员用户名（学校代码即人事专干）/ a unit code is its admin\'s username (a school code, its operator\'s).');
}

/** `rollcall start`: migrate, load the demo into a new embedded database, build the web app, serve. */
export async function runStart() {
  const config = loadConfig();
  const log = (line: string) => console.log(line);
  const database = await openConfiguredDatabase(config, log);
  const [{ count }] = await database.db.select({ count: sql<number>`count(*)`.mapWith(Number) }).from(accounts);
  if (count === 0 && !config.databaseUrl) {
    log('正在载入演示数据 / Loading the demo province …');
    await loadDemo(database.db);
  }
  await ensureWebBuilt(log);
  const app = await buildApp({ config, database }, { logger: true });
  const address = await app.listen({ port: config.port, host: config.host });
  const url = address.replace('://127.0.0.1', '://localhost');
  console.log(`\nRollcall 点名 已启动 / is running: ${url}`);
  console.log(`数据库 / Database: ${database.engine === 'pglite' ? `内嵌 PGlite (${config.dataDir})` : 'PostgreSQL'}`);
  if (await isDemoLoaded(database.db)) printLogins(demoLogins());
  else if (count === 0) {
    console.log('尚无账号：运行 `npx rollcall seed --demo` 载入演示数据 / No accounts yet: run `npx rollcall seed --demo`.');
  }
  // Hourly housekeeping: expired sessions go, and units two days from a deadline are reminded (once).
  const hourly = () => {
    void deleteExpiredSessions(database.db).catch(() => {});
    void remindDeadlines(database.db).catch((error: unknown) => app.log.error({ err: error }, 'deadline reminders failed'));
    void freezeDueReports(database.db).catch((error: unknown) => app.log.error({ err: error }, 'weekly report snapshots failed'));
    void autoEscalate(database.db, config.qaEscalateHours).catch((error: unknown) => app.log.error({ err: error }, 'question escalation failed'));
  };
  hourly();
  const sweep = setInterval(hourly, 3_600_000);
  sweep.unref();
  const stop = async () => {
    clearInterval(sweep);
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
