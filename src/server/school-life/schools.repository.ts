import type { Executor } from '../db/client.ts';
import { units } from '../db/schema.ts';

/** Adds schools many rows to a statement (a school list of 20,000); a code taken meanwhile fails the statement. */
export async function insertSchoolUnits(executor: Executor, rows: (typeof units.$inferInsert)[]) {
  for (let start = 0; start < rows.length; start += 500) {
    await executor.insert(units).values(rows.slice(start, start + 500));
  }
}
