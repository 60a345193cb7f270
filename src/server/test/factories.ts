import { and, eq } from 'drizzle-orm';
import type { SchoolType } from '../../standard/school-types.ts';
import type { Executor } from '../db/client.ts';
import { accounts, auditEvents, units } from '../db/schema.ts';
import { hashPassword } from '../accounts/password.ts';
import { schoolCode, schoolName } from '../demo/school-names.ts';
import { insertSchools } from '../demo/schools.generator.ts';
import { counties } from '../../standard/divisions.ts';
import type { Role } from '../../contract/roles.ts';
import { createCampaignFromPlan, currentCampaign } from '../campaign/campaign.service.ts';
import { idCheckCharacter } from '../../standard/index.ts';

/** The password of every account the factories make. */
export const testPassword = 'test1234';

let cachedHash: Promise<string> | undefined;
let sequence = 0;

/** Numbers the accounts of each test file from 1 again (a worker runs many files in one process). */
export function restartAccountNumbers() {
  sequence = 0;
}

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

/** The audit events about one target (of one type, when given), oldest first. */
export async function auditEventsFor(executor: Executor, targetId: string | number, targetType?: string) {
  return executor
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetId, String(targetId)), targetType ? eq(auditEvents.targetType, targetType) : undefined))
    .orderBy(auditEvents.id);
}

/** The running campaign (created from the 2013 plan, dated around today, when there is none). */
export async function makeCampaign(executor: Executor) {
  const existing = await currentCampaign(executor);
  return existing ?? createCampaignFromPlan(executor, new Date());
}

/** A complete, valid k12 record for a person born on `birthDate` (an 8-digit date) with ID region `region`. */
export function validStaffValues(serial: number, options: { region?: string; birthDate?: string; sex?: '1' | '2' } = {}) {
  const region = options.region ?? '430102';
  const birth = options.birthDate ?? '19800101';
  const sex = options.sex ?? (serial % 2 === 1 ? '1' : '2');
  const sequence = String((serial * 2 + (sex === '1' ? 1 : 0)) % 1000).padStart(3, '0');
  const first17 = `${region}${birth}${sequence}`;
  const idNumber = first17 + idCheckCharacter(first17);
  return {
    name: `测试教师${serial}`,
    sex,
    nationality: '156',
    idType: '1',
    idNumber,
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    ethnicity: '01',
    political: '13',
    workStart: '2002-09',
    schoolJoin: '2010-09',
    staffSource: '11',
    staffCategory: '11',
    onPayroll: '1',
    contract: '1',
    normalGrad: '1',
    specialEdTrained: '0',
    specialEdCert: '0',
    itAbility: '3',
    freeNormal: '0',
    grassroots: '0',
    specialGrade: '0',
    countyBackbone: '0',
    psychTeacher: '0',
  };
}
