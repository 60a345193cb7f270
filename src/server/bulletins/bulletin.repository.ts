import { and, desc, eq, inArray, lt, ne, sql } from 'drizzle-orm';
import { resultRows, type Executor } from '../db/client.ts';
import { bulletins } from '../db/schema.ts';
import type { CampaignRow } from '../campaign/campaign.service.ts';
import { levelOfUnit, planOf } from '../campaign/tasks.service.ts';
import { observedKinds } from '../campaign/task-observer.ts';
import { addDays, isManual } from '../campaign/tasks.ts';
import { share, type UnitFigures } from './bulletin.figures.ts';
import { schoolRecordsAt, type SchoolRecords } from './bulletin-records.repository.ts';
import { latestPackagesSql } from '../db/latest-packages.ts';
import { reportsToProvince } from '../../contract/units.ts';

/** Observables dated by an event the system keeps (the school stages are dated by submission). */
const datedObservables = new Set(['submit', 'review', 'contacts']);

/**
 * The first instant after a China day (UTC+8): 00:00 in Beijing of the next day. A bulletin dated `day`
 * counts what happened before it; a deadline due on `day` is met by what was done before it.
 */
export function endOfChinaDay(day: string): Date {
  return new Date(`${addDays(day, 1)}T00:00:00+08:00`);
}

type UnitRecord = { code: string; name: string; kind: string; school_type: string | null; path: string; parent_code: string | null; expected_staff: number | null; closed_on: string | null };

/** A unit's latest package submitted before the moment, as it stood then. */
type PackageThen = {
  /** Submitted or approved then (not returned): the task 报送 is done, dated by the first submission. */
  submitted: boolean;
  firstSubmittedAt: Date;
  /** When it was approved, if it stood approved then (not reopened, returned or marked 需重新审核 by then). */
  approvedAt: Date | null;
};

/**
 * The latest package of each unit submitted before `before`, as it stood then (the weekly report's reading):
 * decided by then → its decision; approved by then but decided again later (a reopening rewrites
 * `decided_at`, `approved_at` stays) → approved; otherwise submitted. A package marked 需重新审核 before
 * the moment no longer counts as approved.
 */
async function packagesAt(executor: Executor, campaignId: number, before: Date): Promise<Map<string, PackageThen>> {
  const moment = before.toISOString();
  const rows = resultRows<{ unit_code: string; state: string; approved_at: string | Date | null; stale: boolean; first_submitted_at: string | Date }>(
    await executor.execute(sql`
      select latest.unit_code,
        case when latest.decided_at < ${moment}::timestamptz then latest.status
          when latest.approved_at < ${moment}::timestamptz then 'approved'
          else 'submitted' end as state,
        coalesce(latest.approved_at, latest.decided_at) as approved_at,
        coalesce(latest.stale_at < ${moment}::timestamptz, false) as stale,
        latest.first_submitted_at
      from ${latestPackagesSql(campaignId, sql`p.submitted_at < ${moment}::timestamptz`)} latest`),
  );
  return new Map(rows.map((row) => [row.unit_code, {
    submitted: row.state === 'submitted' || row.state === 'approved',
    firstSubmittedAt: new Date(row.first_submitted_at),
    approvedAt: row.state === 'approved' && !row.stale && row.approved_at ? new Date(row.approved_at) : null,
  }]));
}

/**
 * Counts for every prefecture (with its counties and their schools; universities excluded) and every
 * university, as they stood at the end of the bulletin's date `asOf` (before 00:00 of the next day in China):
 *  - the schools: those not closed (撤销、合并) on or before the date; their expected staff, and the shortfall
 *    school by school (expected − records, never below zero at any school);
 *  - records entered, approved, reviewed, returned, with findings then (`schoolRecordsAt`);
 *  - schools approved: the latest package submitted by then stood approved then;
 *  - timeliness: every deadline of the plan up to the date for the unit and each unit below it, met when done
 *    before the end of its due day — a task marked by hand by the time it was marked (`done_at`, not the day
 *    typed with it), a submission by its first submission, a review by the approval of the last unit below,
 *    the responsible persons by their first report.
 * The units now in the tree are the tree (a school moved between counties counts where it is now; the
 * records of a merged school count at the school they moved to).
 */
