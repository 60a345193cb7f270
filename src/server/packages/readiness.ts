import type { Executor } from '../db/client.ts';
import type { ChildState } from '../../contract/packages.schema.ts';
import { childUnits, latestPackages, schoolsWithRecords } from './packages.repository.ts';

/** Where a unit that reports here stands (不漏一校: every one must be approved before the parent submits). */
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
