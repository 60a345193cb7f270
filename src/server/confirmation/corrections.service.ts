import type { SchoolType } from '../../standard/school-types.ts';
import type { FieldKey } from '../../standard/types.ts';
import type { Database } from '../db/client.ts';
import { DomainError, staleVersion } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import { fieldColumnsOf, updateStaffRecord, valuesOf, type StaffRow } from '../staff/staff.repository.ts';
import { changedFields, checkForWrite } from '../staff/staff.service.ts';
import { transition } from '../../contract/record-states.ts';
import { confirmedViaSet, transitionError } from '../staff/record-steps.ts';
import { recordEvent } from '../staff/record-steps.repository.ts';
import { assertUnlocked } from '../staff/record-lock.ts';
import { decideCorrection, type CorrectionRow } from './confirmation.repository.ts';

type ActorContext = AuditContext & { actor: Actor };
type CorrectionField = { field: FieldKey; label: string; before: string | null; after: string | null; note: string | null };

function pending(correction: CorrectionRow) {
  if (correction.status !== 'pending') {
    throw new DomainError('conflict', { zh: '该更正申请已处理', en: 'This request has already been decided' }, { status: correction.status });
  }
}

/**
 * 接受更正: the requested values are applied and the whole record checked again (rule 12 included) — a value
 * the rules refuse refuses the acceptance, so nothing is ever "accepted but not applied". The record is then
 * confirmed: the person asked for exactly this.
 */
export async function acceptCorrection(db: Database, context: ActorContext, correction: CorrectionRow, row: StaffRow, school: { code: string; name: string; schoolType: SchoolType }) {
  pending(correction);
  await assertUnlocked(db, row.campaignId, row.schoolCode);
  const step = transition(row.status, 'accept_correction', 'school');
  if (!step.ok) throw transitionError(step, 'accept_correction');
  const before = valuesOf(row);
  const proposed = { ...before };
  for (const item of correction.fields as CorrectionField[]) proposed[item.field] = item.after;
  const { values, warnings } = await checkForWrite(db, row.campaignId, school, proposed, row.id);
  const diff = changedFields(before, values);
  return db.transaction(async (tx) => {
    const updated = await updateStaffRecord(tx, row.id, { version: row.version }, { ...fieldColumnsOf(values), findings: warnings, status: step.to, ...confirmedViaSet('accept_correction', step.to), updatedBy: context.actor.id, updatedAt: new Date() });
    if (!updated) throw staleVersion();
    await decideCorrection(tx, correction.id, { status: 'accepted', decidedBy: context.actor.id });
    await recordEvent(tx, { staffId: row.id, event: 'accept_correction', from: step.from, to: step.to, actorKind: 'school', actorId: context.actor.id, changes: diff });
    await recordAudit(tx, context, { action: 'staff.accept_correction', targetType: 'staff', targetId: row.id, unitCode: row.schoolCode, before: Object.fromEntries(Object.entries(diff).map(([k, v]) => [k, v.before])), after: Object.fromEntries(Object.entries(diff).map(([k, v]) => [k, v.after])) });
    return updated;
  });
}

/** 驳回更正: with a reason the person sees; the record waits for their confirmation again. */
export async function rejectCorrection(db: Database, context: ActorContext, correction: CorrectionRow, row: StaffRow, reason: string) {
  pending(correction);
  const step = transition(row.status, 'reject_correction', 'school', reason);
  if (!step.ok) throw transitionError(step, 'reject_correction');
  return db.transaction(async (tx) => {
    const updated = await updateStaffRecord(tx, row.id, { version: row.version }, { status: step.to, ...confirmedViaSet('reject_correction', step.to), updatedBy: context.actor.id, updatedAt: new Date() });
    if (!updated) throw staleVersion();
    await decideCorrection(tx, correction.id, { status: 'rejected', reason, decidedBy: context.actor.id });
    await recordEvent(tx, { staffId: row.id, event: 'reject_correction', from: step.from, to: step.to, actorKind: 'school', actorId: context.actor.id, reason });
    await recordAudit(tx, context, { action: 'staff.reject_correction', targetType: 'staff', targetId: row.id, unitCode: row.schoolCode, reason });
    return updated;
  });
}
