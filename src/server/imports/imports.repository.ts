import type { SchoolType } from '../../standard/school-types.ts';
import type { IssueSeverity, RowAction } from '../../contract/imports.schema.ts';
import { schoolTypeOf } from '../../contract/unit-tree.ts';
import { and, asc, desc, eq, inArray, isNull, like, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { importIssues, importRows, imports, staff, units } from '../db/schema.ts';
import type { Page } from '../org/units.repository.ts';

export type ImportRow = typeof imports.$inferSelect;
export type ImportCounts = { new: number; changed: number; unchanged: number; invalid: number; conflicts: number };

/** An import with its school's place in the tree (for scope checks) and its type. */
export async function findImport(executor: Executor, id: number) {
  const [row] = await executor
    .select({ record: imports, school: { code: units.code, name: units.name, path: units.path, schoolType: units.schoolType } })
    .from(imports)
    .innerJoin(units, eq(units.code, imports.schoolCode))
    .where(eq(imports.id, id))
    .limit(1);
  return row && { record: row.record, school: { ...row.school, schoolType: schoolTypeOf(row.school) } };
}

/** The live staff of a campaign holding any of these ID numbers, with their school and county names. */
export async function staffByIdNumbers(executor: Executor, campaignId: number, idNumbers: string[]) {
  if (idNumbers.length === 0) return [];
  const county = sql<string | null>`(select c.name from units c where c.code = ${units.countyCode})`;
  return executor
    .select({ record: staff, schoolName: units.name, countyName: county })
    .from(staff)
    .innerJoin(units, eq(units.code, staff.schoolCode))
    .where(and(eq(staff.campaignId, campaignId), inArray(staff.idNumber, idNumbers), isNull(staff.deletedAt)));
}

/** Live staff by surrogate id (the template's row keys). */
export async function staffByIds(executor: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return executor.select().from(staff).where(and(inArray(staff.id, ids), isNull(staff.deletedAt)));
}

export type StagedRow = typeof importRows.$inferInsert;
export type StagedIssue = typeof importIssues.$inferInsert;

/** Stages rows with one JSON parameter per batch (jsonb_populate_recordset: one serialisation, one statement). */
export async function stageRows(executor: Executor, rows: StagedRow[]) {
  if (rows.length === 0) return;
  const json = JSON.stringify(
    rows.map((row) => ({
      import_id: row.importId,
      row: row.row,
      action: row.action,
      staff_id: row.staffId ?? null,
      staff_version: row.staffVersion ?? null,
      values: row.values ?? null,
      changes: row.changes ?? null,
      warnings: row.warnings ?? null,
    })),
  );
  await executor.execute(sql`
    insert into import_rows (import_id, row, action, staff_id, staff_version, values, changes, warnings)
    select import_id, row, action, staff_id, staff_version, values, changes, warnings
    from jsonb_populate_recordset(null::import_rows, ${json}::jsonb)`);
}

export async function stageIssues(executor: Executor, issues: StagedIssue[]) {
  for (let start = 0; start < issues.length; start += 2000) await executor.insert(importIssues).values(issues.slice(start, start + 2000));
}

export type IssueFilters = { field?: string; code?: string; severity?: IssueSeverity };

export async function listIssues(executor: Executor, importId: number, filters: IssueFilters, page: Page) {
  const where = and(
    eq(importIssues.importId, importId),
    filters.field ? eq(importIssues.field, filters.field) : undefined,
    filters.code ? eq(importIssues.code, filters.code) : undefined,
    filters.severity ? eq(importIssues.severity, filters.severity) : undefined,
  );
  const [items, [{ total }]] = await Promise.all([
    executor.select().from(importIssues).where(where).orderBy(asc(importIssues.seq)).limit(page.pageSize).offset((page.page - 1) * page.pageSize),
    executor.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(importIssues).where(where),
  ]);
  return { items, total };
}

/** Every issue of an import, in row order (for the annotated workbook). */
export async function allIssues(executor: Executor, importId: number) {
  return executor.select().from(importIssues).where(eq(importIssues.importId, importId)).orderBy(asc(importIssues.seq));
}

export async function listRows(executor: Executor, importId: number, action: RowAction | undefined, page: Page) {
  const where = and(eq(importRows.importId, importId), action ? eq(importRows.action, action) : undefined);
  const [items, [{ total }]] = await Promise.all([
    executor.select().from(importRows).where(where).orderBy(asc(importRows.row)).limit(page.pageSize).offset((page.page - 1) * page.pageSize),
    executor.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(importRows).where(where),
  ]);
  return { items, total };
}

/** The action of every staged row, by row number (for the status column of the annotated workbook). */
export async function rowActions(executor: Executor, importId: number) {
  const rows = await executor.select({ row: importRows.row, action: importRows.action }).from(importRows).where(eq(importRows.importId, importId));
  return new Map(rows.map((row) => [row.row, row.action]));
}

export async function listSchoolImports(executor: Executor, schoolCode: string, page: Page, uploadToken?: string) {
  const where = and(eq(imports.schoolCode, schoolCode), uploadToken ? eq(imports.uploadToken, uploadToken) : undefined);
  const [items, [{ total }]] = await Promise.all([
    executor.select().from(imports).where(where).orderBy(desc(imports.id)).limit(page.pageSize).offset((page.page - 1) * page.pageSize),
    executor.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(imports).where(where),
  ]);
  return { items, total };
}

export async function insertImport(executor: Executor, values: typeof imports.$inferInsert) {
  const [created] = await executor.insert(imports).values(values).returning({ id: imports.id });
  return created;
}

export async function updateImport(executor: Executor, id: number, change: Partial<Omit<typeof imports.$inferInsert, 'id'>>) {
  await executor.update(imports).set(change).where(eq(imports.id, id));
}

export async function deleteStagedRows(executor: Executor, importId: number) {
  await executor.delete(importRows).where(eq(importRows.importId, importId));
}

/** Marks a previewed import committed; false when it is not previewed any more (a second commit lost the race). */
export async function claimImport(executor: Executor, id: number, committedBy: number) {
  const claimed = await executor
    .update(imports)
    .set({ status: 'committed', committedBy, committedAt: new Date() })
    .where(and(eq(imports.id, id), eq(imports.status, 'previewed')))
    .returning({ id: imports.id });
  return claimed.length > 0;
}

/** The codes and names of a subtree's schools of one type, by code. */
export async function schoolsOfTypeWithin(executor: Executor, path: string, schoolType: SchoolType) {
  return executor
    .select({ code: units.code, name: units.name })
    .from(units)
    .where(and(eq(units.kind, 'school'), like(units.path, `${path}%`), eq(units.schoolType, schoolType)))
    .orderBy(asc(units.code));
}

/** The live records of some schools, by school and id. */
export async function liveStaffOfSchools(executor: Executor, schoolCodes: string[]) {
  return executor
    .select()
    .from(staff)
    .where(and(inArray(staff.schoolCode, schoolCodes), isNull(staff.deletedAt)))
    .orderBy(asc(staff.schoolCode), asc(staff.id));
}

export async function countStaffWithin(executor: Executor, path: string) {
  const [row] = await executor
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(staff)
    .innerJoin(units, eq(units.code, staff.schoolCode))
    .where(and(like(units.path, `${path}%`), isNull(staff.deletedAt)));
  return row.n;
}
