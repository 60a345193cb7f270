import { aliasedTable, and, desc, eq, like, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import type { ConflictResolution, ConflictStatus } from '../../contract/conflicts.schema.ts';
import { idConflicts, units } from '../db/schema.ts';

export type ConflictRow = typeof idConflicts.$inferSelect;

const holder = aliasedTable(units, 'holder');
const claimant = aliasedTable(units, 'claimant');

/** Conflicts touching a unit's subtree (either school inside it), newest first. */
export async function listConflicts(executor: Executor, within: { path: string }, status?: ConflictStatus) {
  return executor
    .select({ conflict: idConflicts, holderName: holder.name, holderPath: holder.path, claimantName: claimant.name, claimantPath: claimant.path })
    .from(idConflicts)
    .innerJoin(holder, eq(holder.code, idConflicts.holderSchoolCode))
    .innerJoin(claimant, eq(claimant.code, idConflicts.claimantSchoolCode))
    .where(and(or(like(holder.path, `${within.path}%`), like(claimant.path, `${within.path}%`)), status ? eq(idConflicts.status, status) : undefined))
    .orderBy(desc(idConflicts.id))
    .limit(500);
}

export async function findConflict(executor: Executor, id: number) {
  const [row] = await executor
    .select({ conflict: idConflicts, holderPath: holder.path, claimantPath: claimant.path })
    .from(idConflicts)
    .innerJoin(holder, eq(holder.code, idConflicts.holderSchoolCode))
    .innerJoin(claimant, eq(claimant.code, idConflicts.claimantSchoolCode))
    .where(eq(idConflicts.id, id))
    .limit(1);
  return row;
}

/** Open conflicts a school is part of: its package cannot be submitted while one remains. */
export async function openConflictCount(executor: Executor, campaignId: number, schoolCode: string) {
  const [row] = await executor
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(idConflicts)
    .where(and(eq(idConflicts.campaignId, campaignId), eq(idConflicts.status, 'open'), or(eq(idConflicts.holderSchoolCode, schoolCode), eq(idConflicts.claimantSchoolCode, schoolCode))));
  return row.n;
}

/** Resolves a conflict (调出 as a transfer, 更正 as a correction) with its note. */
export async function resolveConflict(executor: Executor, id: number, resolution: { resolution: ConflictResolution; note: string; resolvedBy: number }) {
  await executor.update(idConflicts).set({ status: 'resolved', ...resolution, resolvedAt: new Date() }).where(eq(idConflicts.id, id));
}

/**
 * An import's conflicting rows as open conflicts, in one statement: each row whose ID number a live record of
 * another school holds. A conflict already open for the same number and school is kept as it is.
 */
export async function insertImportConflicts(executor: Executor, input: { campaignId: number; schoolCode: string; importId: number; createdBy: number }) {
  await executor.execute(sql`
    insert into id_conflicts (campaign_id, id_number, holder_staff_id, holder_school_code, claimant_school_code, claimant_name, import_id, created_by)
    select ${input.campaignId}, s.id_number, s.id, s.school_code, ${input.schoolCode}, r.values ->> 'name', ${input.importId}, ${input.createdBy}
    from import_rows r join staff s on s.campaign_id = ${input.campaignId} and s.id_number = r.values ->> 'id_number' and s.deleted_at is null
    where r.import_id = ${input.importId} and r.action = 'conflict' and s.school_code <> ${input.schoolCode}
    on conflict (campaign_id, id_number, claimant_school_code) where status = 'open' do nothing`);
}

/** The schools on either side of an import's conflicts, each once. */
export async function schoolsInImportConflicts(executor: Executor, importId: number) {
  const rows = await executor
    .selectDistinct({ code: sql<string>`unnest(array[${idConflicts.holderSchoolCode}, ${idConflicts.claimantSchoolCode}])` })
    .from(idConflicts)
    .where(eq(idConflicts.importId, importId));
  return rows.map((row) => row.code);
}
