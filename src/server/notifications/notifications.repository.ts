import { provinceReportingType } from '../../contract/units.ts';
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { resultRows, type Executor } from '../db/client.ts';
import { notifications } from '../db/schema.ts';
import type { PlanLevel } from '../../standard/campaign.ts';
import type { NotificationKind } from '../../contract/notifications.schema.ts';

export type NotificationValues = { unitCode: string; kind: NotificationKind; title: string; body: string | null; link: string | null };

export async function insertNotifications(executor: Executor, values: NotificationValues[]) {
  await executor.insert(notifications).values(values);
}

/** 公告: tells every unit below `unit` (not the unit itself) of an announcement. */
export async function insertAnnouncementNotices(executor: Executor, unit: { code: string; path: string }, title: string) {
  await executor.execute(sql`
      insert into notifications (unit_code, kind, title, link)
      select code, 'announcement', ${title}, '/resources' from units where path like ${`${unit.path}%`} and code <> ${unit.code}`);
}

/** `unitCode/title` of each notification of `kind` the units were sent already. */
export async function notifiedTitles(executor: Executor, kind: NotificationKind, unitCodes: string[]): Promise<Set<string>> {
  const rows = await executor
    .select({ unitCode: notifications.unitCode, title: notifications.title })
    .from(notifications)
    .where(and(eq(notifications.kind, kind), inArray(notifications.unitCode, unitCodes)));
  return new Set(rows.map((row) => `${row.unitCode}/${row.title}`));
}

export async function listNotifications(executor: Executor, unitCode: string, limit = 50) {
  const [items, [{ unread }]] = await Promise.all([
    executor.select().from(notifications).where(eq(notifications.unitCode, unitCode)).orderBy(desc(notifications.id)).limit(limit),
    executor.select({ unread: sql<number>`count(*)`.mapWith(Number) }).from(notifications).where(and(eq(notifications.unitCode, unitCode), isNull(notifications.readAt))),
  ]);
  return { items, unread };
}

export async function markRead(executor: Executor, unitCode: string, id?: number) {
  await executor
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.unitCode, unitCode), isNull(notifications.readAt), id === undefined ? undefined : eq(notifications.id, id)));
}

/** Which units carry each level's tasks of the plan. */
const levelUnits: Record<PlanLevel, SQL> = {
  province: sql`u.kind = 'province'`,
  prefecture: sql`u.kind = 'prefecture'`,
  county: sql`u.kind = 'county'`,
  higher_ed: sql`u.kind = 'school' and u.school_type = ${provinceReportingType}`,
  school: sql`u.kind = 'school' and u.school_type <> ${provinceReportingType}`,
};

/**
 * Writes `title` as a `deadline_soon` notice to each unit of the level that has no package in the campaign and
 * has not had this notice yet; answers how many it wrote.
 */
export async function insertDeadlineSoon(executor: Executor, level: PlanLevel, campaignId: number, title: string): Promise<number> {
  const result = await executor.execute(sql`
      insert into notifications (unit_code, kind, title, link)
      select u.code, 'deadline_soon', ${title}, '/units/' || u.code || '/submission'
      from units u
      where ${levelUnits[level]}
        and not exists (select 1 from packages p where p.unit_code = u.code and p.campaign_id = ${campaignId})
        and not exists (select 1 from notifications n where n.unit_code = u.code and n.kind = 'deadline_soon' and n.title = ${title})
      returning 1`);
  return resultRows(result).length;
}
