/** The stale mark as the API shows it, or null. */
export function staleOf(pkg: { staleAt: Date | null; staleCause: string | null; staleUnitCode: string | null }) {
  return pkg.staleAt ? { at: pkg.staleAt.toISOString(), cause: pkg.staleCause ?? '', unitCode: pkg.staleUnitCode } : null;
}
