/**
 * bench/weekly-report: the weekly report snapshot of the whole province on PostgreSQL — every prefecture's,
 * every county's and the province's report for one issue, each level from one load of the province's facts
 * (records by state as of the moment from their history, packages, plan tasks). Uses the `rollcall_bench`
 * database (20,000 schools, 1,000,000 staff; seed it with `node bin/rollcall.js seed --schools 20000
 * --staff 1000000 --seed 42`). Computes and prints; stores nothing.
 * Target: the whole province in under 10 s. Run: npm run bench:weekly [-- <issue 1..4>]
 */
import { sql } from 'drizzle-orm';
import type { CampaignPlan } from '../src/standard/campaign.ts';
import { openPostgres } from '../src/server/db/client.ts';
import { migrateDatabase } from '../src/server/db/migrate.ts';
import { staff, staffEvents } from '../src/server/db/schema.ts';
import { currentCampaign } from '../src/server/campaign/campaign.service.ts';
import { findUnit } from '../src/server/org/units.repository.ts';
import { snapshotsOfLevels } from '../src/server/reports/weekly-report.service.ts';
import { weeklyIssue, type IssueNo, type ReportLevel } from '../src/server/reports/weekly-issues.ts';
import { areaValues } from '../src/server/reports/weekly-layout.ts';
import { benchDatabase, rssSampler } from './bench-support.ts';

const issueNo = Number(process.argv[2] ?? 2) as IssueNo;
const url = await benchDatabase('rollcall_bench', false);
const database = openPostgres(url);
await migrateDatabase(database);
const db = database.db;
const [{ total }] = await db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(staff);
const [{ events }] = await db.select({ events: sql<number>`count(*)`.mapWith(Number) }).from(staffEvents);
const campaign = await currentCampaign(db);
if (!campaign || total < 900_000) throw new Error('seed rollcall_bench first (1,000,000 staff)');
const province = (await findUnit(db, '430000'))!;
console.log(`rollcall_bench: ${total} staff, ${events} staff events; issue ${issueNo}`);

/** Every report of the three levels as of `moment(level)`, the levels' cut-offs sharing one scan of the records. */
async function wholeProvince(label: string, moment: (level: ReportLevel) => Date) {
  const rss = rssSampler();
  const started = performance.now();
  const levels = ['county', 'prefecture', 'province'] as const;
  const snapshots = await snapshotsOfLevels(db, campaign!, province, levels.map((level) => ({ level, asOf: moment(level) })));
  const seconds = (performance.now() - started) / 1000;
  const counts = levels.map((level, index) => `${snapshots[index].size} ${level}`).join(', ');
  const reports = snapshots.reduce((total, level) => total + level.size, 0);
  const entered = areaValues(snapshots[2].get('430000')!.totals, 2)[5];
  console.log(`${label}\n  whole province: ${reports} reports (${counts}) in ${seconds.toFixed(2)} s (target < 10 s), ${entered} records counted, peak RSS ${rss.stop()} MB`);
}

const plan = campaign.plan as CampaignPlan;
// As of the issue's Friday cut-off of each level (what a frozen report holds).
await wholeProvince(`as of issue ${issueNo}'s cut-offs`, (level) => weeklyIssue(plan, level, issueNo).dueAt);
// As of now through the history path, so every record of the province is read and placed in its state.
const now = new Date();
await wholeProvince('as of now (every record, states from the history)', () => now);
// The worst case: a cut-off just before the first recorded event, so every event is after it and each
// record that has one takes its state from it.
const [{ first }] = await db.select({ first: sql<string | null>`min(${staffEvents.at})::text` }).from(staffEvents);
if (first) await wholeProvince(`as of the first recorded event (${first}): every event after the cut-off`, () => new Date(new Date(first).getTime() - 1));
await database.close();
