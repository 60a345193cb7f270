import { and, asc, desc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { confirmationCodes, correctionRequests, staff, units } from '../db/schema.ts';
import { schoolTypeOf } from '../../contract/unit-tree.ts';

export type CorrectionRow = typeof correctionRequests.$inferSelect;

/** Spends one code (the person confirmed). */
export async function spendCode(executor: Executor, codeId: number) {
  await executor.update(confirmationCodes).set({ usedAt: new Date(), sessionHash: null }).where(eq(confirmationCodes.id, codeId));
}

export async function insertCode(executor: Executor, input: { staffId: number; codeHash: string; expiresAt: Date; createdBy: number }) {
  await executor.insert(confirmationCodes).values(input);
}

/** A code by its hash, with the ID number and school of its live record. */
export async function findCodeByHash(executor: Executor, codeHash: string) {
  const [found] = await executor
    .select({ code: confirmationCodes, idNumber: staff.idNumber, schoolCode: staff.schoolCode })
    .from(confirmationCodes)
    .innerJoin(staff, eq(staff.id, confirmationCodes.staffId))
    .where(and(eq(confirmationCodes.codeHash, codeHash), isNull(staff.deletedAt)))
    .limit(1);
  return found;
}

/**
 * Counts one attempt on an unused, unlocked code as a failure, in one statement; the `maxFailures`-th locks
 * it for `lockMs`, each later one twice as long, up to `maxLockMs`. Null when the code is used or locked.
 */
export async function countCodeFailure(executor: Executor, codeId: number, limits: { maxFailures: number; lockMs: number; maxLockMs: number }) {
  const failures = sql`${confirmationCodes.failedAttempts} + 1`;
  const lock = sql`least(${limits.lockMs}::float8 * power(2, least(${failures} - ${limits.maxFailures}, 40)), ${limits.maxLockMs}::float8)`;
  const [row] = await executor
    .update(confirmationCodes)
    .set({
      failedAttempts: failures,
      lockedUntil: sql`case when ${failures} >= ${limits.maxFailures} then now() + (${lock}) * interval '1 millisecond' else null end`,
    })
    .where(and(eq(confirmationCodes.id, codeId), isNull(confirmationCodes.usedAt), or(isNull(confirmationCodes.lockedUntil), lte(confirmationCodes.lockedUntil, sql`now()`))))
    .returning({ failures: confirmationCodes.failedAttempts, lockedUntil: confirmationCodes.lockedUntil });
  return row ?? null;
}

/** Opens a session on a code (the right suffix also clears its failures). */
export async function openCodeSession(executor: Executor, codeId: number, sessionHash: string, sessionExpiresAt: Date) {
  await executor
    .update(confirmationCodes)
    .set({ sessionHash, sessionExpiresAt, failedAttempts: 0, lockedUntil: null })
    .where(eq(confirmationCodes.id, codeId));
}

/** The live record an open, unexpired session opens, with its code and school. */
export async function findSession(executor: Executor, sessionHash: string) {
  const [found] = await executor
    .select({ code: confirmationCodes, record: staff, school: { code: units.code, name: units.name, schoolType: units.schoolType } })
    .from(confirmationCodes)
    .innerJoin(staff, eq(staff.id, confirmationCodes.staffId))
    .innerJoin(units, eq(units.code, staff.schoolCode))
    .where(and(eq(confirmationCodes.sessionHash, sessionHash), gt(confirmationCodes.sessionExpiresAt, new Date()), isNull(confirmationCodes.usedAt), isNull(staff.deletedAt)))
    .limit(1);
  return found && { ...found, school: { name: found.school.name, schoolType: schoolTypeOf(found.school) } };
}

export async function insertCorrection(executor: Executor, input: { staffId: number; fields: unknown }) {
  await executor.insert(correctionRequests).values(input);
}

/** A record's latest correction request. */
export async function latestCorrection(executor: Executor, staffId: number) {
  const [latest] = await executor.select().from(correctionRequests).where(eq(correctionRequests.staffId, staffId)).orderBy(desc(correctionRequests.id)).limit(1);
  return latest;
}

export async function findCorrection(executor: Executor, id: number) {
  const [row] = await executor.select().from(correctionRequests).where(eq(correctionRequests.id, id)).limit(1);
  return row;
}

export async function listCorrections(executor: Executor, staffId: number) {
  return executor.select().from(correctionRequests).where(eq(correctionRequests.staffId, staffId)).orderBy(asc(correctionRequests.id));
}

/** Records the school's decision on a request. */
export async function decideCorrection(executor: Executor, id: number, decision: { status: 'accepted' | 'rejected'; reason?: string; decidedBy: number }) {
  await executor.update(correctionRequests).set({ ...decision, decidedAt: new Date() }).where(eq(correctionRequests.id, id));
}
