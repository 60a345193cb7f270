/**
 * bench/progress: the progress pages at province scale on PostgreSQL (`rollcall_bench`, 20,000 schools and
 * 1,000,000 staff; seed it with `node bin/rollcall.js seed --schools 20000 --staff 1000000 --seed 42`).
 * When the records are nearly all drafts created today, it first spreads them over the campaign's past days
 * and moves half of them on (sent, confirmed, a fifth approved) with their events, and says so.
 * Over HTTP: the progress page data of the province, a prefecture and the largest county (median and p95),
 * storing the past days of the trend (once a day), the province's trend (median), a county's and a
 * school's trend (a school stores its own past days on its first request of a day), and the peak RSS. Targets: province < 200 ms median, county < 50 ms median.
 * Run: npm run bench:progress
 */
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { openPostgres, resultRows } from '../src/server/db/client.ts';
import { migrateDatabase } from '../src/server/db/migrate.ts';
import { currentCampaign } from '../src/server/campaign/campaign.service.ts';
import { addDays, chinaDay } from '../src/server/progress/progress.ts';
import { storePastDays } from '../src/server/progress/progress.service.ts';
import { makeAccount, testPassword } from '../src/server/test/factories.ts';
import { benchDatabase, median, rssSampler } from './bench-support.ts';

const url = await benchDatabase('rollcall_bench', false);
const database = openPostgres(url);
await migrateDatabase(database);
const db = database.db;
const rows = <T>(result: unknown) => resultRows<T>(result);
const campaign = await currentCampaign(db);
const [{ total, moved }] = rows<{ total: string; moved: string }>(
  await db.execute(sql`select count(*) as total, count(*) filter (where status <> 'draft') as moved from staff where deleted_at is null`),
);
if (!campaign || Number(total) < 900_000) throw new Error('seed rollcall_bench first: node bin/rollcall.js seed --schools 20000 --staff 1000000 --seed 42');

const today = chinaDay(new Date());
if (Number(moved) < Number(total) / 10) {
  const started = performance.now();
  const pastDays = Math.max(1, Math.round((Date.parse(today) - Date.parse(campaign.startsOn)) / 86_400_000));
  const firstMorning = `${campaign.startsOn}T09:00:00+08:00`;
  await db.transaction(async (tx) => {
    await tx.execute(sql`update staff set created_at = ${firstMorning}::timestamptz + make_interval(days => (id % ${pastDays})::int) where status = 'draft' and deleted_at is null`);
    await tx.execute(sql`
      insert into staff_events (staff_id, event, from_state, to_state, actor_kind, at)
      select id, 'send_for_confirmation', 'draft', 'awaiting_confirmation', 'school', least(created_at + interval '1 day', now()) from staff where status = 'draft' and id % 10 < 5
      union all
      select id, 'confirm', 'awaiting_confirmation', 'confirmed', 'staff_member', least(created_at + interval '2 days', now()) from staff where status = 'draft' and id % 10 < 5
      union all
      select id, 'approve', 'confirmed', 'approved', 'school', least(created_at + interval '3 days', now()) from staff where status = 'draft' and id % 10 < 2`);
    await tx.execute(sql`update staff set status = case when id % 10 < 2 then 'approved' else 'confirmed' end where status = 'draft' and id % 10 < 5`);
  });
  await db.execute(sql`vacuum analyze staff`);
  await db.execute(sql`vacuum analyze staff_events`);
  console.log(
    `prepared: the drafts spread over ${pastDays} past days from ${campaign.startsOn}; half sent and confirmed, a fifth approved, with their events (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}

// Planner statistics of the small tables the page reads (a freshly seeded database has none yet).
await db.execute(sql`analyze units, progress_school_counts, packages`);

const [largest] = rows<{ code: string; name: string; schools: string; staff: string }>(
  await db.execute(sql`
    select c.code, c.name, count(*) as schools, coalesce(sum(p.entered), 0) as staff from units c
    join units s on s.parent_code = c.code and s.kind = 'school'
    left join progress_school_counts p on p.school_code = s.code and p.campaign_id = ${campaign.id}
    where c.kind = 'county' group by c.code, c.name order by count(*) desc limit 1`),
);
const [school] = rows<{ code: string }>(await db.execute(sql`select school_code as code from progress_school_counts where campaign_id = ${campaign.id} order by entered desc limit 1`));
const [counts] = rows<{ staff: string; events: string; schools: string }>(
  await db.execute(sql`select (select count(*) from staff) as staff, (select count(*) from staff_events) as events, (select count(*) from units where kind = 'school') as schools`),
);

const admin = await makeAccount(db, { unitCode: '430000', role: 'viewer', username: `bench-progress-${Date.now()}` });
const app = await buildApp({ config: loadConfig({ DATABASE_URL: url, ROLLCALL_LOG_LEVEL: 'error' }), database });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
// The listening server stores the past days in the background; wait for it so it does not share the timings.
await storePastDays(db);
const login = await fetch(`${address}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: admin.username, password: testPassword }) });
const headers = { cookie: login.headers.get('set-cookie')!.split(';')[0] };

