/**
 * bench/export: 1,000,000 staff records to .xlsx over HTTP (GET /api/units/430000/export) on PostgreSQL.
 * Seeds the synthetic province (20,000 schools, seed 42) and its staff into `rollcall_bench` when it holds
 * fewer, then streams the province's export, counting bytes. Prints rows/s and peak RSS of the process
 * (server and client). Targets: ≥ 20,000 rows/s, < 400 MB RSS. Run: npx tsx bench/export.bench.ts [staff]
 */
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { openPostgres } from '../src/server/db/client.ts';
import { migrateDatabase } from '../src/server/db/migrate.ts';
import { staff, units } from '../src/server/db/schema.ts';
import { createRandom } from '../src/server/demo/random.ts';
import { insertSchools, schoolsFromCounts, syntheticSchoolCounts } from '../src/server/demo/schools.generator.ts';
import { seedStaff } from '../src/server/demo/staff.seeder.ts';
import { createCampaignFromPlan, currentCampaign } from '../src/server/campaign/campaign.service.ts';
import { makeAccount, testPassword } from '../src/server/test/factories.ts';
import { benchDatabase, rssSampler } from './bench-support.ts';

const wanted = Number(process.argv[2] ?? 1_000_000);
const url = await benchDatabase('rollcall_bench', false);
const database = openPostgres(url);
await migrateDatabase(database);
const count = async (table: typeof staff | typeof units) =>
  (await database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(table))[0].n;
if ((await count(units)) < 20_000) {
  const random = createRandom(42);
  await insertSchools(database.db, schoolsFromCounts(random, syntheticSchoolCounts(random, 20_000)));
}
const existing = await count(staff);
if (existing < wanted) {
  const started = Date.now();
  const campaign = (await currentCampaign(database.db)) ?? (await createCampaignFromPlan(database.db, new Date()));
  await database.db.execute(sql`truncate staff cascade`);
  await seedStaff(database.db, createRandom(42), campaign.id, wanted, (done) => process.stdout.write(`\rseeding staff ${done}/${wanted}`));
  await database.db.execute(sql`analyze`);
  console.log(`\nseeded ${wanted} staff in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
const admin = await makeAccount(database.db, { unitCode: '430000', username: `bench-export-${Date.now()}` });
const app = await buildApp({ config: loadConfig({ DATABASE_URL: url, ROLLCALL_LOG_LEVEL: 'error' }), database });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const login = await fetch(`${address}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: admin.username, password: testPassword }),
});
const cookie = login.headers.get('set-cookie')!.split(';')[0];

const memory = rssSampler();
const started = performance.now();
const response = await fetch(`${address}/api/units/430000/export`, { headers: { cookie } });
let bytes = 0;
const reader = response.body!.getReader();
for (let part = await reader.read(); !part.done; part = await reader.read()) bytes += part.value.length;
const seconds = (performance.now() - started) / 1000;
const peak = memory.stop();
const rows = await count(staff);
console.log(`bench/export — ${rows} records, province export over HTTP, PostgreSQL`);
console.log(`${seconds.toFixed(1)} s, ${Math.round(rows / seconds)} rows/s (target ≥ 20,000), ${(bytes / 1024 / 1024).toFixed(0)} MB written, peak RSS ${peak} MB (target < 400 MB)`);
await app.close();
await database.close();
