import { isIPv4, isIPv6 } from 'node:net';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { throttles } from '../db/schema.ts';

/**
 * How a key is throttled. The first `free - 1` failures pass; the `free`-th blocks the key for `firstBlockMs`,
 * and each later failure (admitted once the block ends) blocks it twice as long as the one before, up to
 * `maxBlockMs`. The count is forgotten `forgetMs` after the last failure (keep it longer than `maxBlockMs`).
 */
export type ThrottleRule = { free: number; firstBlockMs: number; maxBlockMs: number; forgetMs: number };

/** An attempt admitted under a key, to be settled by `fail`, `succeed` or `release` once it is checked. */
export type Reservation = {
  key: string;
  /** Failures counted under the key before this attempt. */
  failures: number;
  /** Past the free failures, the one attempt admitted holds the next block until it is settled. */
  holdsBlock: boolean;
  /** The last success under the key, if any. */
  succeededAt: Date | null;
};

/** The answer of `reserve`: admitted, or refused while the key is blocked (`blockedUntil`) or still busy (null). */
export type Admission = { admitted: true; reservation: Reservation } | { admitted: false; blockedUntil: Date | null };

/** Attempts admitted longer ago than this are taken as lost (a process that died while checking them). */
const lostAfter = sql`interval '2 minutes'`;
/** How long an attempt waits for its turn while earlier ones of a burst are being checked. */
const waitForTurnMs = 5_000;

const milliseconds = (value: number | SQL) => sql`(${value})::float8 * interval '1 millisecond'`;

/** `now()` plus the block after failure number `failures` (null below the rule's threshold). */
function blockAfter(rule: ThrottleRule, failures: SQL) {
  // The exponent stops at 40 so the power never overflows; by then the cap has long applied.
  const grown = sql`least(${rule.firstBlockMs}::float8 * power(2, least(${failures} - ${rule.free}, 40)), ${rule.maxBlockMs}::float8)`;
  return sql`case when ${failures} >= ${rule.free} then now() + ${milliseconds(grown)} else null end`;
}

/**
 * Admits one attempt under `key` before it is checked, in one statement: the failures counted so far and the
 * attempts still being checked may not exceed the rule, so a burst cannot be checked past the limit however
 * its requests interleave. Past the free failures one attempt at a time is admitted, holding the next block
 * until it is settled. An attempt that finds the key busy (not blocked) waits its turn for a few seconds,
 * so many people signing in at once from one address are served, not refused.
 */
