import { aliasedTable, and, asc, eq, ilike, inArray, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import type { SchoolType } from '../../standard/school-types.ts';
import type { Executor } from '../db/client.ts';
import {  units } from '../db/schema.ts';
import type { UnitKind, UnitRef } from '../../contract/unit-tree.ts';

export type UnitRow = typeof units.$inferSelect;

/** A unit as the API presents it in lists. */
export type UnitListItem = {
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
  schoolType: SchoolType | null;
  countyCode: string | null;
  countyName: string | null;
  reportingUnitCode: string | null;
  reportingUnitName: string | null;
  expectedStaff: number | null;
  counts: { schools: number; expectedStaff: number };
  hasChildren: boolean;
};

export type UnitFilters = { kind?: UnitKind; schoolType?: SchoolType; q?: string };
export type Page = { page: number; pageSize: number };

const county = aliasedTable(units, 'county');
const reporting = aliasedTable(units, 'reporting');

const kindOrder = sql<number>`case ${units.kind} when 'prefecture' then 1 when 'county' then 2 else 3 end`;

function nameOrCode(q: string | undefined): SQL | undefined {
  const text = q?.normalize('NFKC').trim();
  if (!text) return undefined;
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return or(ilike(units.name, `%${escaped}%`), like(units.code, `${escaped}%`));
}

export async function findUnit(executor: Executor, code: string): Promise<UnitRow | undefined> {
  const [row] = await executor.select().from(units).where(eq(units.code, code)).limit(1);
  return row;
}

export async function findUnits(executor: Executor, codes: string[]): Promise<UnitRow[]> {
  if (codes.length === 0) return [];
  return executor.select().from(units).where(inArray(units.code, codes));
}

/** The codes on a unit's path, province first. */
export function pathCodes(unit: { path: string }): string[] {
  return unit.path.split('.').filter(Boolean);
}

/** The chain of ancestors from the province down to (and including) the unit. */
export async function unitChain(executor: Executor, unit: UnitRow) {
  const rows = await findUnits(executor, pathCodes(unit));
  return rows
    .sort((a, b) => a.depth - b.depth)
    .map((row) => ({ code: row.code, name: row.name, kind: row.kind }));
}

/** Units and expected staff in a unit's subtree (itself excluded); a closed school counts in neither. */
export async function subtreeCounts(executor: Executor, unit: UnitRef) {
  const [row] = await executor
    .select({
      prefectures: sql<number>`count(*) filter (where ${units.kind} = 'prefecture')`.mapWith(Number),
      counties: sql<number>`count(*) filter (where ${units.kind} = 'county')`.mapWith(Number),
      schools: sql<number>`count(*) filter (where ${units.kind} = 'school' and ${units.closedOn} is null)`.mapWith(Number),
      expectedStaff: sql<number>`coalesce(sum(${units.expectedStaff}) filter (where ${units.closedOn} is null), 0)`.mapWith(Number),
    })
    .from(units)
    .where(and(like(units.path, `${unit.path}%`), sql`${units.code} <> ${unit.code}`));
  return row;
}

function listColumns() {
  return {
    code: units.code,
    name: units.name,
    kind: units.kind,
    parentCode: units.parentCode,
    path: units.path,
    depth: units.depth,
    schoolType: units.schoolType,
    countyCode: units.countyCode,
    countyName: county.name,
    reportingUnitName: reporting.name,
    expectedStaff: units.expectedStaff,
  };
}

type ListRow = {
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
  path: string;
  depth: number;
  schoolType: SchoolType | null;
  countyCode: string | null;
  countyName: string | null;
  reportingUnitName: string | null;
  expectedStaff: number | null;
};

function selectList(executor: Executor, where: SQL | undefined, page: Page, order: SQL[]): Promise<ListRow[]> {
  return executor
    .select(listColumns())
    .from(units)
    .leftJoin(county, eq(county.code, units.countyCode))
    .leftJoin(reporting, eq(reporting.code, units.parentCode))
    .where(where)
    .orderBy(...order)
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize);
}

async function countWhere(executor: Executor, where: SQL | undefined): Promise<number> {
  const [row] = await executor
    .select({ total: sql<number>`count(*)`.mapWith(Number) })
    .from(units)
    .where(where);
  return row.total;
}

