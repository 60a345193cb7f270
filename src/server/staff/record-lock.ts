import type { Executor } from '../db/client.ts';
import { lockFacts } from './record-lock.repository.ts';
import { deadlineState, submissionDeadline } from '../campaign/deadlines.ts';
import { DomainError } from '../errors.ts';

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
