import { and, asc, eq, sql } from 'drizzle-orm';
import type { SchoolType } from '../../standard/school-types.ts';
import type { FieldKey } from '../../standard/types.ts';
import type { Database, Executor } from '../db/client.ts';
import { correctionRequests, staff } from '../db/schema.ts';
import { DomainError, staleVersion } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import { fieldColumnsOf, valuesOf, type StaffRow } from '../staff/staff.repository.ts';
import { changedFields, checkForWrite } from '../staff/staff.service.ts';
import { transition } from '../../contract/record-states.ts';
import { confirmedViaSet, recordEvent, transitionError } from '../workflow/record-workflow.service.ts';
import { assertUnlocked } from '../packages/readiness.ts';

type ActorContext = AuditContext & { actor: Actor };
export type CorrectionRow = typeof correctionRequests.$inferSelect;
type CorrectionField = { field: FieldKey; label: string; before: string | null; after: string | null; note: string | null };

export async function findCorrection(executor: Executor, id: number) {
  const [row] = await executor.select().from(correctionRequests).where(eq(correctionRequests.id, id)).limit(1);
  return row;
}

export async function listCorrections(executor: Executor, staffId: number) {
  return executor.select().from(correctionRequests).where(eq(correctionRequests.staffId, staffId)).orderBy(asc(correctionRequests.id));
}

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
    const [updated] = await tx
      .update(staff)
      .set({ ...fieldColumnsOf(values), findings: warnings, status: step.to, ...confirmedViaSet('accept_correction', step.to), version: sql`${staff.version} + 1`, updatedBy: context.actor.id, updatedAt: new Date() })
      .where(and(eq(staff.id, row.id), eq(staff.version, row.version)))
      .returning();
    if (!updated) throw staleVersion();
    await tx.update(correctionRequests).set({ status: 'accepted', decidedBy: context.actor.id, decidedAt: new Date() }).where(eq(correctionRequests.id, correction.id));
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
    const [updated] = await tx
      .update(staff)
      .set({ status: step.to, ...confirmedViaSet('reject_correction', step.to), version: sql`${staff.version} + 1`, updatedBy: context.actor.id, updatedAt: new Date() })
      .where(and(eq(staff.id, row.id), eq(staff.version, row.version)))
      .returning();
    if (!updated) throw staleVersion();
    await tx.update(correctionRequests).set({ status: 'rejected', reason, decidedBy: context.actor.id, decidedAt: new Date() }).where(eq(correctionRequests.id, correction.id));
    await recordEvent(tx, { staffId: row.id, event: 'reject_correction', from: step.from, to: step.to, actorKind: 'school', actorId: context.actor.id, reason });
    await recordAudit(tx, context, { action: 'staff.reject_correction', targetType: 'staff', targetId: row.id, unitCode: row.schoolCode, reason });
    return updated;
  });
}
