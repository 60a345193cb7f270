import type { RecordState } from '../../contract/record-states.ts';
import { schoolTypeOf } from '../../contract/unit-tree.ts';
import { and, asc, eq, ilike, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { checkIdNumber } from '../../standard/index.ts';
import { fieldKeys, type FieldKey, type StaffValues } from '../../standard/types.ts';
import { recordOf } from '../../standard/record-of.ts';
import type { Executor } from '../db/client.ts';
import { staff, units } from '../db/schema.ts';
import type { Page } from '../org/units.repository.ts';

export type StaffRow = typeof staff.$inferSelect;

/** The standard's values of a row, in field order. */
export function valuesOf(row: StaffRow): StaffValues {
  return recordOf(fieldKeys, (key) => row[key]);
}

/** A live (not deleted) record with its school's place in the tree and its type. */
export async function findStaff(executor: Executor, id: number) {
  const [row] = await executor
    .select({ record: staff, school: { code: units.code, name: units.name, path: units.path, schoolType: units.schoolType } })
    .from(staff)
    .innerJoin(units, eq(units.code, staff.schoolCode))
    .where(and(eq(staff.id, id), isNull(staff.deletedAt)))
    .limit(1);
  return row && { record: row.record, school: { ...row.school, schoolType: schoolTypeOf(row.school) } };
}

/** The live record holding an ID number in a campaign, with its school and county names (rule 12). */
export async function findByIdNumber(executor: Executor, campaignId: number, idNumber: string, exceptId?: number) {
  const county = sql<string | null>`(select c.name from units c where c.code = ${units.countyCode})`;
  const [row] = await executor
    .select({ id: staff.id, schoolCode: staff.schoolCode, schoolName: units.name, countyName: county })
    .from(staff)
    .innerJoin(units, eq(units.code, staff.schoolCode))
    .where(
      and(
        eq(staff.campaignId, campaignId),
        eq(staff.idNumber, idNumber),
        isNull(staff.deletedAt),
        exceptId === undefined ? undefined : ne(staff.id, exceptId),
      ),
    )
    .limit(1);
  return row;
}

export type StaffFilters = {
  status?: RecordState;
  hasFindings?: boolean;
  q?: string;
  /**
   * How digits in `q` find an ID number: only as the whole number (`whole`, the default: a reader who sees
   * masked numbers must not learn the hidden digits by searching), or by its start (`prefix`, for readers who
   * see full numbers).
   */
  idSearch?: 'prefix' | 'whole';
  /** Records with a correction request the school has not decided yet. */
  pendingCorrection?: boolean;
  /** Records approved once and changed since (now back in an earlier state). */
  changedSinceApproval?: boolean;
  /** Confirmed or approved records confirmed this way (本人手机确认 / 学校登记纸质签字确认). */
  confirmedVia?: 'phone' | 'paper';
  /** Records registered in this paper confirmation batch (whatever their state now). */
  batchId?: number;
};

const listColumns = {
  id: staff.id,
  schoolCode: staff.schoolCode,
  status: staff.status,
  confirmedVia: staff.confirmedVia,
  name: staff.name,
  sex: staff.sex,
  idType: staff.idType,
  idNumber: staff.idNumber,
  birthDate: staff.birthDate,
  staffCategory: staff.staffCategory,
  onPayroll: staff.onPayroll,
  findings: staff.findings,
  version: staff.version,
  updatedAt: staff.updatedAt,
};

/** A search text that asks for an ID number (four or more digits, perhaps ending in X), not a name. */
export const isIdSearch = (q: string | undefined) => q !== undefined && /^[0-9xX]{4,}$/.test(q.normalize('NFKC').trim());

function searchCondition(q: string | undefined, idSearch: 'prefix' | 'whole'): SQL | undefined {
  const text = q?.normalize('NFKC').trim();
  if (!text) return undefined;
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  const digits = isIdSearch(text);
  if (digits && idSearch === 'prefix') return sql`${staff.idNumber} like ${`${escaped.toUpperCase()}%`}`;
  if (digits) {
    // The whole number only; a 15-digit one as it is stored (upgraded to 18).
    const id = checkIdNumber(text);
    return or(eq(staff.idNumber, id.ok ? id.normalized : text.toUpperCase()), eq(staff.staffNo, text));
  }
  return or(ilike(staff.name, `%${escaped}%`), eq(staff.staffNo, text));
}

/** A school's live records, paged, filtered by status, findings, and name or ID number. */
export async function listSchoolStaff(executor: Executor, schoolCode: string, filters: StaffFilters, page: Page) {
  const where = and(
    eq(staff.schoolCode, schoolCode),
    isNull(staff.deletedAt),
    filters.status ? eq(staff.status, filters.status) : undefined,
    filters.hasFindings === undefined
      ? undefined
      : filters.hasFindings
        ? sql`jsonb_array_length(${staff.findings}) > 0`
        : sql`jsonb_array_length(${staff.findings}) = 0`,
    searchCondition(filters.q, filters.idSearch ?? 'whole'),
    filters.pendingCorrection
      ? sql`exists (select 1 from correction_requests c where c.staff_id = ${staff.id} and c.status = 'pending')`
      : undefined,
    filters.changedSinceApproval
      ? sql`${staff.status} <> 'approved' and exists (select 1 from staff_events e where e.staff_id = ${staff.id} and e.to_state = 'approved')`
      : undefined,
    filters.confirmedVia ? and(eq(staff.confirmedVia, filters.confirmedVia), inArray(staff.status, ['confirmed', 'approved'])) : undefined,
    filters.batchId === undefined
      ? undefined
      : sql`exists (select 1 from staff_events e where e.staff_id = ${staff.id} and e.batch_id = ${filters.batchId})`,
  );
  // The page and the total in one query (a window count over the filtered rows); only a page past the end
  // needs the total asked for apart.
  const rows = await executor
    .select({ ...listColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(staff)
    .where(where)
    .orderBy(asc(staff.id))
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize);
  if (rows.length === 0 && page.page > 1) {
    const [{ total }] = await executor.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(staff).where(where);
    return { items: [], total };
  }
  return { items: rows.map(({ total: _total, ...item }) => item), total: rows[0]?.total ?? 0 };
}

/** Column values to write for a record's fields. */
export function fieldColumnsOf(values: StaffValues): Record<FieldKey, string | null> {
  return recordOf(fieldKeys, (key) => values[key]);
}

/** A school's live records with their values, for its pre-filled template. */
export async function listSchoolStaffForTemplate(executor: Executor, schoolCode: string) {
  const rows = await executor
    .select()
    .from(staff)
    .where(and(eq(staff.schoolCode, schoolCode), isNull(staff.deletedAt)))
    .orderBy(asc(staff.id));
  return rows.map((row) => ({ id: row.id, values: valuesOf(row) }));
}

/**
 * How many live records a school holds in each state, for its review page and the count against expected
 * staff, and how its confirmed or approved records were confirmed.
 */
export async function schoolStaffSummary(executor: Executor, schoolCode: string) {
  const rows = await executor
    .select({ status: staff.status, confirmedVia: staff.confirmedVia, count: sql<number>`count(*)`.mapWith(Number) })
    .from(staff)
    .where(and(eq(staff.schoolCode, schoolCode), isNull(staff.deletedAt)))
    .groupBy(staff.status, staff.confirmedVia);
  const byStatus: Record<string, number> = {};
  const confirmedVia = { phone: 0, paper: 0 };
  for (const row of rows) {
    byStatus[row.status] = (byStatus[row.status] ?? 0) + row.count;
    if ((row.status === 'confirmed' || row.status === 'approved') && (row.confirmedVia === 'phone' || row.confirmedVia === 'paper')) confirmedVia[row.confirmedVia] += row.count;
  }
  const [{ pending }] = await executor
    .select({ pending: sql<number>`count(*)`.mapWith(Number) })
    .from(staff)
    .where(and(eq(staff.schoolCode, schoolCode), isNull(staff.deletedAt), sql`exists (select 1 from correction_requests c where c.staff_id = ${staff.id} and c.status = 'pending')`));
  return { byStatus, confirmedVia, total: rows.reduce((sum, row) => sum + row.count, 0), pendingCorrections: pending };
}

/** Where a write to a record applies: the version the writer read, the state it read, a record not deleted. */
export type StaffGuard = { version?: number; status?: RecordState; live?: boolean };
/** The columns a write sets; the version always goes up by one. */
export type StaffChange = Partial<Omit<typeof staff.$inferInsert, 'id' | 'version'>>;

function guarded(guard: StaffGuard) {
  return [
    guard.version === undefined ? undefined : eq(staff.version, guard.version),
    guard.status === undefined ? undefined : eq(staff.status, guard.status),
    guard.live ? isNull(staff.deletedAt) : undefined,
  ];
}

/** Adds one record. */
export async function insertStaff(executor: Executor, values: typeof staff.$inferInsert) {
  const [row] = await executor.insert(staff).values(values).returning();
  return row;
}

/** Writes one record; undefined when the guard no longer holds (someone else changed it first). */
export async function updateStaffRecord(executor: Executor, id: number, guard: StaffGuard, change: StaffChange): Promise<StaffRow | undefined> {
  const [row] = await executor
    .update(staff)
    .set({ ...change, version: sql`${staff.version} + 1` })
    .where(and(eq(staff.id, id), ...guarded(guard)))
    .returning();
  return row;
}

/** The same write on many records in one statement; returns the ids it wrote. */
export async function updateStaffRecords(executor: Executor, ids: number[], guard: StaffGuard, change: StaffChange) {
  return executor
    .update(staff)
    .set({ ...change, version: sql`${staff.version} + 1` })
    .where(and(inArray(staff.id, ids), ...guarded(guard)))
    .returning({ id: staff.id });
}

/** Moves a school's live records of a campaign to another school (a merge); returns the ids moved. */
export async function moveSchoolStaff(executor: Executor, campaignId: number, from: string, to: string, updatedBy: number) {
  return executor
    .update(staff)
    .set({ schoolCode: to, version: sql`${staff.version} + 1`, updatedBy, updatedAt: new Date() })
    .where(and(eq(staff.campaignId, campaignId), eq(staff.schoolCode, from), isNull(staff.deletedAt)))
    .returning({ id: staff.id });
}

/** The live records of a school among these ids. */
export async function liveStaffOfSchool(executor: Executor, schoolCode: string, ids: number[]) {
  return executor.select().from(staff).where(and(eq(staff.schoolCode, schoolCode), inArray(staff.id, ids), isNull(staff.deletedAt)));
}

/** The state of each live record of a school among these ids (one query for a bulk step). */
export async function liveStaffStates(executor: Executor, schoolCode: string, ids: number[]) {
  return executor
    .select({ id: staff.id, status: staff.status, campaignId: staff.campaignId })
    .from(staff)
    .where(and(eq(staff.schoolCode, schoolCode), inArray(staff.id, ids), isNull(staff.deletedAt)));
}

/** How many live records a school holds in a campaign. */
export async function countLiveStaff(executor: Executor, campaignId: number, schoolCode: string) {
  const [row] = await executor
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(staff)
    .where(and(eq(staff.campaignId, campaignId), eq(staff.schoolCode, schoolCode), isNull(staff.deletedAt)));
  return row.n;
}

/**
 * Adds records given by column name, in one statement through jsonb_populate_recordset (one serialisation,
 * the same SQL on PostgreSQL and PGlite): the bulk path of the demo seeder.
 */
export async function insertStaffRecordset(executor: Executor, columns: string[], rows: Record<string, string | number | null>[]) {
  const list = sql.raw(columns.join(', '));
  await executor.execute(sql`insert into staff (${list}) select ${list} from jsonb_populate_recordset(null::staff, ${JSON.stringify(rows)}::jsonb)`);
}
