import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../../e2e/support/server.ts';
import { loadConfig } from '../config.ts';
import { resultRows, type DatabaseHandle } from '../db/client.ts';
import { packages } from '../db/schema.ts';
import { openConfiguredDatabase } from '../db/open.ts';
import { databaseUrlFor } from '../test/global-setup.ts';
import { makeAccount, makeCampaign, makeSchool, testPassword } from '../test/factories.ts';
import { writeStaffWorkbook } from '../test/staff-workbook-file.ts';

/**
 * 断电测试: a Rollcall process killed with SIGKILL in the middle of committing a 50,000-row import and of a
 * package approval, on the engine this run uses (the embedded folder, or PostgreSQL when DATABASE_URL is set).
 * After each kill the database opens again, holds all of the write or none of it, and the retry succeeds once.
 *
 * Each kill lands at a known point: once in the middle of the import's big insert (the write-ahead log is
 * growing), and once at the very end of a transaction, when every row is written and only COMMIT is left.
 * The second point is held open by a trigger this test installs in its own database: while an action is
 * armed in `crash_test_pauses`, the audit event of that action — the last statement of the commit and of the
 * approval — sleeps, and the process is killed in that sleep.
 */

const rows = 50_000;
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const school = { countyCode: '430102', serial: 1 };
const packageSchool = { countyCode: '430102', serial: 2 };
const onPostgres = Boolean(process.env.DATABASE_URL);
const serverName = 'rollcall-crash-server';

type Engine = {
  /** The environment of a server process on this database. */
  env: Record<string, string>;
  /** Runs `work` on the database from this process (the embedded folder is opened and closed around it). */
  use<T>(work: (handle: DatabaseHandle) => Promise<T>): Promise<T>;
  /** Waits until the killed process has left nothing running in the database. */
  settle(): Promise<void>;
  /** Resolves once the server is inside the armed pause (a transaction with every row written, not committed). */
  paused(server: Server, afterWrites: boolean): Promise<void>;
  /** Resolves once the server's commit is writing rows (the middle of the big insert). */
  writing(server: Server, since: number): Promise<void>;
  drop(): Promise<void>;
};

type Server = { child: ChildProcess; baseUrl: string; output: () => string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, server?: Server) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server && server.child.exitCode !== null) throw new Error(`the server exited while waiting for ${what}:\n${server.output()}`);
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${server ? `:\n${server.output()}` : ''}`);
}

async function startServer(engine: Engine): Promise<Server> {
  const port = await freePort();
  const { DATABASE_URL: _database, NODE_ENV: _nodeEnv, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/test/serve.ts'], {
    cwd: projectRoot,
    env: { ...inherited, ...engine.env, PORT: String(port), HOST: '127.0.0.1', ROLLCALL_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const server = { child, baseUrl: `http://127.0.0.1:${port}`, output: () => log };
  await until('the server to answer', async () => (await health(server, 1000)) === true, 90_000, server);
  return server;
}

