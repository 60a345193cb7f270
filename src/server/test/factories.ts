import { eq } from 'drizzle-orm';
import type { SchoolType } from '../../standard/school-types.ts';
import type { Executor } from '../db/client.ts';
import { accounts, auditEvents, units } from '../db/schema.ts';
import { hashPassword } from '../accounts/password.ts';
import { schoolCode, schoolName } from '../demo/school-names.ts';
import { insertSchools } from '../demo/schools.generator.ts';
import { counties } from '../../standard/divisions.ts';
import type { Role } from '../policy/actor.ts';

/** The password of every account the factories make. */
export const testPassword = 'test1234';

let cachedHash: Promise<string> | undefined;
let sequence = 0;

/** An account at `unitCode` with the test password (username defaults to `<unit>-<role>-<n>`). */
export async function makeAccount(executor: Executor, input: { unitCode: string; role?: Role; username?: string; disabled?: boolean }) {
  cachedHash ??= hashPassword(testPassword);
  const role = input.role ?? 'admin';
  sequence += 1;
  const [row] = await executor
    .insert(accounts)
    .values({
      username: input.username ?? `${input.unitCode}-${role}-${sequence}`,
      displayName: `测试${role}${sequence}`,
      unitCode: input.unitCode,
      role,
      passwordHash: await cachedHash,
      disabled: input.disabled ?? false,
    })
    .returning();
  return row;
}

/** A school in `countyCode` (serial picks its code: type digit + county + serial). */
export async function makeSchool(
  executor: Executor,
  input: { countyCode: string; schoolType?: SchoolType; serial?: number; expectedStaff?: number },
) {
  const schoolType = input.schoolType ?? 'k12';
  const serial = input.serial ?? 1;
  const county = counties.find((c) => c.code === input.countyCode)!;
  const school = {
    code: schoolCode(schoolType, input.countyCode, serial),
    name: schoolName(county.name, schoolType, serial),
    schoolType,
    countyCode: input.countyCode,
    expectedStaff: input.expectedStaff ?? 50,
  };
  await insertSchools(executor, [school]);
  const [row] = await executor.select().from(units).where(eq(units.code, school.code));
  return row;
}

export async function auditEventsFor(executor: Executor, targetId: string | number) {
  return executor.select().from(auditEvents).where(eq(auditEvents.targetId, String(targetId))).orderBy(auditEvents.id);
}
