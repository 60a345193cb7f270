import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { ConfirmedVia } from '../../contract/record-states.ts';
import type { PackageStatus } from '../../contract/package-states.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import { resultRows, type Executor } from '../db/client.ts';
import { packageChildren, packageItems, packages, signoffs, staff, units } from '../db/schema.ts';
import { latestPackagesSql } from '../db/latest-packages.ts';
import { updateStaffRecord } from '../staff/staff.repository.ts';

export type PackageRow = typeof packages.$inferSelect;
type PackageValues = typeof packages.$inferInsert;
type FrozenItem = { staffId: number; content: (string | null)[]; contentHash: string; confirmedVia: ConfirmedVia | null };

const codeList = (codes: readonly string[]) => sql.join(codes.map((code) => sql`${code}`), sql`, `);

/** The latest package of each unit, for a campaign. */
export async function latestPackages(executor: Executor, campaignId: number, unitCodes: string[]): Promise<Map<string, PackageRow>> {
  if (unitCodes.length === 0) return new Map();
  const rows = await executor
    .select()
    .from(packages)
    .where(sql`${packages.id} in (select latest.id from ${latestPackagesSql(campaignId, sql`p.unit_code in (${codeList(unitCodes)})`)} latest)`);
  return new Map(rows.map((row) => [row.unitCode, row]));
}

export async function findPackage(executor: Executor, id: number): Promise<PackageRow | undefined> {
  const [row] = await executor.select().from(packages).where(eq(packages.id, id)).limit(1);
  return row;
}

/** The unit's version before `pkg` (the one returned, reopened or marked stale), if any. */
export async function previousPackage(executor: Executor, pkg: PackageRow): Promise<PackageRow | undefined> {
  const [row] = await executor
    .select()
    .from(packages)
    .where(and(eq(packages.campaignId, pkg.campaignId), eq(packages.unitCode, pkg.unitCode), lt(packages.versionNo, pkg.versionNo)))
    .orderBy(desc(packages.versionNo))
    .limit(1);
  return row;
}

/** A school's live records in id order: what its package would freeze. */
export function liveSchoolRecords(executor: Executor, campaignId: number, schoolCode: string) {
  return executor
    .select()
    .from(staff)
    .where(and(eq(staff.campaignId, campaignId), eq(staff.schoolCode, schoolCode), isNull(staff.deletedAt)))
    .orderBy(asc(staff.id));
}

/** The figures of the packages an area's package freezes, in code order. */
export async function childPackageFigures(executor: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return executor
    .select({ id: packages.id, code: packages.unitCode, contentHash: packages.contentHash, recordCount: packages.recordCount, expectedCount: packages.expectedCount, phoneConfirmed: packages.phoneConfirmed, paperConfirmed: packages.paperConfirmed })
    .from(packages)
    .where(inArray(packages.id, ids))
    .orderBy(asc(packages.unitCode));
}

export async function insertSignoff(executor: Executor, values: typeof signoffs.$inferInsert) {
  const [row] = await executor.insert(signoffs).values(values).returning();
  return row;
}

/** The unit's last signature (负责人签字) in a campaign. */
export async function latestSignoff(executor: Executor, campaignId: number, unitCode: string) {
  const [row] = await executor.select().from(signoffs).where(and(eq(signoffs.campaignId, campaignId), eq(signoffs.unitCode, unitCode))).orderBy(desc(signoffs.id)).limit(1);
  return row;
}

/** A new package version with what it freezes: a school's records (written 2000 at a time) or an area's child packages. */
export async function insertPackage(executor: Executor, values: PackageValues, items: FrozenItem[], children: number[]) {
  const [pkg] = await executor.insert(packages).values(values).returning();
  for (let start = 0; start < items.length; start += 2000) {
    await executor.insert(packageItems).values(items.slice(start, start + 2000).map((item) => ({ packageId: pkg.id, ...item })));
  }
  if (children.length > 0) await executor.insert(packageChildren).values(children.map((childPackageId) => ({ packageId: pkg.id, childPackageId })));
  return pkg;
}

/**
 * Moves a package only while it is still in one of `from` (and, with `notStale`, not marked stale), counting
 * the change in its version: undefined when another decision came first.
 */
export async function movePackage(executor: Executor, id: number, guard: { from: PackageStatus[]; notStale: boolean }, set: Partial<PackageValues>) {
  const [row] = await executor
    .update(packages)
    .set({ ...set, version: sql`${packages.version} + 1` })
    .where(and(eq(packages.id, id), inArray(packages.status, guard.from), guard.notStale ? isNull(packages.staleAt) : undefined))
    .returning();
  return row;
}

/** A child package the package froze that was marked stale since, if any. */
export async function staleChildPackage(executor: Executor, packageId: number) {
  const [row] = await executor
    .select({ unitCode: packages.unitCode, cause: packages.staleCause })
    .from(packageChildren)
    .innerJoin(packages, eq(packages.id, packageChildren.childPackageId))
    .where(and(eq(packageChildren.packageId, packageId), isNotNull(packages.staleAt)))
    .limit(1);
  return row;
}

