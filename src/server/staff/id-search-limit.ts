import type { Executor } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { fail, minutesUntil, release, reserve, type ThrottleRule } from '../throttle/throttle.ts';

/**
 * Above the school an ID number is found by the whole number only, so each search answers one guess yes or no.
 * Knowing a person's region, birth month and sex still leaves some 14,000 numbers; a reader who guesses is
 * stopped long before: 30 whole-number searches that find nobody hold the account's ID searches for 15 minutes,
 * doubling on each further miss up to a day. A search that finds someone is not counted as a miss.
 */
export const idSearchRule: ThrottleRule = { free: 30, firstBlockMs: 15 * 60_000, maxBlockMs: 24 * 60 * 60_000, forgetMs: 2 * 24 * 60 * 60_000 };

/** Runs an ID search of a reader who sees masked numbers under the account's limit of misses. */
export async function limitedIdSearch<T extends { total: number }>(executor: Executor, accountId: number, search: () => Promise<T>): Promise<T> {
  const admission = await reserve(executor, `id-search:${accountId}`, idSearchRule, accountId);
  if (!admission.admitted) {
    const minutes = admission.blockedUntil ? minutesUntil(admission.blockedUntil) : 1;
    throw new DomainError('rate_limited', {
      zh: `按证件号查找未找到的次数过多，证件号查找已暂停，请 ${minutes} 分钟后再试（按姓名查找不受影响）`,
      en: `Too many ID number searches found nobody; ID search is paused, try again in ${minutes} minutes (search by name still works)`,
    });
  }
  try {
    const result = await search();
    if (result.total === 0) await fail(executor, admission.reservation, idSearchRule);
    else await release(executor, admission.reservation);
    return result;
  } catch (error) {
    await release(executor, admission.reservation);
    throw error;
  }
}
