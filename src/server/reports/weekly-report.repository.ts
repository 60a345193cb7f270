import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { IssueNo, ReportLevel, ReportStatus, SignatureStep, WeeklySnapshot } from '../../contract/reports.schema.ts';
import type { Executor } from '../db/client.ts';
import { units, weeklyReports, weeklyReportSignatures } from '../db/schema.ts';
import type { UnitRow } from '../org/units.repository.ts';

// The weekly reports and their signatures (see `weekly-report.service.ts`); the figures' reads are in `weekly-figures.repository.ts`.

export type WeeklyReportRow = typeof weeklyReports.$inferSelect;
export type SignatureRow = typeof weeklyReportSignatures.$inferSelect;
export type AreaUnit = Pick<UnitRow, 'code' | 'name' | 'kind' | 'path' | 'parentCode'>;

const areaColumns = { code: units.code, name: units.name, kind: units.kind, path: units.path, parentCode: units.parentCode };

/** The prefectures and counties reporting to `unitCode`, in code order. */
export function childAreaUnits(executor: Executor, unitCode: string): Promise<AreaUnit[]> {
  return executor
    .select(areaColumns)
    .from(units)
    .where(and(eq(units.parentCode, unitCode), inArray(units.kind, ['prefecture', 'county'])))
    .orderBy(asc(units.code));
}

/** The units of a report level under a path, in code order. */
export function areaUnitsOfLevel(executor: Executor, level: ReportLevel, withinPath: string): Promise<AreaUnit[]> {
  return executor
    .select(areaColumns)
    .from(units)
    .where(and(eq(units.kind, level), sql`${units.path} like ${`${withinPath}%`}`))
    .orderBy(asc(units.code));
}

export async function findProvince(executor: Executor): Promise<UnitRow | undefined> {
  const [row] = await executor.select().from(units).where(eq(units.kind, 'province')).limit(1);
  return row;
}

/** The units of a level whose report of an issue has no frozen figures yet (or no row at all). */
export async function unitsAwaitingSnapshot(executor: Executor, campaignId: number, level: ReportLevel, issueNo: IssueNo) {
  const rows = await executor
    .select({ code: units.code })
    .from(units)
    .leftJoin(weeklyReports, and(eq(weeklyReports.unitCode, units.code), eq(weeklyReports.campaignId, campaignId), eq(weeklyReports.issueNo, issueNo)))
    .where(and(eq(units.kind, level), isNull(weeklyReports.snapshot)));
  return rows.map((row) => row.code);
}

/** The report row of a unit and issue, written with its deadline when it is not there yet. */
export async function findOrInsertReport(executor: Executor, values: { campaignId: number; unitCode: string; issueNo: IssueNo; dueAt: Date }): Promise<WeeklyReportRow> {
  await executor.insert(weeklyReports).values(values).onConflictDoNothing();
  const [row] = await executor
    .select()
    .from(weeklyReports)
    .where(and(eq(weeklyReports.campaignId, values.campaignId), eq(weeklyReports.unitCode, values.unitCode), eq(weeklyReports.issueNo, values.issueNo)));
  return row;
}

export async function findReport(executor: Executor, id: number): Promise<WeeklyReportRow | undefined> {
  const [row] = await executor.select().from(weeklyReports).where(eq(weeklyReports.id, id));
  return row;
}

/** The reports of a unit in a campaign, any issue. */
export function reportsOfUnit(executor: Executor, campaignId: number, unitCode: string): Promise<WeeklyReportRow[]> {
  return executor.select().from(weeklyReports).where(and(eq(weeklyReports.campaignId, campaignId), eq(weeklyReports.unitCode, unitCode)));
}

/** Moves the deadline of a report whose figures are not frozen; undefined when they are. */
export async function moveReportDeadline(executor: Executor, reportId: number, dueAt: Date): Promise<WeeklyReportRow | undefined> {
  const [row] = await executor
    .update(weeklyReports)
    .set({ dueAt, updatedAt: new Date() })
    .where(and(eq(weeklyReports.id, reportId), isNull(weeklyReports.snapshot)))
    .returning();
  return row;
}

/** Stores a report's figures, only while it has none: undefined when it already had some. */
export async function storeSnapshot(executor: Executor, reportId: number, snapshot: WeeklySnapshot, asOf: Date): Promise<WeeklyReportRow | undefined> {
  const [row] = await executor
    .update(weeklyReports)
    .set({ snapshot, snapshotAsOf: asOf, snapshotAt: new Date(), version: sql`${weeklyReports.version} + 1`, updatedAt: new Date() })
    .where(and(eq(weeklyReports.id, reportId), isNull(weeklyReports.snapshot)))
    .returning();
  return row;
}

/** Writes the remarks and takes the report back to draft, only at `version`: undefined when it changed since. */
export async function updateRemarks(executor: Executor, reportId: number, version: number, remarks: string | null): Promise<WeeklyReportRow | undefined> {
  const [row] = await executor
    .update(weeklyReports)
    .set({ remarks, status: 'draft', version: sql`${weeklyReports.version} + 1`, updatedAt: new Date() })
    .where(and(eq(weeklyReports.id, reportId), eq(weeklyReports.version, version)))
    .returning();
  return row;
}

/**
 * Moves a report on from `from` (a signature or the submission), counting the change in its version:
 * undefined when its status is no longer `from`.
 */
export async function moveReport(
  executor: Executor,
  reportId: number,
  from: ReportStatus,
  set: { status: ReportStatus; updatedAt: Date; submittedBy?: number; submittedAt?: Date; late?: boolean },
): Promise<WeeklyReportRow | undefined> {
  const [row] = await executor
    .update(weeklyReports)
    .set({ ...set, version: sql`${weeklyReports.version} + 1` })
    .where(and(eq(weeklyReports.id, reportId), eq(weeklyReports.status, from)))
    .returning();
  return row;
}

/** The signatures of a report in force (not revoked), in signing order. */
export function activeSignatures(executor: Executor, reportId: number): Promise<SignatureRow[]> {
  return executor
    .select()
    .from(weeklyReportSignatures)
    .where(and(eq(weeklyReportSignatures.reportId, reportId), isNull(weeklyReportSignatures.revokedAt)))
    .orderBy(asc(weeklyReportSignatures.id));
}

/** Revokes the signatures in force (kept in the history); returns the steps revoked. */
export async function revokeSignatures(executor: Executor, reportId: number): Promise<SignatureStep[]> {
  const rows = await executor
    .update(weeklyReportSignatures)
    .set({ revokedAt: new Date() })
    .where(and(eq(weeklyReportSignatures.reportId, reportId), isNull(weeklyReportSignatures.revokedAt)))
    .returning({ step: weeklyReportSignatures.step });
  return rows.map((row) => row.step);
}

export async function insertSignature(executor: Executor, values: { reportId: number; step: SignatureStep; accountId: number; signerName: string; signedAt: Date }): Promise<SignatureRow> {
  const [row] = await executor.insert(weeklyReportSignatures).values(values).returning();
  return row;
}
