/**
 * bench/bulletin: drafting a bulletin (通报) for the whole province — 14 prefectures and every university
 * ranked over 1,000,000 staff — on PostgreSQL, over HTTP. Uses the `rollcall_bench` database (20,000
 * schools, 1,000,000 staff) as it is — other benchmarks share it, so this one changes no data but its own
 * account and drafts: the scans of staff and staff_events are the same whatever the states. Drafts
 * (POST /api/bulletins) 7 times, deleting each draft.
 * A bulletin counts the data as they stood at the end of its date: one grouped scan of the records and one of
 * the steps rebuild the states then (before, today's counters were read), so the figures query is also timed
 * for a date a week back.
 * Target: a few seconds at most (1.3 s median measured with 1,000,000 staff on a shared 2-core machine before
 * the as-of computation; with 100,000 staff the figures query went from 191 ms to 278 ms median).
 * Run: npm run bench:bulletin
 */
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { openPostgres } from '../src/server/db/client.ts';
import { migrateDatabase } from '../src/server/db/migrate.ts';
import { staff } from '../src/server/db/schema.ts';
import { currentCampaign } from '../src/server/campaign/campaign.service.ts';
import { loadFigures } from '../src/server/bulletins/bulletin.repository.ts';
import { addDays, chinaDate } from '../src/server/campaign/tasks.ts';
import { makeAccount, testPassword } from '../src/server/test/factories.ts';
import { benchDatabase, median, rssSampler } from './bench-support.ts';

const url = await benchDatabase('rollcall_bench', false);
const database = openPostgres(url);
await migrateDatabase(database);
const [{ total }] = await database.db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(staff);
const campaign = await currentCampaign(database.db);
if (!campaign || total < 900_000) throw new Error('seed rollcall_bench first: node bin/rollcall.js seed --schools 20000 --staff 1000000 --seed 42');

const asOf = chinaDate(new Date());
const weekBack = addDays(asOf, -7);
const direct: number[] = [];
const past: number[] = [];
for (let i = 0; i < 3; i += 1) {
  let started = performance.now();
  await loadFigures(database.db, campaign, asOf);
  direct.push(performance.now() - started);
  started = performance.now();
  await loadFigures(database.db, campaign, weekBack);
  past.push(performance.now() - started);
}

const username = `bench-bulletin-${Date.now()}`;
await makeAccount(database.db, { unitCode: '430000', role: 'admin', username });
const app = await buildApp({ config: loadConfig({ DATABASE_URL: url, ROLLCALL_LOG_LEVEL: 'error' }), database });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const login = await fetch(`${address}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: testPassword }) });
const { csrfToken } = (await login.json()) as { csrfToken: string };
const headers = { cookie: login.headers.get('set-cookie')!.split(';')[0], 'x-csrf-token': csrfToken, 'content-type': 'application/json' };

const rss = rssSampler();
const samples: number[] = [];
let rows = 0;
let universities = 0;
for (let i = 0; i < 7; i += 1) {
  const started = performance.now();
  const response = await fetch(`${address}/api/bulletins`, { method: 'POST', headers, body: JSON.stringify({ asOf, title: `基准测试通报 ${i}` }) });
  const body = (await response.json()) as { id: number; rows: { group: string }[] };
  if (response.status !== 201) throw new Error(`draft: ${response.status} ${JSON.stringify(body)}`);
  samples.push(performance.now() - started);
  rows = body.rows.length;
  universities = body.rows.filter((row) => row.group === 'university').length;
  await fetch(`${address}/api/bulletins/${body.id}`, { method: 'DELETE', headers: { cookie: headers.cookie, 'x-csrf-token': csrfToken } });
}
const peak = rss.stop();
await app.close();

console.log(`bulletin over ${total.toLocaleString('en')} staff: ${rows} rows (14 prefectures + ${universities} universities)`);
console.log(`  figures query (loadFigures, direct, as of today): median ${median(direct).toFixed(0)} ms, max ${Math.max(...direct).toFixed(0)} ms (n=3)`);
console.log(`  figures query as of ${weekBack} (a week back): median ${median(past).toFixed(0)} ms, max ${Math.max(...past).toFixed(0)} ms (n=3)`);
console.log(`  POST /api/bulletins (compute + store + answer): median ${median(samples).toFixed(0)} ms, max ${Math.max(...samples).toFixed(0)} ms (n=7)`);
console.log(`  peak RSS ${peak} MB`);