async function health(server: Server, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(`${server.baseUrl}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok;
  } catch {
    return false;
  }
}

async function kill(server: Server) {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGKILL');
  await exited;
}

async function stop(server: Server) {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

type Session = { cookie: string; csrf: string };

async function signIn(server: Server, username: string): Promise<Session> {
  const response = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: testPassword }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return { cookie: response.headers.get('set-cookie')!.split(';')[0], csrf: ((await response.json()) as { csrfToken: string }).csrfToken };
}

function post(server: Server, session: Session, url: string, body?: FormData) {
  return fetch(`${server.baseUrl}${url}`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, ...(body ? {} : { 'content-type': 'application/json' }) },
    body: body ?? '{}',
  });
}

/** Sends a write, waits for `point`, kills the server there, and checks the write never answered. */
async function killDuring(server: Server, write: () => Promise<Response>, point: () => Promise<void>) {
  let answered: number | undefined;
  const request = write().then(
    (response) => (answered = response.status),
    () => undefined,
  );
  await point();
  await kill(server);
  await request;
  expect(answered, 'the write answered before the kill: it was not interrupted').toBeUndefined();
}

const count = async (handle: DatabaseHandle, query: ReturnType<typeof sql>) => Number(resultRows<{ n: number | string }>(await handle.db.execute(query))[0].n);

/**
 * The embedded engine: a data folder this test owns, made from the run's migrated database (the dump every
 * test file loads) rather than migrated again; a server process holds it while it runs.
 */
async function pgliteEngine(): Promise<Engine> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rollcall-crash-'));
  const client = await PGlite.create({ dataDir, loadDataDir: new Blob([fs.readFileSync(inject('pgliteDump'))]) });
  await client.close();
  const walTouched = () => {
    const wal = path.join(dataDir, 'pg_wal');
    return Math.max(0, ...fs.readdirSync(wal).filter((name) => /^[0-9A-F]{24}$/.test(name)).map((name) => fs.statSync(path.join(wal, name)).mtimeMs));
  };
  return {
    env: { ROLLCALL_DATA_DIR: dataDir },
    async use(work) {
      const handle = await openConfiguredDatabase(loadConfig({ ROLLCALL_DATA_DIR: dataDir }));
      try {
        return await work(handle);
      } finally {
        await handle.close();
      }
    },
    async settle() {},
    async paused(server, afterWrites) {
      // PGlite runs in the server's own thread: a statement that sleeps stops it answering, and it writes
      // nothing. Three health checks in a row unanswered, with the log quiet for 1.5 s (after the rows were
      // written, for the import), is the pause: any other statement here takes milliseconds.
      let lastWrite = walTouched();
      let quietSince = Date.now();
      let wrote = !afterWrites;
      let silent = 0;
      await until(
        'the write to reach the pause',
        async () => {
          const touched = walTouched();
          if (touched !== lastWrite) [lastWrite, quietSince, wrote] = [touched, Date.now(), true];
          silent = (await health(server, 500)) ? 0 : silent + 1;
          return wrote && silent >= 3 && Date.now() - quietSince > 1500;
        },
        180_000,
        server,
      );
    },
    async writing(server, since) {
      const seen: number[] = [];
      await until(
        'the commit to write its rows',
        async () => {
          const touched = walTouched();
          if (touched > since && touched !== seen.at(-1)) seen.push(touched);
          return seen.length >= 3;
        },
        180_000,
        server,
      );
    },
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL: a database of this test's own; the server's connections carry a name so the test can watch them. */
async function postgresEngine(): Promise<Engine> {
  const baseUrl = process.env.DATABASE_URL!;
  const name = `rollcall_crash_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(databaseUrlFor(baseUrl, name));
  const handle = await openConfiguredDatabase(loadConfig({ DATABASE_URL: url.toString() }));
  // The server's sessions end their transaction within half a second of the client's going away, as a
  // production server set with client_connection_check_interval would; the name lets the test find them.
  url.searchParams.set('application_name', serverName);
  url.searchParams.set('options', '-c client_connection_check_interval=500');
  const serverActivity = (condition: ReturnType<typeof sql>) =>
    count(handle, sql`select count(*) as n from pg_stat_activity where datname = current_database() and application_name = ${serverName} and ${condition}`);
  return {
    env: { DATABASE_URL: url.toString() },
    use: (work) => work(handle),
    async settle() {
      await until('the killed server\'s connections to close', async () => (await serverActivity(sql`true`)) === 0, 60_000);
    },
    async paused(server) {
      await until('the write to reach the pause', async () => (await serverActivity(sql`wait_event = 'PgSleep'`)) > 0, 180_000, server);
    },
    async writing(server) {
      await until('the commit to write its rows', async () => (await serverActivity(sql`state = 'active' and query ilike '%insert into staff%'`)) > 0, 180_000, server);
      await sleep(300);
    },
    async drop() {
      await handle.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

describe(`a server killed mid-write (${onPostgres ? 'PostgreSQL' : 'embedded PGlite'})`, () => {
  let engine: Engine;
  let folder: string;
  let workbook: string;
  let server: Server | undefined;
  const codes = { school: '', packageSchool: '', county: school.countyCode };
  const users = { operator: '', county: '' };
  let packageId = 0;

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rollcall-crash-file-'));
    workbook = path.join(folder, 'staff.xlsx');
    await writeStaffWorkbook(workbook, rows);
    engine = onPostgres ? await postgresEngine() : await pgliteEngine();
    await engine.use(async ({ db }) => {
      const campaign = await makeCampaign(db);
      codes.school = (await makeSchool(db, { ...school, expectedStaff: rows })).code;
      codes.packageSchool = (await makeSchool(db, packageSchool)).code;
      users.operator = (await makeAccount(db, { unitCode: codes.school, role: 'operator' })).username;
      users.county = (await makeAccount(db, { unitCode: codes.county, role: 'admin' })).username;
      const [pkg] = await db
        .insert(packages)
        .values({ campaignId: campaign.id, unitCode: codes.packageSchool, receiverCode: codes.county, versionNo: 1, status: 'submitted', recordCount: 0, expectedCount: 0, contentHash: '0'.repeat(64), signedBy: 1, signedAt: new Date(), submittedBy: 1 })
        .returning();
      packageId = pkg.id;
      await db.execute(sql`create table crash_test_pauses (action text primary key)`);
      await db.execute(sql.raw(`
        create function crash_test_pause() returns trigger language plpgsql as $$
        begin
          if exists (select 1 from crash_test_pauses where action = new.action) then perform pg_sleep(120); end if;
          return new;
        end $$`));
      await db.execute(sql`create trigger crash_test_pause before insert on audit_events for each row execute function crash_test_pause()`);
    });
  }, 300_000);

  afterAll(async () => {
    if (server) await stop(server);
    await engine?.drop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  const arm = (action: string | null) =>
    engine.use(async ({ db }) => {
      await db.execute(sql`delete from crash_test_pauses`);
      if (action) await db.execute(sql`insert into crash_test_pauses (action) values (${action})`);
    });

  /** What the import left: its status, and the school's records, audit events and history rows. */
  const importState = (importId: number) =>
    engine.use(async (handle) => ({
      status: resultRows<{ status: string }>(await handle.db.execute(sql`select status from imports where id = ${importId}`))[0].status,
      records: await count(handle, sql`select count(*) as n from staff where school_code = ${codes.school}`),
      people: await count(handle, sql`select count(distinct id_number) as n from staff where school_code = ${codes.school}`),
      created: await count(handle, sql`select count(*) as n from audit_events where action = 'staff.created' and unit_code = ${codes.school}`),
      history: await count(handle, sql`select count(*) as n from staff_events e join staff s on s.id = e.staff_id where s.school_code = ${codes.school}`),
      committedEvents: await count(handle, sql`select count(*) as n from audit_events where action = 'import.committed' and target_id = ${String(importId)}`),
    }));

  it('commits a 50,000-row import all or nothing across two kills, and the retry writes each person once', async () => {
    server = await startServer(engine);
    const operator = await signIn(server, users.operator);
    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(workbook)]), 'staff.xlsx');
    const preview = await post(server, operator, `/api/schools/${codes.school}/imports`, form);
    expect(preview.status, await preview.clone().text()).toBe(200);
    const { id: importId, counts } = (await preview.json()) as { id: number; counts: Record<string, number> };
    expect(counts).toMatchObject({ new: rows, invalid: 0, conflicts: 0 });
    const nothingWritten = { status: 'previewed', records: 0, people: 0, created: 0, history: 0, committedEvents: 0 };

    // Kill 1: in the middle of the big insert.
    await killDuring(server, () => post(server!, operator, `/api/imports/${importId}/commit`), () => engine.writing(server!, Date.now()));
    await engine.settle();
    expect(await importState(importId)).toEqual(nothingWritten);

    // Kill 2: every row written, the commit's last statement sleeping, COMMIT not yet sent. The session
    // signed in before the first kill still works: it lives in the database, not in the process.
    await arm('import.committed');
    server = await startServer(engine);
    await killDuring(server, () => post(server!, operator, `/api/imports/${importId}/commit`), () => engine.paused(server!, true));
    await engine.settle();
    expect(await importState(importId)).toEqual(nothingWritten);

    // The retry commits once; a second retry is refused and writes nothing more.
    await arm(null);
    server = await startServer(engine);
    const retry = await post(server, operator, `/api/imports/${importId}/commit`);
    expect(retry.status, await retry.clone().text()).toBe(200);
    expect(await retry.json()).toMatchObject({ new: rows, changed: 0 });
    const again = await post(server, operator, `/api/imports/${importId}/commit`);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/已提交/);
    await stop(server);
    expect(await importState(importId)).toEqual({ status: 'committed', records: rows, people: rows, created: rows, history: rows, committedEvents: 1 });
  }, 600_000);

  it('approves a package once: a kill inside the approval leaves it awaiting review, and the retry approves it with one audit event', async () => {
    await arm('package.approved');
    server = await startServer(engine);
    const county = await signIn(server, users.county);
    await killDuring(server, () => post(server!, county, `/api/packages/${packageId}/approve`), () => engine.paused(server!, false));
    await engine.settle();
    const approvalState = () =>
      engine.use(async (handle) => ({
        status: resultRows<{ status: string }>(await handle.db.execute(sql`select status from packages where id = ${packageId}`))[0].status,
        audited: await count(handle, sql`select count(*) as n from audit_events where action = 'package.approved' and target_id = ${String(packageId)}`),
        notified: await count(handle, sql`select count(*) as n from notifications where kind = 'package_approved' and unit_code = ${codes.packageSchool}`),
      }));
    expect(await approvalState()).toEqual({ status: 'submitted', audited: 0, notified: 0 });

    await arm(null);
    server = await startServer(engine);
    const retry = await post(server, county, `/api/packages/${packageId}/approve`);
    expect(retry.status, await retry.clone().text()).toBe(200);
    const again = await post(server, county, `/api/packages/${packageId}/approve`);
    expect(again.status).toBe(409);
    await stop(server);
    expect(await approvalState()).toEqual({ status: 'approved', audited: 1, notified: 1 });
  }, 300_000);
});