/** Which of `staffIds` the package holds. */
export async function heldRecords(executor: Executor, packageId: number, staffIds: number[]) {
  const rows = await executor.select({ id: packageItems.staffId }).from(packageItems).where(and(eq(packageItems.packageId, packageId), inArray(packageItems.staffId, staffIds)));
  return new Set(rows.map((row) => row.id));
}

/** Returns one record of a package: the item keeps the reason, and the record goes back to the school 已退回. True when the record still exists. */
export async function returnPackageItem(executor: Executor, packageId: number, staffId: number, reason: string) {
  await executor.update(packageItems).set({ returnReason: reason }).where(and(eq(packageItems.packageId, packageId), eq(packageItems.staffId, staffId)));
  // The record itself is the staff domain's to write.
  const moved = await updateStaffRecord(executor, staffId, {}, { status: 'returned', confirmedVia: null, updatedAt: new Date() });
  return moved !== undefined;
}

/** A page of a package's records: the frozen content with the record's state now. */
export function packageItemsPage(executor: Executor, packageId: number, page: { page: number; pageSize: number }) {
  return executor
    .select({ staffId: packageItems.staffId, content: packageItems.content, confirmedVia: packageItems.confirmedVia, status: staff.status, returnReason: packageItems.returnReason })
    .from(packageItems)
    .innerJoin(staff, eq(staff.id, packageItems.staffId))
    .where(eq(packageItems.packageId, packageId))
    .orderBy(asc(packageItems.staffId))
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize);
}

/** The frozen records of packages, by package and record id. */
export function frozenItemsOf(executor: Executor, packageIds: number[]) {
  return executor
    .select({ packageId: packageItems.packageId, staffId: packageItems.staffId, content: packageItems.content, contentHash: packageItems.contentHash })
    .from(packageItems)
    .where(inArray(packageItems.packageId, packageIds))
    .orderBy(asc(packageItems.packageId), asc(packageItems.staffId));
}

/** The child packages a package froze, with their unit, version and count. */
export function childPackagesOf(executor: Executor, packageId: number) {
  return executor
    .select({ packageId: packages.id, unitCode: packages.unitCode, versionNo: packages.versionNo, recordCount: packages.recordCount })
    .from(packageChildren)
    .innerJoin(packages, eq(packages.id, packageChildren.childPackageId))
    .where(eq(packageChildren.packageId, packageId));
}

/** The units that report to `unitCode`, in code order; `openOnly` leaves out closed schools. */
export function childUnits(executor: Executor, unitCode: string, options: { openOnly: boolean }) {
  return executor
    .select({ code: units.code, name: units.name, kind: units.kind })
    .from(units)
    .where(and(eq(units.parentCode, unitCode), options.openOnly ? isNull(units.closedOn) : undefined))
    .orderBy(units.code);
}

/** Which of the schools have at least one live record. */
export async function schoolsWithRecords(executor: Executor, campaignId: number, schoolCodes: string[]) {
  const rows = await executor
    .selectDistinct({ code: staff.schoolCode })
    .from(staff)
    .where(and(eq(staff.campaignId, campaignId), isNull(staff.deletedAt), inArray(staff.schoolCode, schoolCodes.concat(['']))));
  return new Set(rows.map((row) => row.code));
}

/**
 * 需重新审核: a change below a signed package (a school added, moved, closed or merged, a package reopened,
 * an expected count changed) marks the latest submitted or approved package of every unit above `unitCode`
 * — and of the unit itself with `includeSelf` — with its cause, tells those units and their reviewers, and
 * audits each mark, in the caller's transaction. A record changed at a school does the same through the
 * trigger on staff (migration `chain_stale`), so no write path has to remember it. A marked package no longer
 * counts as approved: the unit signs and submits a new version, and the level above reviews it again.
 */
export async function markChainStale(executor: Executor, campaignId: number, unitCode: string, cause: string, options: { includeSelf?: boolean } = {}) {
  return resultRows<{ package_id: number; unit_code: string }>(
    await executor.execute(sql`select package_id, unit_code from mark_chain_stale(${campaignId}::int, ${unitCode}::varchar, ${cause}::text, ${options.includeSelf ?? false}::boolean)`),
  ).map((row) => ({ packageId: Number(row.package_id), unitCode: row.unit_code }));
}

/** The packages a final package froze, level by level down to the schools' packages (package_children). */
export async function chainBelow(executor: Executor, finalPackageId: number) {
  return resultRows<{ id: string | number; parent_id: string | number | null; unit_code: string; name: string; kind: string; school_type: SchoolType | null; content_hash: string; record_count: number; stale: boolean }>(
    await executor.execute(sql`
      with recursive chain(id, parent_id) as (
        select ${finalPackageId}::bigint, null::bigint
        union all
        select pc.child_package_id, pc.package_id from package_children pc join chain c on pc.package_id = c.id
      )
      select c.id, c.parent_id, p.unit_code, u.name, u.kind, u.school_type, p.content_hash, p.record_count, p.stale_at is not null as stale
      from chain c join packages p on p.id = c.id join units u on u.code = p.unit_code
      order by p.unit_code`),
  );
}
