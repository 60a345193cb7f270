import { sql } from 'drizzle-orm';
import { resultRows, type Executor } from '../db/client.ts';

/**
 * Counts one attempt under `key` in a window and says whether it is still within `limit`. Kept in the
 * database, so every app server shares the count.
 */
export async function withinLimit(executor: Executor, key: string, limit: number, windowMs: number): Promise<boolean> {
  const result = await executor.execute(sql`
    insert into throttles (key, count, reset_at) values (${key}, 1, now() + ${`${windowMs} milliseconds`}::interval)
    on conflict (key) do update set
      count = case when throttles.reset_at < now() then 1 else throttles.count + 1 end,
      reset_at = case when throttles.reset_at < now() then excluded.reset_at else throttles.reset_at end
    returning count`);
  const [row] = resultRows<{ count: number | string }>(result);
  return Number(row.count) <= limit;
}
