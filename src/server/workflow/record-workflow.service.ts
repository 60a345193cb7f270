import type { Database, Executor } from '../db/client.ts';
import { staleVersion } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import { liveStaffStates, updateStaffRecord, updateStaffRecords, type StaffRow } from '../staff/staff.repository.ts';
import { endCodes, eventsOfRecord, insertBatch, insertEvents, recordEvent } from '../staff/record-steps.repository.ts';
import { confirmedViaSet, transitionError } from '../staff/record-steps.ts';
import { assertUnlocked } from '../staff/record-lock.ts';
import { currentCampaign } from '../campaign/campaign.service.ts';
import { transition, type RecordEvent, type RecordState } from '../../contract/record-states.ts';

type ActorContext = AuditContext & { actor: Actor };

/** A school's step on one record (send for confirmation, approve, return), with optimistic locking. */
export async function transitionRecord(db: Database, context: ActorContext, row: StaffRow, input: { event: RecordEvent; version: number; reason?: string | null }) {
  const result = transition(row.status, input.event, 'school', input.reason);
  if (!result.ok) throw transitionError(result, input.event);
  if (row.version !== input.version) throw staleVersion();
  await assertUnlocked(db, row.campaignId, row.schoolCode);
  return db.transaction(async (tx) => {
    const updated = await updateStaffRecord(tx, row.id, { version: input.version, status: result.from, live: true }, {
      status: result.to,
      ...confirmedViaSet(input.event, result.to),
      updatedBy: context.actor.id,
      updatedAt: new Date(),
    });
    if (!updated) throw staleVersion();
    // A paper confirmation of one record is a batch of one: every registration on paper is a batch.
    const batch = input.event === 'confirm_on_paper'
      ? await insertBatch(tx, { campaignId: row.campaignId, schoolCode: row.schoolCode, note: input.reason!.trim(), recordCount: 1, createdBy: context.actor.id })
      : null;
    await recordEvent(tx, { staffId: row.id, event: input.event, from: result.from, to: result.to, actorKind: 'school', actorId: context.actor.id, reason: input.reason, batchId: batch?.id });
    // A confirmation made on paper spends the slip's code: the phone page no longer opens the record.
    if (input.event === 'confirm_on_paper') await endCodes(tx, [row.id]);
    await recordAudit(tx, context, {
      action: `staff.${input.event}`,
      targetType: 'staff',
      targetId: row.id,
      unitCode: row.schoolCode,
      before: { status: result.from },
      after: { status: result.to, ...(batch ? { batchId: batch.id } : {}) },
      reason: input.reason ?? null,
    });
    return updated;
  });
}

export type BulkResult = { id: number; ok: boolean; error?: { code: string; message: string; messageEn: string } };

/**
 * The same step on many records of one school at once (批量审核/退回/登记纸质确认): one query finds which of
 * the ids the school holds and in which state; each id gets its own result, one bad id never fails the others.
 * A paper registration (confirm_on_paper) is one batch carrying its note and the number of records it confirmed.
 */
export async function bulkTransition(db: Database, context: ActorContext, schoolCode: string, input: { event: RecordEvent; ids: number[]; reason?: string | null }) {
  const ids = [...new Set(input.ids)];
  const campaign = await currentCampaign(db);
  if (campaign) await assertUnlocked(db, campaign.id, schoolCode);
  const rows = await liveStaffStates(db, schoolCode, ids);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const results = new Map<number, BulkResult>();
  const moves = new Map<string, { from: RecordState; to: RecordState; ids: number[] }>();
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) {
      results.set(id, { id, ok: false, error: { code: 'not_found', message: '记录不存在或不在本校', messageEn: 'No such record at this school' } });
      continue;
    }
    const result = transition(row.status, input.event, 'school', input.reason);
    if (!result.ok) {
      const error = transitionError(result, input.event);
      results.set(id, { id, ok: false, error: { code: error.code, message: error.messages.zh, messageEn: error.messages.en } });
      continue;
    }
    const key = `${result.from}>${result.to}`;
    const move = moves.get(key) ?? { from: result.from, to: result.to, ids: [] };
    move.ids.push(id);
    moves.set(key, move);
  }
  const batch = await db.transaction(async (tx) => {
    let created: { id: number; recordCount: number } | null = null;
    for (const move of moves.values()) {
      const done = await updateStaffRecords(tx, move.ids, { status: move.from, live: true }, {
        status: move.to,
        ...confirmedViaSet(input.event, move.to),
        updatedBy: context.actor.id,
        updatedAt: new Date(),
      });
      const moved = new Set(done.map((row) => row.id));
      for (const id of move.ids) {
        results.set(id, moved.has(id) ? { id, ok: true } : { id, ok: false, error: { code: 'stale_version', message: '记录刚被他人修改，请刷新', messageEn: 'The record just changed; reload' } });
      }
      if (input.event === 'confirm_on_paper' && done.length > 0) {
        await endCodes(tx, done.map((row) => row.id));
        const campaignId = byId.get(done[0].id)!.campaignId;
        created = await insertBatch(tx, { campaignId, schoolCode, note: input.reason!.trim(), recordCount: done.length, createdBy: context.actor.id });
      }
      const batchId = created?.id ?? null;
      const stepRows = done.map((row) => ({ staffId: row.id, event: input.event, fromState: move.from, toState: move.to, actorKind: 'school' as const, actorId: context.actor.id, reason: input.reason ?? null, batchId }));
      await insertEvents(tx, stepRows);
      await recordAudit(tx, context, done.map((row) => ({
        action: `staff.${input.event}`,
        targetType: 'staff',
        targetId: row.id,
        unitCode: schoolCode,
        before: { status: move.from },
        after: { status: move.to, ...(batchId ? { batchId } : {}) },
        reason: input.reason ?? null,
      })));
    }
    return created;
  });
  const ordered = ids.map((id) => results.get(id)!);
  return { done: ordered.filter((result) => result.ok).length, results: ordered, batch };
}

/** A record's history, oldest first; a step of a paper registration with its batch (number, note, size). */
export async function recordHistory(executor: Executor, staffId: number) {
  const rows = await eventsOfRecord(executor, staffId);
  return rows.map((row) => ({ ...row.event, batch: row.batch }));
}
