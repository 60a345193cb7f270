import { and, desc, eq, gte, inArray, isNull, like, lt, or, type SQL } from 'drizzle-orm';
import { idBearingFields, maskFieldValue, maskIdNumbersIn, maskPersonalText } from '../../standard/index.ts';
import { maskPhone } from '../../standard/masking.ts';
import type { Executor } from '../db/client.ts';
import { auditEvents, units } from '../db/schema.ts';

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

/** The start of a Beijing calendar day (UTC+8, no daylight saving). */
export const beijingDayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);
const nextDay = (day: string) => new Date(beijingDayStart(day).getTime() + 86_400_000);

const mobilePattern = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const changeSides = new Set(['before', 'after', 'value']);

/**
 * Masks personal numbers in an audit event's details as their own fields are masked: the value of an
 * ID-bearing field (under its key, or the sides of a change that names it: `{ field: 'birthDate', before,
 * after }`), and ID and mobile numbers inside any other text. The details of an event about a person
 * (`aboutPerson`: a staff record) have every date in their text given to the month too, since it may be the
 * birth date.
 */
export function maskPersonalData(value: unknown, aboutPerson = false, field?: string): unknown {
  if (typeof value === 'string') {
    if (field) return maskFieldValue(field, value);
    return (aboutPerson ? maskPersonalText(value) : maskIdNumbersIn(value)).replace(mobilePattern, (mobile) => maskPhone(mobile));
  }
  if (Array.isArray(value)) return value.map((inner) => maskPersonalData(inner, aboutPerson, field));
  if (value && typeof value === 'object') {
    const named = (value as { field?: unknown }).field;
    const changed = typeof named === 'string' && idBearingFields.has(named) ? named : field;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, maskPersonalData(inner, aboutPerson, idBearingFields.has(key) ? key : changeSides.has(key) ? changed : undefined)]),
    );
  }
  return value;
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