export async function loadFigures(executor: Executor, campaign: CampaignRow, asOf: string): Promise<UnitFigures[]> {
  const before = endOfChinaDay(asOf);
  const [unitRows, records, packages, contacts, marked] = await Promise.all([
    executor.execute(sql`select code, name, kind, school_type, path, parent_code, expected_staff, closed_on::text as closed_on from units order by code`).then((r) => resultRows<UnitRecord>(r)),
    schoolRecordsAt(executor, campaign.id, before),
    packagesAt(executor, campaign.id, before),
    executor.execute(sql`select unit_code, min(created_at) as reported_at from unit_contacts where campaign_id = ${campaign.id} group by unit_code`)
      .then((r) => new Map(resultRows<{ unit_code: string; reported_at: string | Date }>(r).map((row) => [row.unit_code, new Date(row.reported_at)]))),
    executor.execute(sql`select unit_code, task_key, done_at from task_completions where campaign_id = ${campaign.id}`)
      .then((r) => new Map(resultRows<{ unit_code: string; task_key: string; done_at: string | Date }>(r).map((row) => [`${row.unit_code}/${row.task_key}`, new Date(row.done_at)]))),
  ]);
  const plan = planOf(campaign);
  const closed = (unit: UnitRecord) => unit.closed_on !== null && unit.closed_on <= asOf;
  const units = unitRows.filter((unit) => !closed(unit));

  const children = new Map<string, string[]>();
  for (const unit of units) {
    if (!unit.parent_code) continue;
    const list = children.get(unit.parent_code) ?? [];
    list.push(unit.code);
    children.set(unit.parent_code, list);
  }
  /** When a dated observable task was done (null: not done by the moment). */
  const observedAt = (observable: string, code: string): Date | null => {
    if (observable === 'contacts') return contacts.get(code) ?? null;
    if (observable === 'submit') {
      const pkg = packages.get(code);
      return pkg?.submitted ? pkg.firstSubmittedAt : null;
    }
    // review: every unit reporting to it stood approved; dated by the last approval.
    const below = children.get(code) ?? [];
    if (below.length === 0) return null;
    let last: Date | null = null;
    for (const child of below) {
      const approvedAt = packages.get(child)?.approvedAt;
      if (!approvedAt) return null;
      if (!last || approvedAt > last) last = approvedAt;
    }
    return last;
  };

  const figures = new Map<string, UnitFigures>();
  const countyTotals = new Map<string, { name: string; prefecture: string; expected: number; approved: number }>();
  const blank = (unit: UnitRecord, group: UnitFigures['group']): UnitFigures => ({
    code: unit.code, name: unit.name, group, schools: 0, schoolsApproved: 0, expectedStaff: 0, liveStaff: 0, approvedStaff: 0,
    reviewedStaff: 0, shortfall: 0, deadlines: 0, deadlinesMet: 0, returned: 0, withFindings: 0, withProblems: 0, slowest: [],
  });
  for (const unit of units) {
    if (unit.kind === 'prefecture') figures.set(unit.code, blank(unit, 'prefecture'));
    if (unit.kind === 'school' && reportsToProvince(unit.school_type)) figures.set(unit.code, blank(unit, 'university'));
    if (unit.kind === 'county') countyTotals.set(unit.code, { name: unit.name, prefecture: unit.path.split('.')[1], expected: 0, approved: 0 });
  }

  for (const unit of units) {
    if (unit.kind === 'province') continue;
    const university = reportsToProvince(unit.school_type);
    const target = figures.get(university ? unit.code : unit.path.split('.')[1]);
    if (!target) continue;
    // Deadlines up to the bulletin's date, met or not.
    for (const task of plan.levels[levelOfUnit({ kind: unit.kind, schoolType: unit.school_type })]?.tasks ?? []) {
      if (!task.due || task.due > asOf) continue;
      const manual = isManual(task, observedKinds);
      if (!manual && !datedObservables.has(task.observable!)) continue;
      const doneAt = manual ? (marked.get(`${unit.code}/${task.key}`) ?? null) : observedAt(task.observable!, unit.code);
      target.deadlines += 1;
      if (doneAt && doneAt < endOfChinaDay(task.due)) target.deadlinesMet += 1;
    }
    if (unit.kind !== 'school') continue;
    const school: SchoolRecords | undefined = records.get(unit.code);
    const expected = unit.expected_staff ?? 0;
    target.schools += 1;
    if (packages.get(unit.code)?.approvedAt) target.schoolsApproved += 1;
    target.expectedStaff += expected;
    target.shortfall += Math.max(0, expected - (school?.live ?? 0));
    if (school) {
      target.liveStaff += school.live;
      target.approvedStaff += school.approved;
      target.reviewedStaff += school.reviewed;
      target.returned += school.returned;
      target.withFindings += school.withFindings;
      target.withProblems += school.withProblems;
    }
    const county = !university ? countyTotals.get(unit.path.split('.')[2]) : undefined;
    if (county) {
      county.expected += expected;
      county.approved += school?.approved ?? 0;
    }
  }

  for (const [code, county] of countyTotals) {
    const prefecture = figures.get(county.prefecture);
    if (!prefecture) continue;
    prefecture.slowest.push({ code, name: county.name, completion: Math.round(Math.min(1, share(county.approved, county.expected)) * 10_000) / 10_000 });
  }
  for (const prefecture of figures.values()) {
    prefecture.slowest = prefecture.slowest.sort((a, b) => a.completion - b.completion || a.code.localeCompare(b.code)).slice(0, 3);
  }
  return [...figures.values()];
}

