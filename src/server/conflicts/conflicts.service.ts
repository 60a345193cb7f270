import { aliasedTable, and, desc, eq, isNull, like, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.ts';
import { idConflicts, staff, units } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import { recordEvent } from '../workflow/record-workflow.service.ts';
import { assertUnlocked } from '../packages/readiness.ts';

type ActorContext = AuditContext & { actor: Actor };
export type ConflictRow = typeof idConflicts.$inferSelect;

const holder = aliasedTable(units, 'holder');
const claimant = aliasedTable(units, 'claimant');

/** Conflicts touching a unit's subtree (either school inside it), newest first. */
export async function listConflicts(executor: Executor, within: { path: string }, status?: string) {
  return executor
    .select({ conflict: idConflicts, holderName: holder.name, holderPath: holder.path, claimantName: claimant.name, claimantPath: claimant.path })
    .from(idConflicts)
    .innerJoin(holder, eq(holder.code, idConflicts.holderSchoolCode))
    .innerJoin(claimant, eq(claimant.code, idConflicts.claimantSchoolCode))
    .where(and(or(like(holder.path, `${within.path}%`), like(claimant.path, `${within.path}%`)), status ? eq(idConflicts.status, status) : undefined))
    .orderBy(desc(idConflicts.id))
    .limit(500);
}

export async function findConflict(executor: Executor, id: number) {
  const [row] = await executor
    .select({ conflict: idConflicts, holderPath: holder.path, claimantPath: claimant.path })
    .from(idConflicts)
    .innerJoin(holder, eq(holder.code, idConflicts.holderSchoolCode))
    .innerJoin(claimant, eq(claimant.code, idConflicts.claimantSchoolCode))
    .where(eq(idConflicts.id, id))
    .limit(1);
  return row;
}

/** Open conflicts a school is part of: its package cannot be submitted while one remains. */
export async function openConflictCount(executor: Executor, campaignId: number, schoolCode: string) {
  const [row] = await executor
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(idConflicts)
    .where(and(eq(idConflicts.campaignId, campaignId), eq(idConflicts.status, 'open'), or(eq(idConflicts.holderSchoolCode, schoolCode), eq(idConflicts.claimantSchoolCode, schoolCode))));
  return row.n;
}

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
    const [released] = await tx
      .update(staff)
      .set({ deletedAt: new Date(), deletedBy: context.actor.id, version: sql`${staff.version} + 1` })
      .where(and(eq(staff.id, conflict.holderStaffId), isNull(staff.deletedAt)))
      .returning();
    if (released) {
      await recordEvent(tx, { staffId: released.id, event: 'edit', from: released.status, to: released.status, actorKind: 'school', actorId: context.actor.id, reason: `调出至 ${conflict.claimantSchoolCode}：${note}` });
    }
    await tx.update(idConflicts).set({ status: 'resolved', resolution: 'transfer', note, resolvedBy: context.actor.id, resolvedAt: new Date() }).where(eq(idConflicts.id, conflict.id));
    await recordAudit(tx, context, { action: 'conflict.transfer', targetType: 'conflict', targetId: conflict.id, unitCode: conflict.holderSchoolCode, reason: note, after: { staffId: conflict.holderStaffId, to: conflict.claimantSchoolCode } });
  });
}

/** 更正: the claiming school withdraws a wrong claim (a mistyped ID number, a person who is not theirs). */
export async function withdrawClaim(db: Database, context: ActorContext, conflict: ConflictRow, note: string) {
  requireOpen(conflict);
  await db.transaction(async (tx) => {
    await tx.update(idConflicts).set({ status: 'resolved', resolution: 'correction', note, resolvedBy: context.actor.id, resolvedAt: new Date() }).where(eq(idConflicts.id, conflict.id));
    await recordAudit(tx, context, { action: 'conflict.correction', targetType: 'conflict', targetId: conflict.id, unitCode: conflict.claimantSchoolCode, reason: note });
  });
}
