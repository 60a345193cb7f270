/**
 * bench/review: a school of 2,000 people reviewed in a province of 1,000,000 staff on PostgreSQL. Uses the
 * `rollcall_bench` database (seed it with bench/export.bench.ts first), adds one large school with 2,000
 * confirmed records, then over HTTP: pages of the review list (median of 200), bulk approve of all 2,000,
 * and, once the package is submitted, the county's pages of the package (median of 200).
 * Targets: review list pages < 100 ms median; bulk approve of 2,000 < 2 s. Run: npx tsx bench/review.bench.ts
 */
import { eq, inArray, sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { openPostgres } from '../src/server/db/client.ts';
import { migrateDatabase } from '../src/server/db/migrate.ts';
import { staff, units } from '../src/server/db/schema.ts';
import { createRandom } from '../src/server/demo/random.ts';
import { insertSchools } from '../src/server/demo/schools.generator.ts';
import { generateIdNumber, generateStaffValues } from '../src/server/demo/staff.generator.ts';
import { insertStaffRows } from '../src/server/demo/staff.seeder.ts';
import { currentCampaign } from '../src/server/campaign/campaign.service.ts';
import { makeAccount, testPassword } from '../src/server/test/factories.ts';
import { benchDatabase, median } from './bench-support.ts';

const url = await benchDatabase('rollcall_bench', false);
const database = openPostgres(url);
await migrateDatabase(database);
const [{ total }] = await database.db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(staff);
const campaign = await currentCampaign(database.db);
if (!campaign || total < 900_000) throw new Error('seed rollcall_bench first: npx tsx bench/export.bench.ts');
const code = `41${String(Date.now()).slice(-8)}`;
await insertSchools(database.db, [{ code, name: '基准测试大学', schoolType: 'higher_ed', countyCode: '430104', expectedStaff: 2000 }]);
const random = createRandom(Date.now() % 100_000);
const rows = Array.from({ length: 2000 }, () => {
  const values = generateStaffValues(random, 'higher_ed', new Date());
  values.idNumber = generateIdNumber(random, values.birthDate!, values.sex as '1' | '2', '439001');
  return { campaignId: campaign.id, schoolCode: code, status: 'confirmed', values };
});
// Earlier runs left their own schools behind: draw again any ID number already taken.
for (;;) {
  const taken = new Set(
    (await database.db.select({ id: staff.idNumber }).from(staff).where(inArray(staff.idNumber, rows.map((row) => row.values.idNumber!)))).map((row) => row.id),
  );
  const clashing = rows.filter((row) => taken.has(row.values.idNumber!));
  if (clashing.length === 0) break;
  for (const row of clashing) row.values.idNumber = generateIdNumber(random, row.values.birthDate!, row.values.sex as '1' | '2', '439001');
}
await insertStaffRows(database.db, rows);
await database.db.execute(sql`analyze staff`);
const operator = await makeAccount(database.db, { unitCode: code, role: 'operator', username: `bench-op-${code}` });
const leader = await makeAccount(database.db, { unitCode: code, role: 'leader', username: `bench-leader-${code}` });
const province = await makeAccount(database.db, { unitCode: '430000', role: 'operator', username: `bench-prov-${code}` });
const app = await buildApp({ config: loadConfig({ DATABASE_URL: url, ROLLCALL_LOG_LEVEL: 'error' }), database });
const address = await app.listen({ port: 0, host: '127.0.0.1' });

async function signIn(username: string) {
  const response = await fetch(`${address}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: testPassword }) });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: response.headers.get('set-cookie')!.split(';')[0], 'x-csrf-token': csrfToken };
}
async function timePages(headers: Record<string, string>, path: (page: number) => string) {
  const samples: number[] = [];
  for (let i = 0; i < 220; i += 1) {
    const started = performance.now();
    const response = await fetch(`${address}${path(1 + (i % 40))}`, { headers });
    await response.json();
    if (response.status !== 200) throw new Error(`${response.status}`);
    if (i >= 20) samples.push(performance.now() - started);
  }
  return median(samples);
}

const school = await signIn(operator.username);
const reviewList = await timePages(school, (page) => `/api/schools/${code}/staff?page=${page}&pageSize=50`);
const ids = (await database.db.select({ id: staff.id }).from(staff).where(eq(staff.schoolCode, code))).map((row) => row.id);
let started = performance.now();
const approve = await fetch(`${address}/api/schools/${code}/staff/transitions`, { method: 'POST', headers: { ...school, 'content-type': 'application/json' }, body: JSON.stringify({ event: 'approve', ids }) });
const approved = (await approve.json()) as { done: number };
const bulkSeconds = (performance.now() - started) / 1000;
const leaderHeaders = await signIn(leader.username);
await fetch(`${address}/api/units/${code}/signoff`, { method: 'POST', headers: { ...leaderHeaders, 'content-type': 'application/json' }, body: '{}' });
started = performance.now();
const submitted = (await (await fetch(`${address}/api/units/${code}/packages`, { method: 'POST', headers: school })).json()) as { id: number };
const submitSeconds = (performance.now() - started) / 1000;
const reviewer = await signIn(province.username);
const packagePages = await timePages(reviewer, (page) => `/api/packages/${submitted.id}/items?page=${page}&pageSize=50`);
const [{ units: unitCount }] = await database.db.select({ units: sql<number>`count(*)`.mapWith(Number) }).from(units);
console.log(`bench/review — PostgreSQL, ${total + 2000} staff, ${unitCount} units; one school of 2,000`);
console.log(`review list page (50 rows): median ${reviewList.toFixed(1)} ms (target < 100 ms)`);
console.log(`bulk approve of ${ids.length}: ${bulkSeconds.toFixed(2)} s, ${approved.done} approved (target < 2 s)`);
console.log(`submit the 2,000-record package: ${submitSeconds.toFixed(2)} s`);
console.log(`province reviewing the package, page of 50: median ${packagePages.toFixed(1)} ms (target < 100 ms)`);
await app.close();
await database.close();
