import { and, desc, eq, or } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { unlockRequests, units } from '../db/schema.ts';

export type UnlockRow = typeof unlockRequests.$inferSelect;

export async function findUnlockRequest(executor: Executor, id: number): Promise<UnlockRow | undefined> {
  const [row] = await executor.select().from(unlockRequests).where(eq(unlockRequests.id, id)).limit(1);
  return row;
}

/** The unit's request still waiting for an answer, if any. */
export async function pendingUnlockRequest(executor: Executor, unitCode: string) {
  const [row] = await executor.select({ id: unlockRequests.id }).from(unlockRequests).where(and(eq(unlockRequests.unitCode, unitCode), eq(unlockRequests.status, 'pending'))).limit(1);
  return row;
}

export async function insertUnlockRequest(executor: Executor, values: typeof unlockRequests.$inferInsert) {
  const [row] = await executor.insert(unlockRequests).values(values).returning();
  return row;
}

/** Answers a request only while it is pending: undefined when another answer came first. */
export async function answerUnlockRequest(executor: Executor, id: number, answer: Pick<UnlockRow, 'status' | 'answer' | 'decidedBy' | 'decidedAt' | 'expiresAt'>) {
  const [row] = await executor
    .update(unlockRequests)
    .set(answer)
    .where(and(eq(unlockRequests.id, id), eq(unlockRequests.status, 'pending')))
    .returning();
  return row;
}

/** The latest 200 requests of a unit and of the units reporting to it, with the asking unit's name. */
export function unlockRequestsAround(executor: Executor, unitCode: string) {
  return executor
    .select({ request: unlockRequests, unitName: units.name })
    .from(unlockRequests)
    .innerJoin(units, eq(units.code, unlockRequests.unitCode))
    .where(or(eq(unlockRequests.unitCode, unitCode), eq(units.parentCode, unitCode)))
    .orderBy(desc(unlockRequests.id))
    .limit(200);
}
