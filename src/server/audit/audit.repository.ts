import { and, desc, eq, gte, inArray, isNull, like, lt, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { auditEvents, units } from '../db/schema.ts';
import { beijingDayStart, nextDay } from './audit-log.ts';

export type AuditFilters = {
  /** An action (`staff.approve`) or a family of them (`staff.`). */
  action?: string;
  /** The username of the person who acted. */
  actor?: string;
  /** Beijing dates, inclusive. */
  from?: string;
  to?: string;
};

export type AuditRow = typeof auditEvents.$inferSelect & { unitName: string | null };

/** Appends audit events (the rows as `recordAudit` builds them). */
export async function insertAuditEvents(executor: Executor, rows: (typeof auditEvents.$inferInsert)[]) {
  await executor.insert(auditEvents).values(rows);
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The audit events about a subtree (the unit at `path` and everything under it), newest first, a page at a
 * time by cursor (`before`: the last id seen). Events about no unit (a failed login, the system) belong to the
 * province only.
 */
export async function listAuditEvents(
  executor: Executor,
  scope: { path: string; isProvince: boolean },
  filters: AuditFilters,
  page: { before?: number; limit: number },
): Promise<AuditRow[]> {
  const inSubtree = inArray(auditEvents.unitCode, executor.select({ code: units.code }).from(units).where(like(units.path, `${scope.path}%`)));
  const conditions: SQL[] = [scope.isProvince ? or(inSubtree, isNull(auditEvents.unitCode))! : inSubtree];
  if (filters.action) conditions.push(filters.action.endsWith('.') ? like(auditEvents.action, `${escapeLike(filters.action)}%`) : eq(auditEvents.action, filters.action));
  if (filters.actor) conditions.push(eq(auditEvents.actorUsername, filters.actor));
  if (filters.from) conditions.push(gte(auditEvents.at, beijingDayStart(filters.from)));
  if (filters.to) conditions.push(lt(auditEvents.at, nextDay(filters.to)));
  if (page.before) conditions.push(lt(auditEvents.id, page.before));
  const rows = await executor
    .select({ event: auditEvents, unitName: units.name })
    .from(auditEvents)
    .leftJoin(units, eq(units.code, auditEvents.unitCode))
    .where(and(...conditions))
    .orderBy(desc(auditEvents.id))
    .limit(page.limit);
  return rows.map((row) => ({ ...row.event, unitName: row.unitName }));
}
