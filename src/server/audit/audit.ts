import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import type { Actor } from '../policy/actor.ts';
import { insertAuditEvents } from './audit.repository.ts';

export type AuditEvent = {
  action: string;
  targetType: string;
  targetId?: string | number | null;
  unitCode?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
};

/** Who acted, as the log records it: an actor, or the account that has just proved who it is (a sign-in). */
export type AuditActor = Pick<Actor, 'id' | 'username'> & { unit: Pick<Actor['unit'], 'code'> };
export type AuditContext = { actor: AuditActor | null; ip?: string | null };

/** Writes audit events; call it inside the transaction of the change it records. */
export async function recordAudit(executor: Executor, context: AuditContext, events: AuditEvent | AuditEvent[]) {
  const list = Array.isArray(events) ? events : [events];
  if (list.length === 0) return;
  const rows = list.map((event) => ({
    actorId: context.actor?.id ?? null,
    actorUsername: context.actor?.username ?? null,
    actorUnitCode: context.actor?.unit.code ?? null,
    unitCode: event.unitCode ?? context.actor?.unit.code ?? null,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId == null ? null : String(event.targetId),
    before: event.before ?? null,
    after: event.after ?? null,
    reason: event.reason ?? null,
    ip: context.ip ?? null,
  }));
  for (let start = 0; start < rows.length; start += 1000) {
    await insertAuditEvents(executor, rows.slice(start, start + 1000));
  }
}

/** One audit event for every row of a set, each naming its target and values with SQL over `source`'s alias. */
export type AuditEventsFrom = { action: string; targetType: string; targetId: SQL; unitCode: string | null; before?: SQL; after?: SQL; reason: string | null };

/**
 * The `insert … select` of audit events for every row of `source` (a table or CTE with its alias): the bulk
 * form of `recordAudit`, for a set-based change to run in its own statement (an import writes its records
 * and their events in one).
 */
export function auditEventsFromSql(context: AuditContext, source: SQL, event: AuditEventsFrom): SQL {
  return sql`insert into audit_events (actor_id, actor_username, actor_unit_code, unit_code, action, target_type, target_id, before, after, reason, ip)
    select ${context.actor?.id ?? null}, ${context.actor?.username ?? null}, ${context.actor?.unit.code ?? null}, ${event.unitCode ?? context.actor?.unit.code ?? null},
      ${event.action}, ${event.targetType}, ${event.targetId}, ${event.before ?? sql`null`}, ${event.after ?? sql`null`}, ${event.reason}, ${context.ip ?? null}
    from ${source}`;
}
