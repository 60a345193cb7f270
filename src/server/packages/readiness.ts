import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { packages, staff, units } from '../db/schema.ts';

/** Where a unit that reports here stands (不漏一校: every one must be approved before the parent submits). */
export type ChildState = 'not_started' | 'in_progress' | 'returned' | 'awaiting_review' | 'stale' | 'approved';

export const childStateLabels: Record<ChildState, { zh: string; en: string }> = {
  not_started: { zh: '未开始', en: 'Not started' },
  in_progress: { zh: '进行中', en: 'In progress' },
  returned: { zh: '已退回', en: 'Returned' },
  awaiting_review: { zh: '待审核', en: 'Awaiting review' },
  stale: { zh: '需重新审核', en: 'Needs review again' },
  approved: { zh: '已通过', en: 'Approved' },
};

/** The latest package of each unit, for a campaign. */
export async function latestPackages(executor: Executor, campaignId: number, unitCodes: string[]) {
  if (unitCodes.length === 0) return new Map<string, typeof packages.$inferSelect>();
  const rows = await executor
    .selectDistinctOn([packages.unitCode])
    .from(packages)
    .where(and(eq(packages.campaignId, campaignId), inArray(packages.unitCode, unitCodes)))
    .orderBy(packages.unitCode, desc(packages.versionNo));
  return new Map(rows.map((row) => [row.unitCode, row]));
}

/**
 * Every unit that reports to `unitCode` (a closed school no longer does), with the state of its submission.
 * A package marked stale (需重新审核) counts as not approved, whatever its status, and says why.
 */
export async function childReadiness(executor: Executor, campaignId: number, unitCode: string) {
  const children = await executor
    .select({ code: units.code, name: units.name, kind: units.kind })
    .from(units)
    .where(and(eq(units.parentCode, unitCode), isNull(units.closedOn)))
    .orderBy(units.code);
  const latest = await latestPackages(executor, campaignId, children.map((child) => child.code));
  const started = new Set(
    (
      await executor
        .selectDistinct({ code: staff.schoolCode })
        .from(staff)
        .where(and(eq(staff.campaignId, campaignId), isNull(staff.deletedAt), inArray(staff.schoolCode, children.filter((c) => c.kind === 'school').map((c) => c.code).concat(['']))))
    ).map((row) => row.code),
  );
  return children.map((child) => {
    const pkg = latest.get(child.code);
    const state: ChildState = pkg
      ? pkg.staleAt && pkg.status !== 'returned'
        ? 'stale'
        : pkg.status === 'approved'
        ? 'approved'
        : pkg.status === 'submitted'
          ? 'awaiting_review'
          : 'returned'
      : started.has(child.code) || child.kind !== 'school'
        ? 'in_progress'
        : 'not_started';
    return { ...child, state, packageId: pkg?.id ?? null, staleCause: state === 'stale' ? pkg!.staleCause : null };
  });
}

/** True when the unit's latest package is submitted or approved: its data are locked. */
export async function isLocked(executor: Executor, campaignId: number, unitCode: string) {
  const [row] = await executor
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(packages)
    .where(and(eq(packages.campaignId, campaignId), eq(packages.unitCode, unitCode), sql`${packages.versionNo} = (select max(p.version_no) from packages p where p.campaign_id = ${campaignId} and p.unit_code = ${unitCode})`, inArray(packages.status, ['submitted', 'approved'])));
  return row.n > 0;
}
