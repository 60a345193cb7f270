import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { accounts, storedFiles, taskCompletions, units } from '../db/schema.ts';

export type CompletionRow = typeof taskCompletions.$inferSelect;
type CompletionValues = typeof taskCompletions.$inferInsert;

/** A manual completion with who marked it, the unit that marked it on the unit's behalf and its attached file. */
export type Completion = CompletionRow & { doneByName: string | null; markedByName: string | null; fileName: string | null; fileSize: number | null };

/** Whether a unit has an admin account in use. */
export async function hasActiveAdmin(executor: Executor, unitCode: string): Promise<boolean> {
  const [admin] = await executor
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.unitCode, unitCode), eq(accounts.role, 'admin'), eq(accounts.disabled, false)))
    .limit(1);
  return admin !== undefined;
}

/** Manual completions of a campaign for some units (or all), keyed `unit/task`. */
export async function loadCompletions(executor: Executor, campaignId: number, unitCodes: string[] | null) {
  if (unitCodes && unitCodes.length === 0) return new Map<string, Completion>();
  const rows = await executor
    .select({
      completion: taskCompletions,
      doneByName: accounts.displayName,
      markedByName: sql<string | null>`(select u.name from units u where u.code = ${taskCompletions.markedByUnitCode})`,
      fileName: storedFiles.name,
      fileSize: storedFiles.size,
    })
    .from(taskCompletions)
    .leftJoin(accounts, eq(accounts.id, taskCompletions.doneBy))
    .leftJoin(storedFiles, eq(storedFiles.id, taskCompletions.fileId))
    .where(and(eq(taskCompletions.campaignId, campaignId), unitCodes ? inArray(taskCompletions.unitCode, unitCodes) : undefined));
  return new Map<string, Completion>(
    rows.map((row) => [
      `${row.completion.unitCode}/${row.completion.taskKey}`,
      { ...row.completion, doneByName: row.doneByName, markedByName: row.markedByName, fileName: row.fileName, fileSize: row.fileSize },
    ]),
  );
}

/** The units reporting to `unitCode`, in code order. */
export function childUnits(executor: Executor, unitCode: string) {
  return executor
    .select({ code: units.code, name: units.name, kind: units.kind, schoolType: units.schoolType })
    .from(units)
    .where(eq(units.parentCode, unitCode))
    .orderBy(units.code);
}

/** The open schools reporting to `unitCode`, in code order. */
export function openChildSchools(executor: Executor, unitCode: string) {
  return executor
    .select({ code: units.code, name: units.name, kind: units.kind, schoolType: units.schoolType, path: units.path })
    .from(units)
    .where(and(eq(units.parentCode, unitCode), eq(units.kind, 'school'), isNull(units.closedOn)))
    .orderBy(units.code);
}

/** Every unit with a parent, for the pass over late tasks. */
export function unitsWithParent(executor: Executor) {
  return executor
    .select({ code: units.code, name: units.name, kind: units.kind, schoolType: units.schoolType, parentCode: units.parentCode })
    .from(units)
    .where(isNotNull(units.parentCode));
}

/** A unit's completion of a task in a campaign, if it marked it. */
export async function findCompletion(executor: Executor, campaignId: number, unitCode: string, taskKey: string): Promise<CompletionRow | undefined> {
  const [row] = await executor
    .select()
    .from(taskCompletions)
    .where(and(eq(taskCompletions.campaignId, campaignId), eq(taskCompletions.unitCode, unitCode), eq(taskCompletions.taskKey, taskKey)))
    .limit(1);
  return row;
}

export async function insertCompletion(executor: Executor, values: CompletionValues): Promise<CompletionRow> {
  const [row] = await executor.insert(taskCompletions).values(values).returning();
  return row;
}

/** Removes a unit's completion of a task; the removed row, or undefined when there was none. */
export async function deleteCompletion(executor: Executor, campaignId: number, unitCode: string, taskKey: string): Promise<CompletionRow | undefined> {
  const [row] = await executor
    .delete(taskCompletions)
    .where(and(eq(taskCompletions.campaignId, campaignId), eq(taskCompletions.unitCode, unitCode), eq(taskCompletions.taskKey, taskKey)))
    .returning();
  return row;
}

export async function setCompletionFile(executor: Executor, completionId: number, fileId: number) {
  await executor.update(taskCompletions).set({ fileId }).where(eq(taskCompletions.id, completionId));
}
