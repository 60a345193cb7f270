/**
 * The life of one package (报送包), a frozen version of a unit's submission: submitted → approved by the
 * unit it reports to, or returned with a reason; an approved package may be reopened by a level above (it is
 * returned again, its category 'reopened'). The province's own package is the final review (终审), approved
 * as it is submitted. A change below a submitted or approved package marks it stale (需重新审核): its status
 * stays, but it no longer counts as signed; it cannot be approved, and the unit signs and submits a new
 * version. A returned package is followed by a new version too. One pure state machine, used by the API.
 */
export const packageStatuses = ['submitted', 'approved', 'returned'] as const;
/** `packages.status`, as stored. */
export type PackageStatus = (typeof packageStatuses)[number];

export const packageStatusLabels: Record<PackageStatus, { zh: string; en: string }> = {
  submitted: { zh: '待审核', en: 'Awaiting review' },
  approved: { zh: '已通过', en: 'Approved' },
  returned: { zh: '已退回', en: 'Returned' },
};

/**
 * Who moves a package: the unit itself (signs and submits), the unit it reports to (approves or returns),
 * a level above the receiver (reopens, an admin), or a change below it (the stale mark, from the database).
 */
export type PackageActor = 'unit' | 'receiver' | 'above' | 'change_below';

export const packageEvents = ['submit', 'submit_final', 'approve', 'return', 'reopen', 'mark_stale'] as const;
export type PackageEvent = (typeof packageEvents)[number];

/**
 * `from`: the statuses the event applies to (`null` in it: no package yet). `stale`: what a stale mark does —
 * 'refuses' the event, 'ignored', or 'opens' it from any status (a stale package asks for a new version).
 * `to`: the status after, or null when the status stays (the stale mark).
 */
type Rule = { from: readonly (PackageStatus | null)[]; stale: 'refuses' | 'ignored' | 'opens'; to: PackageStatus | null; by: PackageActor };

const rules: Record<PackageEvent, Rule> = {
  // A new version: the first, or after the last one was returned, reopened or marked stale.
  submit: { from: [null, 'returned'], stale: 'opens', to: 'submitted', by: 'unit' },
  // The province reports to no unit here: its submission is the final review, approved as it is made.
  submit_final: { from: [null, 'returned'], stale: 'opens', to: 'approved', by: 'unit' },
  approve: { from: ['submitted'], stale: 'refuses', to: 'approved', by: 'receiver' },
  // A stale package is returned, to be signed and submitted again.
  return: { from: ['submitted'], stale: 'ignored', to: 'returned', by: 'receiver' },
  reopen: { from: ['approved'], stale: 'ignored', to: 'returned', by: 'above' },
  mark_stale: { from: ['submitted', 'approved'], stale: 'refuses', to: null, by: 'change_below' },
};

/** What the machine needs to know of a package: its status and whether it is marked stale. */
export type PackageStanding = { status: PackageStatus; staleAt: Date | null };

export type PackageTransitionResult =
  | { ok: true; from: PackageStatus | null; to: PackageStatus }
  | { ok: false; reason: 'wrong_state' | 'stale' | 'wrong_actor'; from: PackageStatus | null; allowedFrom: readonly (PackageStatus | null)[] };

/** Where `event` takes `pkg` (undefined: the unit has no package yet), or why it cannot. */
export function packageTransition(pkg: PackageStanding | undefined, event: PackageEvent, by: PackageActor): PackageTransitionResult {
  const rule = rules[event];
  const from = pkg?.status ?? null;
  const stale = pkg?.staleAt != null && from !== 'returned';
  if (rule.by !== by) return { ok: false, reason: 'wrong_actor', from, allowedFrom: rule.from };
  const opened = stale && rule.stale === 'opens';
  if (!opened && !rule.from.includes(from)) return { ok: false, reason: 'wrong_state', from, allowedFrom: rule.from };
  if (stale && rule.stale === 'refuses') return { ok: false, reason: 'stale', from, allowedFrom: rule.from };
  return { ok: true, from, to: rule.to ?? from! };
}

/** The statuses `event` moves a package from (the guard of the update that makes the move). */
export function packageStatusesFor(event: PackageEvent): PackageStatus[] {
  return rules[event].from.filter((status): status is PackageStatus => status !== null);
}

/** True when a stale mark refuses `event` (the update's guard also asks for no stale mark). */
export function refusedWhileStale(event: PackageEvent): boolean {
  return rules[event].stale === 'refuses';
}

/** The events `pkg` allows an actor (what buttons to show). */
export function availablePackageEvents(pkg: PackageStanding | undefined, by: PackageActor): PackageEvent[] {
  return packageEvents.filter((event) => packageTransition(pkg, event, by).ok);
}

/**
 * A package that needs no new review: submitted or approved, and not marked stale. The unit's data stay
 * locked, and it cannot submit again.
 */
export function standsSigned(pkg: PackageStanding | undefined): boolean {
  return pkg !== undefined && !packageTransition(pkg, 'submit', 'unit').ok;
}
