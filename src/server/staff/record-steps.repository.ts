import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { confirmationBatches, confirmationCodes, staffEvents } from '../db/schema.ts';
import type { RecordEvent, RecordState } from '../../contract/record-states.ts';

export type StaffEventRow = typeof staffEvents.$inferInsert;

/** Writes steps of records' histories, a thousand rows a statement. */
export async function insertEvents(executor: Executor, rows: StaffEventRow[]) {
  for (let start = 0; start < rows.length; start += 1000) await executor.insert(staffEvents).values(rows.slice(start, start + 1000));
}

/** One history step for every row of `source` (SQL: a table or CTE with its alias), set-based. */
export type EventsFrom = {
  staffId: SQL;
  event: string;
  from: SQL | null;
  to: SQL;
  actorKind: 'school' | 'staff_member' | 'system';
  actorId: number | null;
  reason: string | null;
  changes?: SQL;
};

/**
 * The `insert … select` of `EventsFrom`, for a bulk write to run inside its own statement (an import writes
 * its records, their history and their audit events in one).
 */
export function eventsFromSql(source: SQL, step: EventsFrom): SQL {
  return sql`insert into staff_events (staff_id, event, from_state, to_state, actor_kind, actor_id, reason, changes)
    select ${step.staffId}, ${step.event}, ${step.from ?? sql`null`}, ${step.to}, ${step.actorKind}, ${step.actorId}, ${step.reason}, ${step.changes ?? sql`null`}
    from ${source}`;
}

/** Runs `eventsFromSql` on its own. */
export async function insertEventsFrom(executor: Executor, source: SQL, step: EventsFrom) {
  await executor.execute(eventsFromSql(source, step));
}

/**
 * 纸质确认批次: one registration of signed paper slips by a school (of one record or many), with its note.
 * Every event of the registration carries the batch's id, so the history shows it as one batch.
 */
export async function insertBatch(executor: Executor, input: { campaignId: number; schoolCode: string; note: string; recordCount: number; createdBy: number }) {
  const [batch] = await executor.insert(confirmationBatches).values(input).returning({ id: confirmationBatches.id, recordCount: confirmationBatches.recordCount });
  return batch;
}

/** A record's history steps, oldest first, each with its paper batch if it has one. */
export async function eventsOfRecord(executor: Executor, staffId: number) {
  return executor
    .select({
      event: staffEvents,
      batch: { id: confirmationBatches.id, note: confirmationBatches.note, recordCount: confirmationBatches.recordCount, createdAt: confirmationBatches.createdAt },
    })
    .from(staffEvents)
    .leftJoin(confirmationBatches, eq(confirmationBatches.id, staffEvents.batchId))
    .where(eq(staffEvents.staffId, staffId))
    .orderBy(asc(staffEvents.id));
}

/**
 * A step that leaves each record in the state it is in (a school merge moves them), for many records in one
 * statement; `changes` is the same for every record.
 */
export async function insertStepsInPlace(executor: Executor, staffIds: number[], step: { event: string; actorKind: EventsFrom['actorKind']; actorId: number | null; reason: string | null; changes: unknown }) {
  if (staffIds.length === 0) return;
  await insertEventsFrom(executor, sql`staff s where s.id in (${sql.join(staffIds.map((id) => sql`${id}`), sql`, `)})`, {
    ...step,
    staffId: sql`s.id`,
    from: sql`s.status`,
    to: sql`s.status`,
    changes: sql`${JSON.stringify(step.changes)}::jsonb`,
  });
}

/** Writes a step of a record's history (call it in the transaction of the step). */
export async function recordEvent(
  executor: Executor,
  step: { staffId: number; event: RecordEvent | 'create'; from: RecordState | null; to: RecordState; actorKind: 'school' | 'staff_member' | 'system'; actorId: number | null; reason?: string | null; changes?: unknown; batchId?: number | null },
) {
  await insertEvents(executor, [{
    staffId: step.staffId,
    event: step.event,
    fromState: step.from,
    toState: step.to,
    actorKind: step.actorKind,
    actorId: step.actorId,
    reason: step.reason ?? null,
    changes: step.changes ?? null,
    batchId: step.batchId ?? null,
  }]);
}

/** Ends the unused codes of these records (a new code, or a confirmation on paper, spends them). */
export async function endCodes(executor: Executor, staffIds: number[]) {
  if (staffIds.length === 0) return;
  await executor.update(confirmationCodes).set({ usedAt: new Date(), sessionHash: null }).where(and(inArray(confirmationCodes.staffId, staffIds), isNull(confirmationCodes.usedAt)));
}
