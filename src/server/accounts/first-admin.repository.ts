import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { accounts } from '../db/schema.ts';

/**
 * Locks the accounts table until the transaction ends, against every other writer and every other holder of
 * this lock (SHARE ROW EXCLUSIVE conflicts with itself): two `rollcall init`s at once run one after the other,
 * and the second sees the first one's admin. Readers (sign-in) are not held up.
 */
export async function lockAccountsTable(tx: Executor) {
  await tx.execute(sql`lock table ${accounts} in share row exclusive mode`);
}

/** How many accounts the database holds, whatever their standing. */
export async function countAccounts(executor: Executor): Promise<number> {
  const [{ count }] = await executor.select({ count: sql<number>`count(*)`.mapWith(Number) }).from(accounts);
  return count;
}
