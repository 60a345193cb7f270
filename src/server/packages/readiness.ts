import type { Executor } from '../db/client.ts';
import { deadlineState, submissionDeadline } from './deadlines.ts';
import { DomainError } from '../errors.ts';
import { childUnits, latestPackages, lockFacts, schoolsWithRecords } from './packages.repository.ts';

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

/**
 * Every unit that reports to `unitCode` (a closed school no longer does), with the state of its submission.
 * A package marked stale (需重新审核) counts as not approved, whatever its status, and says why.
 */
export async function childReadiness(executor: Executor, campaignId: number, unitCode: string) {
  const children = await childUnits(executor, unitCode, { openOnly: true });
  const latest = await latestPackages(executor, campaignId, children.map((child) => child.code));
  const started = await schoolsWithRecords(executor, campaignId, children.filter((c) => c.kind === 'school').map((c) => c.code));
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

/** Refuses a change to a school's records while its package is under review or approved (数据已锁定), or,
 * once its deadline has passed, to data it has submitted before, unless its parent granted an unlock.
 * Every save asks this, so what it needs comes in one query. */
export async function assertUnlocked(executor: Executor, campaignId: number, schoolCode: string) {
  const facts = await lockFacts(executor, campaignId, schoolCode);
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
