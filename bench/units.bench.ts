/**
 * bench/units: the unit pages at province scale on PostgreSQL.
 * Seeds 20,000 schools (seed 42) into DATABASE_URL (default: a database `rollcall_bench` on localhost),
 * serves Rollcall on a free port and times, over real HTTP:
 *   - GET /api/units/{county}/children (a county's schools, the largest county)
 *   - GET /api/units/430000/children (the province's first page)
 *   - GET /api/units/430000/schools?q=… (a search over all schools)
 * Prints median and p95 per request kind, and peak RSS. Run: npx tsx bench/units.bench.ts
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { openPostgres } from '../src/server/db/client.ts';
import { migrateDatabase } from '../src/server/db/migrate.ts';
import { units } from '../src/server/db/schema.ts';
import { createRandom } from '../src/server/demo/random.ts';
import { insertSchools, schoolsFromCounts, syntheticSchoolCounts } from '../src/server/demo/schools.generator.ts';
import { makeAccount } from '../src/server/test/factories.ts';

const schoolsWanted = 20_000;
const rounds = 300;
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/rollcall_bench';

async function ensureDatabase() {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`create database ${name}`);
  await admin.end();
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), max: sorted.at(-1)! };
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

await ensureDatabase();
const database = openPostgres(url);
await migrateDatabase(database);
const [{ count }] = await database.db.select({ count: sql<number>`count(*)`.mapWith(Number) }).from(units).where(sql`kind = 'school'`);
if (count < schoolsWanted) {
  const started = Date.now();
  const random = createRandom(42);
  await insertSchools(database.db, schoolsFromCounts(random, syntheticSchoolCounts(random, schoolsWanted)));
  console.log(`seeded ${schoolsWanted} schools in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
await database.db.execute(sql`analyze units`);
const [largest] = await database.db
  .select({ code: units.parentCode, n: sql<number>`count(*)`.mapWith(Number) })
  .from(units)
  .where(sql`kind = 'school' and depth = 3`)
  .groupBy(units.parentCode)
  .orderBy(sql`2 desc`)
  .limit(1);
const admin = await makeAccount(database.db, { unitCode: '430000', username: `bench-${Date.now()}` });

const app = await buildApp({ config: loadConfig({ ...process.env, DATABASE_URL: url }), database });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const login = await fetch(`${address}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: admin.username, password: 'test1234' }),
});
const cookie = login.headers.get('set-cookie')!.split(';')[0];

async function time(path: string) {
  const samples: number[] = [];
  for (let i = 0; i < rounds + 20; i += 1) {
    const started = performance.now();
    const response = await fetch(`${address}${path}`, { headers: { cookie } });
    const body = (await response.json()) as { items?: unknown[]; total?: number };
    if (response.status !== 200 || !body.items) throw new Error(`${path}: ${response.status}`);
    if (i >= 20) samples.push(performance.now() - started);
  }
  const { median, p95, max } = stats(samples);
  return { path, median: median.toFixed(1), p95: p95.toFixed(1), max: max.toFixed(1) };
}

const results = [
  await time(`/api/units/${largest.code}/children?pageSize=500`),
  await time(`/api/units/${largest.code}/children`),
  await time('/api/units/430000/children'),
  await time('/api/units/430000/schools'),
  await time(`/api/units/430000/schools?q=${encodeURIComponent('第十二')}`),
];
console.log(`\nbench/units — PostgreSQL, ${schoolsWanted} schools; largest county ${largest.code} has ${largest.n} schools; ${rounds} requests each over HTTP`);
console.table(results.map((r) => ({ request: r.path, 'median ms': r.median, 'p95 ms': r.p95, 'max ms': r.max })));
console.log(`peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
clearInterval(sampler);
await app.close();
await database.close();