export async function reserve(executor: Executor, key: string, rule: ThrottleRule, accountId?: number): Promise<Admission> {
  const deadline = Date.now() + waitForTurnMs;
  for (let pause = 20; ; pause = Math.min(pause * 2, 500)) {
    const admission = await tryReserve(executor, key, rule, accountId);
    if (admission.admitted || admission.blockedUntil || Date.now() + pause > deadline) return admission;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

async function tryReserve(executor: Executor, key: string, rule: ThrottleRule, accountId: number | undefined): Promise<Admission> {
  const forgotten = sql`${throttles.resetAt} <= now()`;
  const failures = sql`(case when ${forgotten} then 0 else ${throttles.count} end)`;
  const pending = sql`(case when ${forgotten} or ${throttles.reservedAt} < now() - ${lostAfter} then 0 else ${throttles.pending} end)`;
  const [row] = await executor
    .insert(throttles)
    .values({ key, accountId: accountId ?? null, count: 0, pending: 1, reservedAt: sql`now()`, resetAt: sql`now() + ${milliseconds(rule.forgetMs)}` })
    .onConflictDoUpdate({
      target: throttles.key,
      set: {
        count: failures,
        pending: sql`${pending} + 1`,
        reservedAt: sql`now()`,
        blockedUntil: sql`case when ${failures} >= ${rule.free} then ${blockAfter(rule, sql`${failures} + 1`)} else null end`,
        resetAt: sql`greatest(${throttles.resetAt}, now() + ${milliseconds(rule.forgetMs)})`,
        succeededAt: sql`case when ${forgotten} then null else ${throttles.succeededAt} end`,
      },
      setWhere: sql`(${throttles.blockedUntil} is null or ${throttles.blockedUntil} <= now() or ${forgotten})
        and (${failures} + ${pending} < ${rule.free} or ${pending} = 0)`,
    })
    .returning({ failures: throttles.count, blockedUntil: throttles.blockedUntil, succeededAt: throttles.succeededAt });
  if (row) return { admitted: true, reservation: { key, failures: row.failures, holdsBlock: row.blockedUntil !== null, succeededAt: row.succeededAt } };
  const [current] = await executor.select({ blockedUntil: throttles.blockedUntil }).from(throttles).where(eq(throttles.key, key));
  const blockedUntil = current?.blockedUntil && current.blockedUntil.getTime() > Date.now() ? current.blockedUntil : null;
  return { admitted: false, blockedUntil };
}

/** Settles a checked attempt that failed: counted, and blocking the key from the free-th failure on. */
export async function fail(executor: Executor, reservation: Reservation, rule: ThrottleRule) {
  const [row] = await executor
    .update(throttles)
    .set({
      count: sql`${throttles.count} + 1`,
      pending: sql`greatest(${throttles.pending} - 1, 0)`,
      blockedUntil: sql`coalesce(${blockAfter(rule, sql`${throttles.count} + 1`)}, ${throttles.blockedUntil})`,
      resetAt: sql`greatest(${throttles.resetAt}, now() + ${milliseconds(rule.forgetMs)})`,
    })
    .where(eq(throttles.key, reservation.key))
    .returning({ failures: throttles.count, blockedUntil: throttles.blockedUntil });
  return { failures: row?.failures ?? reservation.failures + 1, blockedUntil: row && row.failures >= rule.free ? row.blockedUntil : null };
}

/** Settles an attempt that was not a failure (it succeeded, or was refused further on unchecked). */
export async function release(executor: Executor, reservation: Reservation) {
  await executor
    .update(throttles)
    .set({
      pending: sql`greatest(${throttles.pending} - 1, 0)`,
      ...(reservation.holdsBlock ? { blockedUntil: null } : {}),
    })
    .where(eq(throttles.key, reservation.key));
}

/** Settles a successful attempt: the key's failures are forgotten, and the success is remembered for `rememberMs`. */
export async function succeed(executor: Executor, reservation: Reservation, rememberMs: number) {
  await executor
    .update(throttles)
    .set({
      count: 0,
      pending: sql`greatest(${throttles.pending} - 1, 0)`,
      blockedUntil: null,
      succeededAt: sql`now()`,
      resetAt: sql`greatest(${throttles.resetAt}, now() + ${milliseconds(rememberMs)})`,
    })
    .where(eq(throttles.key, reservation.key));
}

/** Lifts every block and count of an account's keys (an unlock); remembered addresses stay. */
export async function clearAccount(executor: Executor, accountId: number) {
  return executor
    .update(throttles)
    .set({ count: 0, blockedUntil: null })
    .where(and(eq(throttles.accountId, accountId), sql`(${throttles.count} > 0 or ${throttles.blockedUntil} is not null)`))
    .returning({ key: throttles.key });
}

/** Removes keys whose counts and successes are forgotten (housekeeping). */
export async function deleteForgottenThrottles(executor: Executor) {
  await executor.delete(throttles).where(sql`${throttles.resetAt} < now() and ${throttles.pending} = 0`);
}

/** Whole minutes until `until`, at least one: what a message tells the person to wait. */
export function minutesUntil(until: Date, now = Date.now()): number {
  return Math.max(1, Math.ceil((until.getTime() - now) / 60_000));
}

/**
 * The client address as throttles count it: an IPv4 address itself (also when written IPv4-mapped), an IPv6
 * address by its /64 network, since one household or host holds a whole /64.
 */
export function addressKey(ip: string | undefined): string {
  const address = (ip ?? '').trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return mapped[1];
  if (isIPv4(address) || !isIPv6(address)) return address.slice(0, 64) || 'unknown';
  const [head, tail = ''] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
    : headGroups;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
