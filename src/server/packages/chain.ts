/**
 * 需重新审核: a change below a signed package (a school added, moved, closed or merged, a package reopened,
 * an expected count changed) marks the latest submitted or approved package of every unit above `unitCode`
 * — and of the unit itself with `includeSelf` — with its cause, tells those units and their reviewers, and
 * audits each mark, in the caller's transaction. A record changed at a school does the same through the
 * trigger on staff (migration `chain_stale`), so no write path has to remember it. A marked package no longer
 * counts as approved: the unit signs and submits a new version, and the level above reviews it again.
 */
export { markChainStale } from './packages.repository.ts';

/** The stale mark as the API shows it, or null. */
export function staleOf(pkg: { staleAt: Date | null; staleCause: string | null; staleUnitCode: string | null }) {
  return pkg.staleAt ? { at: pkg.staleAt.toISOString(), cause: pkg.staleCause ?? '', unitCode: pkg.staleUnitCode } : null;
}