/** Schools and expected staff below each of `rows`, in one grouped query over the parent's subtree. */
async function childAggregates(executor: Executor, parent: UnitRef & { depth: number }, rows: ListRow[]) {
  const nonSchools = rows.filter((row) => row.kind !== 'school');
  const result = new Map<string, { schools: number; expectedStaff: number }>();
  if (nonSchools.length === 0) return result;
  // The position is inlined (an integer we computed), so the select and GROUP BY hold the same expression.
  const childCode = sql<string>`split_part(${units.path}, '.', ${sql.raw(String(Math.trunc(parent.depth) + 2))})`;
  const aggregates = await executor
    .select({
      child: childCode,
      schools: sql<number>`count(*)`.mapWith(Number),
      expectedStaff: sql<number>`coalesce(sum(${units.expectedStaff}), 0)`.mapWith(Number),
    })
    .from(units)
    .where(
      and(
        eq(units.kind, 'school'),
        isNull(units.closedOn),
        like(units.path, `${parent.path}%`),
        inArray(
          childCode,
          nonSchools.map((row) => row.code),
        ),
      ),
    )
    .groupBy(childCode);
  for (const aggregate of aggregates) result.set(aggregate.child, aggregate);
  return result;
}

function present(row: ListRow, aggregates: Map<string, { schools: number; expectedStaff: number }>): UnitListItem {
  const isSchool = row.kind === 'school';
  return {
    code: row.code,
    name: row.name,
    kind: row.kind,
    parentCode: row.parentCode,
    schoolType: row.schoolType,
    countyCode: row.countyCode,
    countyName: row.countyName,
    reportingUnitCode: isSchool ? row.parentCode : null,
    reportingUnitName: isSchool ? row.reportingUnitName : null,
    expectedStaff: row.expectedStaff,
    counts: isSchool
      ? { schools: 1, expectedStaff: row.expectedStaff ?? 0 }
      : (aggregates.get(row.code) ?? { schools: 0, expectedStaff: 0 }),
    hasChildren: !isSchool,
  };
}

/** The direct children of a unit (prefectures and universities under the province, and so on), paged. */
export async function listChildren(
  executor: Executor,
  parent: UnitRef & { depth: number },
  filters: UnitFilters,
  page: Page,
): Promise<{ items: UnitListItem[]; total: number }> {
  const where = and(
    eq(units.parentCode, parent.code),
    filters.kind ? eq(units.kind, filters.kind) : undefined,
    filters.schoolType ? eq(units.schoolType, filters.schoolType) : undefined,
    nameOrCode(filters.q),
  );
  const [rows, total] = await Promise.all([
    selectList(executor, where, page, [asc(kindOrder), asc(units.code)]),
    countWhere(executor, where),
  ]);
  const aggregates = await childAggregates(executor, parent, rows);
  return { items: rows.map((row) => present(row, aggregates)), total };
}

/** Every school in a unit's subtree, searchable by name or code, paged. */
export async function listSchoolsWithin(
  executor: Executor,
  ancestor: UnitRef,
  filters: Omit<UnitFilters, 'kind'>,
  page: Page,
): Promise<{ items: UnitListItem[]; total: number }> {
  const where = and(
    eq(units.kind, 'school'),
    like(units.path, `${ancestor.path}%`),
    filters.schoolType ? eq(units.schoolType, filters.schoolType) : undefined,
    nameOrCode(filters.q),
  );
  const [rows, total] = await Promise.all([
    selectList(executor, where, page, [asc(units.code)]),
    countWhere(executor, where),
  ]);
  return { items: rows.map((row) => present(row, new Map())), total };
}

export type UnitInsert = typeof units.$inferInsert;
/** The columns an edit of a unit sets; the version always goes up by one. */
export type UnitChange = Partial<Omit<UnitInsert, 'code' | 'version'>>;

/** Adds a unit; undefined when its code is taken. */
export async function insertUnitIfNew(executor: Executor, values: UnitInsert): Promise<UnitRow | undefined> {
  const [row] = await executor.insert(units).values(values).onConflictDoNothing({ target: units.code }).returning();
  return row;
}

export async function insertUnit(executor: Executor, values: UnitInsert) {
  await executor.insert(units).values(values);
}

/** Edits a unit; undefined when the version read is no longer current or (with `open`) the unit is closed. */
export async function updateUnit(executor: Executor, code: string, guard: { version?: number; open?: boolean }, change: UnitChange): Promise<UnitRow | undefined> {
  const [row] = await executor
    .update(units)
    .set({ ...change, version: sql`${units.version} + 1` })
    .where(and(eq(units.code, code), guard.version === undefined ? undefined : eq(units.version, guard.version), guard.open ? isNull(units.closedOn) : undefined))
    .returning();
  return row;
}

const excluded = (column: string) => sql.raw(`excluded.${column}`);

/** Adds schools, or rewrites a school whose code exists (its name, type, county, expected staff and place). */
export async function upsertSchoolUnits(executor: Executor, rows: UnitInsert[]) {
  await executor
    .insert(units)
    .values(rows)
    .onConflictDoUpdate({
      target: units.code,
      set: {
        name: excluded('name'),
        schoolType: excluded('school_type'),
        countyCode: excluded('county_code'),
        expectedStaff: excluded('expected_staff'),
        parentCode: excluded('parent_code'),
        path: excluded('path'),
        depth: excluded('depth'),
      },
    });
}
