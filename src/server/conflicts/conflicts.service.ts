import type { Database } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import { recordEvent } from '../staff/record-steps.repository.ts';
import { assertUnlocked } from '../staff/record-lock.ts';
import { updateStaffRecord } from '../staff/staff.repository.ts';
import { resolveConflict, type ConflictRow } from './conflicts.repository.ts';

type ActorContext = AuditContext & { actor: Actor };

function requireOpen(conflict: ConflictRow) {
  if (conflict.status !== 'open') throw new DomainError('conflict', { zh: '该冲突已处理', en: 'This conflict is already resolved' });
}

/**
 * 调出: the holding school releases the person (the record leaves its list, its history stays), so the
 * claiming school can enter them: resolved as a transfer.
 */
export async function releasePerson(db: Database, context: ActorContext, conflict: ConflictRow, note: string) {
  requireOpen(conflict);
  await assertUnlocked(db, conflict.campaignId, conflict.holderSchoolCode);
  await db.transaction(async (tx) => {
    const released = await updateStaffRecord(tx, conflict.holderStaffId, { live: true }, { deletedAt: new Date(), deletedBy: context.actor.id });
    if (released) {
      await recordEvent(tx, { staffId: released.id, event: 'edit', from: released.status, to: released.status, actorKind: 'school', actorId: context.actor.id, reason: `调出至 ${conflict.claimantSchoolCode}：${note}` });
    }
    await resolveConflict(tx, conflict.id, { resolution: 'transfer', note, resolvedBy: context.actor.id });
    await recordAudit(tx, context, { action: 'conflict.transfer', targetType: 'conflict', targetId: conflict.id, unitCode: conflict.holderSchoolCode, reason: note, after: { staffId: conflict.holderStaffId, to: conflict.claimantSchoolCode } });
  });
}

/** 更正: the claiming school withdraws a wrong claim (a mistyped ID number, a person who is not theirs). */
export async function withdrawClaim(db: Database, context: ActorContext, conflict: ConflictRow, note: string) {
  requireOpen(conflict);
  await db.transaction(async (tx) => {
    await resolveConflict(tx, conflict.id, { resolution: 'correction', note, resolvedBy: context.actor.id });
    await recordAudit(tx, context, { action: 'conflict.correction', targetType: 'conflict', targetId: conflict.id, unitCode: conflict.claimantSchoolCode, reason: note });
  });
}
