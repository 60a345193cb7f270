/**
 * bench/accounts: 20,000 schools with 60,000 accounts from one school list on PostgreSQL.
 * Creates a fresh database `rollcall_accounts_bench` next to DATABASE_URL's (default localhost), migrates it,
 * signs in a province admin and uploads one school list of 20,000 schools (seed 42) over HTTP with
 * `createAccounts=true`: every school, its admin, operator and leader with hashed and sealed initial passwords,
 * and their audit entries in one transaction. Then downloads the province's credentials workbook.
 * Prints seconds, rows/s, peak RSS, and for reference one Argon2id hash at the interactive setting timed in the
 * same run (what 60,000 of those would cost on this machine's cores). Run: npx tsx bench/accounts.bench.ts
 * (BENCH_SCHOOLS=n for a smaller list, BENCH_CAMPAIGN=1 to import while a campaign runs).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { openPostgres } from '../src/server/db/client.ts';
import { migrateDatabase } from '../src/server/db/migrate.ts';
import { accounts as accountsTable } from '../src/server/db/schema.ts';
import { createRandom } from '../src/server/demo/random.ts';
import { schoolsFromCounts, syntheticSchoolCounts } from '../src/server/demo/schools.generator.ts';
import { hashInitialPasswords, hashPassword } from '../src/server/accounts/password.ts';
import { makeAccount, makeCampaign, testPassword } from '../src/server/test/factories.ts';
import { multipart } from '../src/server/test/app.ts';
import { schoolTypeLabels } from '../src/standard/school-types.ts';
import { benchDatabase, median, rssSampler } from './bench-support.ts';

const schoolsWanted = Number(process.env.BENCH_SCHOOLS ?? 20_000);
const url = await benchDatabase('rollcall_accounts_bench', true);
const database = openPostgres(url);
await migrateDatabase(database);
const config = loadConfig({ DATABASE_URL: url, ROLLCALL_LOG_LEVEL: 'error', ROLLCALL_SECRET_KEY: randomBytes(32).toString('base64') });
const app = await buildApp({ config, database }, { logger: false });
await app.ready();

// BENCH_CAMPAIGN=1: import while a campaign runs (each new school marks its chain for review again).
if (process.env.BENCH_CAMPAIGN === '1') await makeCampaign(database.db);
const admin = await makeAccount(database.db, { unitCode: '430000', username: 'bench-province-admin' });
const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: admin.username, password: testPassword } });
const cookie = `rollcall_session=${login.cookies.find((c) => c.name === 'rollcall_session')?.value ?? ''}`;
const csrf = String(login.json().csrfToken);

// The school list, as a county or the province would upload it.
const random = createRandom(42);
const schools = schoolsFromCounts(random, syntheticSchoolCounts(random, schoolsWanted));
const book = new ExcelJS.Workbook();
const sheet = book.addWorksheet('学校名单');
sheet.addRow(['★学校标识码', '★学校名称', '★学校类型', '★所在县市区代码', '★教职工数（编制/统计数）']);
for (const school of schools) sheet.addRow([school.code, school.name, schoolTypeLabels[school.schoolType].zh, school.countyCode, school.expectedStaff]);
const list = Buffer.from(await book.xlsx.writeBuffer());

// Reference: the interactive setting's hash, timed here (median of 5), and the initial-password setting's.
const full: number[] = [];
for (let i = 0; i < 5; i += 1) {
  const started = performance.now();
  await hashPassword(`Reference-${i}-2026`);
  full.push(performance.now() - started);
}
const cores = availableParallelism();
const initialStarted = performance.now();
await hashInitialPasswords(Array.from({ length: 600 }, (_, i) => `Initial${i}x`));
const initialEach = (performance.now() - initialStarted) / 600;

const rss = rssSampler();
const started = performance.now();
const body = multipart({ name: '学校名单.xlsx', content: list }, { createAccounts: 'true' });
const response = await app.inject({
  method: 'POST',
  url: '/api/schools/import',
  payload: body.payload,
  headers: { ...body.headers, cookie, 'x-csrf-token': csrf },
});
const seconds = (performance.now() - started) / 1000;
if (response.statusCode !== 200) throw new Error(`import answered ${response.statusCode}: ${response.body.slice(0, 500)}`);
const result = response.json();
const [{ accounts }] = await database.db.select({ accounts: sql<number>`count(*)`.mapWith(Number) }).from(accountsTable).where(eq(accountsTable.mustChangePassword, true));

const downloadStarted = performance.now();
const download = await app.inject({ method: 'GET', url: '/api/units/430000/credentials', headers: { cookie } });
const downloadSeconds = (performance.now() - downloadStarted) / 1000;
const peak = rss.stop();

const fullMs = median(full);
console.log(`schools: ${schools.length} in the list, ${String(result.created)} created; accounts: ${String(result.accountsCreated)} created (${accounts} in the table)`);
console.log(`import with accounts: ${seconds.toFixed(1)} s, ${Math.round(schools.length / seconds)} schools/s, ${Math.round(accounts / seconds)} accounts/s`);
console.log(`credentials workbook of the province: ${downloadSeconds.toFixed(1)} s, ${(download.rawPayload.length / 1024 / 1024).toFixed(1)} MB, status ${download.statusCode}`);
console.log(`peak RSS: ${peak} MB`);
console.log(`reference: one Argon2id hash at the interactive setting (19 MiB, t=2) ${fullMs.toFixed(1)} ms; at the initial setting (2 MiB, t=1) ${initialEach.toFixed(2)} ms each in the pool`);
console.log(`  60,000 interactive hashes on ${cores} cores would take ≈ ${((60_000 * fullMs) / cores / 1000).toFixed(0)} s (${((60_000 * fullMs) / cores / 1000 / seconds).toFixed(1)}× this whole import)`);
await app.close();
await database.close();
