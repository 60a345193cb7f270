import { sql } from 'drizzle-orm';
import { resultRows, type Executor } from '../db/client.ts';
import type { CampaignPlan } from '../../standard/campaign.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import type { UnitKind } from '../../contract/unit-tree.ts';
import { deadlineState, submissionDeadline } from '../campaign/deadlines.ts';
import { DomainError } from '../errors.ts';

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