export type BulletinRecord = typeof bulletins.$inferSelect;

export async function findBulletin(executor: Executor, id: number): Promise<BulletinRecord | undefined> {
  const [row] = await executor.select().from(bulletins).where(eq(bulletins.id, id)).limit(1);
  return row;
}

/** A campaign's bulletins, newest date first; only the published ones unless `drafts`. */
export async function listBulletins(executor: Executor, campaignId: number, drafts: boolean): Promise<BulletinRecord[]> {
  return executor
    .select()
    .from(bulletins)
    .where(and(eq(bulletins.campaignId, campaignId), drafts ? undefined : inArray(bulletins.status, ['published'])))
    .orderBy(desc(bulletins.asOf), desc(bulletins.id));
}

/** The latest published bulletin dated before `asOf` (other than `exceptId`). */
export async function previousPublished(executor: Executor, campaignId: number, asOf: string, exceptId?: number): Promise<BulletinRecord | undefined> {
  const [row] = await executor
    .select()
    .from(bulletins)
    .where(and(eq(bulletins.campaignId, campaignId), eq(bulletins.status, 'published'), lt(bulletins.asOf, asOf), exceptId ? ne(bulletins.id, exceptId) : undefined))
    .orderBy(desc(bulletins.asOf), desc(bulletins.id))
    .limit(1);
  return row;
}

/** The campaign's latest bulletin, draft or published. */
export async function latestBulletin(executor: Executor, campaignId: number): Promise<BulletinRecord | undefined> {
  const [last] = await executor.select().from(bulletins).where(eq(bulletins.campaignId, campaignId)).orderBy(desc(bulletins.id)).limit(1);
  return last;
}

export async function insertBulletin(tx: Executor, values: typeof bulletins.$inferInsert): Promise<BulletinRecord> {
  const [row] = await tx.insert(bulletins).values(values).returning();
  return row;
}

/** Changes a draft still at `version`; nothing when it moved on or was published meanwhile. */
export async function updateDraftRow(tx: Executor, id: number, version: number, values: Partial<typeof bulletins.$inferInsert>): Promise<BulletinRecord | undefined> {
  const [row] = await tx
    .update(bulletins)
    .set(values)
    .where(and(eq(bulletins.id, id), eq(bulletins.version, version), eq(bulletins.status, 'draft')))
    .returning();
  return row;
}

export async function deleteDraftRow(tx: Executor, id: number) {
  await tx.delete(bulletins).where(and(eq(bulletins.id, id), eq(bulletins.status, 'draft')));
}
