import { sql } from 'drizzle-orm';
import { resultRows, type Executor } from '../db/client.ts';

/**
 * Failed attempts counted under a key (such as a client address) in a window, kept in the database so every
 * app server shares the count. Only failures count: the staff of one school who confirm from its wifi share
 * one public address, and their successful confirmations must never lock each other out.
 */
export async function tooManyFailures(executor: Executor, key: string, limit: number): Promise<boolean> {
  const result = await executor.execute(sql`select count from throttles where key = ${key} and reset_at > now()`);
  const [row] = resultRows<{ count: number | string }>(result);
  return row !== undefined && Number(row.count) >= limit;
}

/** Counts one failure under `key`; the window starts at the first failure and the count resets after it. */
export async function countFailure(executor: Executor, key: string, windowMs: number): Promise<void> {
  await executor.execute(sql`
    insert into throttles (key, count, reset_at) values (${key}, 1, now() + ${`${windowMs} milliseconds`}::interval)
    on conflict (key) do update set
      count = case when throttles.reset_at < now() then 1 else throttles.count + 1 end,
      reset_at = case when throttles.reset_at < now() then excluded.reset_at else throttles.reset_at end`);
}
