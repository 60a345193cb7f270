import { provinceReportingType } from '../../contract/units.ts';
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { unitContacts, units, workingGroupMembers, type ContactPerson } from '../db/schema.ts';
import type { UnitRow } from '../org/units.repository.ts';

export type { ContactPerson } from '../db/schema.ts';
export type UnitContactsRow = typeof unitContacts.$inferSelect;
export type WorkingGroupRow = typeof workingGroupMembers.$inferSelect;

export async function findContacts(executor: Executor, campaignId: number, unitCode: string): Promise<UnitContactsRow | null> {
  const [row] = await executor.select().from(unitContacts).where(and(eq(unitContacts.campaignId, campaignId), eq(unitContacts.unitCode, unitCode)));
  return row ?? null;
}

type ContactsValues = { department: string; leader: ContactPerson; head: ContactPerson; liaison: ContactPerson; reportedAt: Date; reportedBy: number | null };

/** The first report of a unit's contacts; nothing when a concurrent report came first. */
export async function insertContacts(tx: Executor, campaignId: number, unitCode: string, values: ContactsValues): Promise<UnitContactsRow | undefined> {
  const [saved] = await tx
    .insert(unitContacts)
    .values({ campaignId, unitCode, ...values })
    .onConflictDoNothing()
    .returning();
  return saved;
}

/** Replaces a report still at `existing.version`; nothing when it moved on meanwhile. */
export async function updateContacts(tx: Executor, existing: UnitContactsRow, values: ContactsValues & { updatedAt: Date }): Promise<UnitContactsRow | undefined> {
  const [saved] = await tx
    .update(unitContacts)
    .set({ department: values.department, leader: values.leader, head: values.head, liaison: values.liaison, reportedAt: values.reportedAt, reportedBy: values.reportedBy, version: existing.version + 1, updatedAt: values.updatedAt })
    .where(and(eq(unitContacts.id, existing.id), eq(unitContacts.version, existing.version)))
    .returning();
  return saved;
}

/** The units reporting their responsible persons to `parentCode` (prefectures, counties, universities), by code. */
export async function contactReportingChildren(executor: Executor, parentCode: string): Promise<UnitRow[]> {
  return executor
    .select()
    .from(units)
    .where(and(eq(units.parentCode, parentCode), or(inArray(units.kind, ['prefecture', 'county']), and(eq(units.kind, 'school'), eq(units.schoolType, provinceReportingType)))))
    .orderBy(asc(units.code));
}

export async function contactsOfUnits(executor: Executor, campaignId: number, unitCodes: string[]): Promise<UnitContactsRow[]> {
  return executor
    .select()
    .from(unitContacts)
    .where(and(eq(unitContacts.campaignId, campaignId), inArray(unitContacts.unitCode, unitCodes)));
}

export async function listWorkingGroup(executor: Executor, campaignId: number, unitCode: string): Promise<WorkingGroupRow[]> {
  return executor
    .select()
    .from(workingGroupMembers)
    .where(and(eq(workingGroupMembers.campaignId, campaignId), eq(workingGroupMembers.unitCode, unitCode)))
    .orderBy(asc(workingGroupMembers.sortOrder), asc(workingGroupMembers.id));
}

/** Serialises changes to one unit's working group until the transaction ends. */
export async function lockWorkingGroup(tx: Executor, campaignId: number, unitCode: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`working_group:${campaignId}:${unitCode}`}))`);
}

/** Replaces a unit's working group members with `members` (in their `sortOrder`). */
export async function replaceWorkingGroup(
  tx: Executor,
  campaignId: number,
  unitCode: string,
  members: Omit<typeof workingGroupMembers.$inferInsert, 'campaignId' | 'unitCode'>[],
) {
  await tx.delete(workingGroupMembers).where(and(eq(workingGroupMembers.campaignId, campaignId), eq(workingGroupMembers.unitCode, unitCode)));
  if (members.length) {
    await tx.insert(workingGroupMembers).values(members.map((member) => ({ campaignId, unitCode, ...member })));
  }
}

/** The province (the root of the tree). */
export async function findProvince(executor: Executor): Promise<UnitRow | undefined> {
  const [province] = await executor.select().from(units).where(eq(units.kind, 'province')).limit(1);
  return province;
}
