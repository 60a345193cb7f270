import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { resultRows, type Executor } from '../db/client.ts';
import { packages, staff, units } from '../db/schema.ts';
import type { CampaignPlan } from '../../standard/campaign.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import type { UnitKind } from '../../contract/unit-tree.ts';
import { deadlineState, submissionDeadline } from '../campaign/deadlines.ts';
import { DomainError } from '../errors.ts';

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

/** Refuses a change to a school's records while its package is under review or approved (数据已锁定), or,
 * once its deadline has passed, to data it has submitted before, unless its parent granted an unlock.
 * Every save asks this, so what it needs comes in one query. */
export async function assertUnlocked(executor: Executor, campaignId: number, schoolCode: string) {
  const [facts] = resultRows<{ locked: boolean; submitted_before: boolean; granted: boolean; plan: CampaignPlan; kind: UnitKind; school_type: SchoolType | null }>(
    await executor.execute(sql`
      select
        exists (select 1 from packages p where p.campaign_id = c.id and p.unit_code = u.code and p.status in ('submitted', 'approved')
          and p.version_no = (select max(q.version_no) from packages q where q.campaign_id = c.id and q.unit_code = u.code)) as locked,
        exists (select 1 from packages p where p.campaign_id = c.id and p.unit_code = u.code) as submitted_before,
        exists (select 1 from unlock_requests r where r.campaign_id = c.id and r.unit_code = u.code and r.status = 'granted' and r.expires_at > now()) as granted,
        c.plan, u.kind, u.school_type
      from campaigns c, units u where c.id = ${campaignId} and u.code = ${schoolCode}`),
  );
  if (!facts) return;
  if (facts.locked) {
    throw new DomainError('conflict', {
      zh: '本校数据已报送，处于锁定状态；如需修改，请上级退回或重新打开',
      en: "The school's data are submitted and locked; ask the level above to return or reopen them",
    }, { locked: true });
  }
  const due = submissionDeadline(facts.plan, facts.kind, facts.school_type);
  if (deadlineState(due, new Date()) !== 'late' || !facts.submitted_before) return;
  if (!facts.granted) {
    throw new DomainError('conflict', {
      zh: `已过报送截止日期（${due}），修改已报送的数据须先向上级申请解锁`,
      en: `The deadline (${due}) has passed: ask the level above to unlock before changing submitted data`,
    }, { deadline: due, needsUnlock: true });
  }
}
