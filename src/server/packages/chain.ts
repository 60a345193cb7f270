import { sql } from 'drizzle-orm';
import { resultRows, type Executor } from '../db/client.ts';

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

/** The stale mark as the API shows it, or null. */
export function staleOf(pkg: { staleAt: Date | null; staleCause: string | null; staleUnitCode: string | null }) {
  return pkg.staleAt ? { at: pkg.staleAt.toISOString(), cause: pkg.staleCause ?? '', unitCode: pkg.staleUnitCode } : null;
}
