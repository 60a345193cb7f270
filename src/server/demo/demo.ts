import { eq } from 'drizzle-orm';
import { counties, prefectures, province } from '../../standard/divisions.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import type { Database } from '../db/client.ts';
import { accounts, settings } from '../db/schema.ts';
import { hashPassword } from '../accounts/password.ts';
import { demoMotionCounty, putCampaignInMotion } from './demo-motion.ts';
import { schoolAdminAccount } from './demo-accounts.ts';
import { createCampaignFromPlan } from '../campaign/campaign.service.ts';
import { chinaDay } from '../../standard/normalize.ts';
import type { Role } from '../../contract/roles.ts';
import { createRandom } from './random.ts';
import { insertSchools, schoolsFromCounts, type GeneratedSchool } from './schools.generator.ts';
import { generateIdNumber, generateStaffValues, sexOf } from './staff.generator.ts';
import { insertStaffRows } from './staff.seeder.ts';

/** The password of every demo account. */
export const demoPassword = 'demo1234';
/** 长沙市: the fully populated prefecture of the demo. */
export const demoPrefectureCode = '430100';

export type DemoLogin = { role: Role; username: string; unit: string };

/** The demo's schools: every type in each county of 长沙市; one or two schools per county elsewhere. */
export function demoSchools(): GeneratedSchool[] {
  const random = createRandom(2013);
  const plan = counties.map((county) => {
    const full = county.prefectureCode === demoPrefectureCode;
    const firstOfPrefecture = prefectures.find((p) => p.code === county.prefectureCode)!.counties[0].code === county.code;
    const counts: Partial<Record<SchoolType, number>> = full
      ? { k12: 6, vocational: 1, special: 1, higher_ed: 1 }
      : { k12: firstOfPrefecture ? 2 : 1, vocational: firstOfPrefecture ? 1 : 0 };
    return { countyCode: county.code, counts };
  });
  return schoolsFromCounts(random, plan);
}

/**
 * Staff of the demo: 长沙市's schools have entered most of their people (60–95 % of the expected count);
 * elsewhere the first school of each prefecture has started.
 */
function demoStaff(schools: GeneratedSchool[], campaignId: number, today: Date) {
  const random = createRandom(441);
  const seen = new Set<string>();
  const rows: Parameters<typeof insertStaffRows>[1] = [];
  for (const school of schools) {
    const inChangsha = counties.find((c) => c.code === school.countyCode)?.prefectureCode === demoPrefectureCode;
    // The schools the demo's campaign moves on (see demo-motion.ts) have entered most of their people too.
    const share = inChangsha ? 0.6 + random.next() * 0.35 : demoMotionCounty(school.countyCode) ? 0.75 + random.next() * 0.2 : school.code.endsWith('001') && school.schoolType === 'k12' ? 0.3 : 0;
    const count = Math.min(Math.floor(school.expectedStaff * share), 400);
    for (let i = 0; i < count; i += 1) {
      const values = generateStaffValues(random, school.schoolType, today);
      while (seen.has(values.idNumber!)) values.idNumber = generateIdNumber(random, values.birthDate!, sexOf(values));
      seen.add(values.idNumber!);
      rows.push({ campaignId, schoolCode: school.code, values });
    }
  }
  return rows;
}

export async function isDemoLoaded(db: Database): Promise<boolean> {
  const [row] = await db.select().from(settings).where(eq(settings.key, 'demo')).limit(1);
  return row !== undefined;
}

/**
 * Loads the demo province: schools, a campaign dated so that today (China's calendar day, whatever the hour)
 * falls in the schools' entry week (the 2013 plan moved by whole weeks, so its Fridays stay Fridays), and one
 * account per unit following one rule — a unit's code is its admin's username (a school's, its operator's),
 * `admin` is the province admin too, every school and university has its admin `<code>-admin`, every unit has
 * `<code>-leader`, and 长沙市's units also `<code>-viewer`. All use demo1234.
 */
export async function loadDemo(db: Database, today = new Date()): Promise<DemoLogin[]> {
  const schools = demoSchools();
  await insertSchools(db, schools);
  const changsha = (code: string, countyCode?: string) =>
    code === province.code || code === demoPrefectureCode || counties.find((c) => c.code === (countyCode ?? code))?.prefectureCode === demoPrefectureCode;
  const planned: { username: string; displayName: string; role: Role; unitCode: string }[] = [
    { username: 'admin', displayName: '省级管理员', role: 'admin', unitCode: province.code },
  ];
  const divisions = [province, ...prefectures, ...counties];
  for (const unit of divisions) {
    planned.push({ username: unit.code, displayName: `${unit.name}管理员`, role: 'admin', unitCode: unit.code });
  }
  for (const school of schools) {
    planned.push({ username: school.code, displayName: `${school.name}人事专干`, role: 'operator', unitCode: school.code });
    // 学校管理员: the school's own tasks (training), its accounts and a university's responsible persons.
    planned.push(...schoolAdminAccount(school));
  }
  const everyUnit: { code: string; name: string; countyCode?: string }[] = [...divisions, ...schools];
  for (const unit of everyUnit) {
    // Every unit has its leader (负责人), who signs its submissions; 长沙市's units also have a viewer.
    planned.push({ username: `${unit.code}-leader`, displayName: `${unit.name}负责人`, role: 'leader', unitCode: unit.code });
    if (changsha(unit.code, unit.countyCode)) planned.push({ username: `${unit.code}-viewer`, displayName: `${unit.name}查看员`, role: 'viewer', unitCode: unit.code });
  }
  // Every demo account has the same published password, so one Argon2id hash serves them all.
  const passwordHash = await hashPassword(demoPassword);
  await db.transaction(async (tx) => {
    for (let start = 0; start < planned.length; start += 500) {
      await tx
        .insert(accounts)
        .values(planned.slice(start, start + 500).map((account) => ({ ...account, passwordHash })))
        .onConflictDoNothing();
    }
    const campaign = await createCampaignFromPlan(tx, today);
    // The records' dates count from today's date in China, not from the UTC date (a day behind until 08:00).
    await insertStaffRows(tx, demoStaff(schools, campaign.id, new Date(`${chinaDay(today)}T00:00:00Z`)));
    await tx.insert(settings).values({ key: 'demo', value: { loadedAt: today.toISOString() } }).onConflictDoNothing();
  });
  await putCampaignInMotion(db, passwordHash);
  return demoLogins();
}

/** One demo login per role, as printed at start. */
export function demoLogins(): DemoLogin[] {
  const schools = demoSchools();
  const sampleSchool = schools.find((s) => s.countyCode === '430102' && s.schoolType === 'k12')!;
  const sampleUniversity = schools.find((s) => s.countyCode === '430102' && s.schoolType === 'higher_ed')!;
  return [
    { role: 'admin', username: 'admin', unit: '湖南省（省级管理员）' },
    { role: 'admin', username: '430100', unit: '长沙市（市州管理员）' },
    { role: 'admin', username: '430102', unit: '芙蓉区（县市区管理员）' },
    { role: 'admin', username: `${sampleSchool.code}-admin`, unit: `${sampleSchool.name}（学校管理员）` },
    { role: 'admin', username: `${sampleUniversity.code}-admin`, unit: `${sampleUniversity.name}（高校管理员）` },
    { role: 'operator', username: sampleSchool.code, unit: `${sampleSchool.name}（学校人事专干）` },
    { role: 'leader', username: `${sampleSchool.code}-leader`, unit: `${sampleSchool.name}（负责人）` },
    { role: 'viewer', username: '430102-viewer', unit: '芙蓉区（查看者）' },
  ];
}
