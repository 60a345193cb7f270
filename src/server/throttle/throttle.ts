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

/** An attempt admitted under a key, counted as a failure until it is refunded or marked a success. */
export type Reservation = {
  key: string;
  /** Failures counted under the key, this attempt included. */
  count: number;
  /** Set when this attempt's failure blocks the key: the block it set. */
  blockedUntil: Date | null;
  /** The last success under the key, if any. */
  succeededAt: Date | null;
};

/** The answer of `reserve`: admitted (with its reservation), or refused while the key is blocked. */
export type Admission = { admitted: true; reservation: Reservation } | { admitted: false; blockedUntil: Date };

const milliseconds = (value: number | SQL) => sql`(${value})::float8 * interval '1 millisecond'`;

/** `now()` plus the block after failure number `count` (null below the rule's threshold). */
function blockAfter(rule: ThrottleRule, count: SQL) {
  // The exponent stops at 40 so the power never overflows; by then the cap has long applied.
  const grown = sql`least(${rule.firstBlockMs}::float8 * power(2, least(${count} - ${rule.free}, 40)), ${rule.maxBlockMs}::float8)`;
  return sql`case when ${count} >= ${rule.free} then now() + ${milliseconds(grown)} else null end`;
}

/**
 * Reserves one attempt under `key` before it is evaluated: in one statement the key's count goes up, unless
 * the key is blocked, in which case nothing changes and the attempt is refused. Concurrent attempts therefore
 * cannot all pass a check made before any of them counted: a burst is admitted up to the rule and no further.
 * The reserved attempt counts as a failure until `refund` or `succeed` says otherwise.
 */
export async function reserve(executor: Executor, key: string, rule: ThrottleRule, accountId?: number): Promise<Admission> {
  const forgotten = sql`${throttles.resetAt} <= now()`;
  const count = sql`(case when ${forgotten} then 1 else ${throttles.count} + 1 end)`;
  const [row] = await executor
    .insert(throttles)
    .values({
      key,
      accountId: accountId ?? null,
      count: 1,
      resetAt: sql`now() + ${milliseconds(rule.forgetMs)}`,
      blockedUntil: blockAfter(rule, sql`1`),
    })
    .onConflictDoUpdate({
      target: throttles.key,
      set: {
        count,
        blockedUntil: blockAfter(rule, count),
        // A remembered success (see `succeed`) may keep the key longer than a failure would.
        resetAt: sql`greatest(${throttles.resetAt}, now() + ${milliseconds(rule.forgetMs)})`,
        succeededAt: sql`case when ${forgotten} then null else ${throttles.succeededAt} end`,
      },
      setWhere: sql`${throttles.blockedUntil} is null or ${throttles.blockedUntil} <= now() or ${forgotten}`,
    })
    .returning({ count: throttles.count, blockedUntil: throttles.blockedUntil, succeededAt: throttles.succeededAt });
  if (row) return { admitted: true, reservation: { key, ...row } };
  const [blocked] = await executor.select({ blockedUntil: throttles.blockedUntil }).from(throttles).where(eq(throttles.key, key));
  return { admitted: false, blockedUntil: blocked?.blockedUntil ?? new Date() };
}

/**
 * Takes back a reservation whose attempt was not a failure (it succeeded, or it was refused further on without
 * being evaluated). A block it set goes too; a block of a key already past its threshold stays.
 */
export async function refund(executor: Executor, reservation: Reservation, rule: ThrottleRule) {
  await executor
    .update(throttles)
    .set({
      count: sql`greatest(${throttles.count} - 1, 0)`,
      blockedUntil: sql`case when ${throttles.count} - 1 < ${rule.free} then null else ${throttles.blockedUntil} end`,
    })
    .where(eq(throttles.key, reservation.key));
}

/** Marks a success under a key: its failures are forgotten, and the success is remembered for `rememberMs`. */
export async function succeed(executor: Executor, key: string, rememberMs: number) {
  await executor
    .update(throttles)
    .set({ count: 0, blockedUntil: null, succeededAt: sql`now()`, resetAt: sql`now() + ${milliseconds(rememberMs)}` })
    .where(eq(throttles.key, key));
}

/** Lifts every block and count of an account's keys (an unlock); remembered addresses stay. */
export async function clearAccount(executor: Executor, accountId: number) {
  return executor
    .update(throttles)
    .set({ count: 0, blockedUntil: null })
    .where(and(eq(throttles.accountId, accountId), sql`(${throttles.count} > 0 or ${throttles.blockedUntil} is not null)`))
    .returning({ key: throttles.key, blockedUntil: throttles.blockedUntil });
}

/** Removes keys whose counts and successes are forgotten (housekeeping). */
export async function deleteForgottenThrottles(executor: Executor) {
  await executor.delete(throttles).where(sql`${throttles.resetAt} < now()`);
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