async function once(path: string) {
  const started = performance.now();
  const response = await fetch(`${address}${path}`, { headers });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
  return { ms: performance.now() - started, body };
}
async function measure(path: string, runs = 60, warmup = 5) {
  for (let i = 0; i < warmup; i += 1) await once(path);
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) samples.push((await once(path)).ms);
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: median(samples), p95: sorted[Math.floor(sorted.length * 0.95)] };
}
const figures = (result: { median: number; p95: number }) => `median ${result.median.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms`;

const rss = rssSampler();
const provincePage = await measure('/api/units/430000/progress');
const prefecturePage = await measure('/api/units/430100/progress');
const countyPage = await measure(`/api/units/${largest.code}/progress`);
await db.execute(sql`delete from progress_days where campaign_id = ${campaign.id}`);
const fill = await once('/api/units/430000/progress/trend');
const provinceTrend = await measure('/api/units/430000/progress/trend');
const countyTrend = await measure(`/api/units/${largest.code}/progress/trend`);
await db.execute(sql`delete from progress_days where campaign_id = ${campaign.id} and unit_code = ${school.code}`);
const schoolFirst = await once(`/api/units/${school.code}/progress/trend`);
const schoolTrend = await measure(`/api/units/${school.code}/progress/trend`);
const peak = rss.stop();

// The page's figures against a direct count over staff, with the time that direct count takes.
const directStarted = performance.now();
const [direct] = rows<{ entered: string; confirmed: string; approved: string }>(
  await db.execute(sql`select count(*) as entered, count(*) filter (where status in ('confirmed', 'approved')) as confirmed, count(*) filter (where status = 'approved') as approved from staff where campaign_id = ${campaign.id} and deleted_at is null`),
);
const directMs = performance.now() - directStarted;
const page = (await once('/api/units/430000/progress')).body as { totals: { progress: { staff: { entered: number; confirmed: number; approved: number } } }; children: unknown[] };
const same = page.totals.progress.staff.entered === Number(direct.entered) && page.totals.progress.staff.confirmed === Number(direct.confirmed) && page.totals.progress.staff.approved === Number(direct.approved);
const trendDays = (fill.body as { days: unknown[] }).days.length;

console.log(`bench/progress — PostgreSQL, ${Number(counts.staff).toLocaleString('en')} staff, ${Number(counts.events).toLocaleString('en')} events, ${Number(counts.schools).toLocaleString('en')} schools; today ${today}, campaign from ${campaign.startsOn}`);
console.log(`province progress page (${page.children.length} child units): ${figures(provincePage)} (target < 200 ms median)`);
console.log(`prefecture 430100 progress page: ${figures(prefecturePage)}`);
console.log(`largest county ${largest.code} ${largest.name} (${largest.schools} schools, ${Number(largest.staff).toLocaleString('en')} staff): ${figures(countyPage)} (target < 50 ms median)`);
console.log(`storing ${trendDays - 1} past days for every area unit (a listening server does it at start and after midnight; here a trend request with none stored): ${fill.ms.toFixed(0)} ms`);
console.log(`province trend (${trendDays} days): ${figures(provinceTrend)}`);
console.log(`county ${largest.code} trend: ${figures(countyTrend)}; school ${school.code} trend: first request of the day (stores its past days) ${schoolFirst.ms.toFixed(0)} ms, then ${figures(schoolTrend)}`);
console.log(`province figures equal a direct count over staff: ${same ? 'yes' : 'NO'} (entered ${direct.entered}, confirmed ${direct.confirmed}, approved ${direct.approved}; that count alone took ${directMs.toFixed(0)} ms)`);
console.log(`peak RSS ${peak} MB; days stored through ${addDays(today, -1)}`);
await app.close();
await database.close();
