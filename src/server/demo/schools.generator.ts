import { counties, prefectures, province } from '../../standard/divisions.ts';
import { schoolTypes, type SchoolType } from '../../standard/school-types.ts';
import type { Executor } from '../db/client.ts';
import { childPath, reportingUnitCode } from '../../contract/unit-tree.ts';
import { upsertSchoolUnits } from '../org/units.repository.ts';
import type { Random } from './random.ts';
import { schoolCode, schoolName } from './school-names.ts';

export type GeneratedSchool = {
  code: string;
  name: string;
  schoolType: SchoolType;
  countyCode: string;
  expectedStaff: number;
};

const staffRange: Record<SchoolType, [number, number]> = {
  k12: [12, 120],
  vocational: [40, 220],
  special: [10, 60],
  higher_ed: [300, 2500],
};

/** Builds schools county by county from counts per type; serials restart per county and type. */
export function schoolsFromCounts(random: Random, plan: { countyCode: string; counts: Partial<Record<SchoolType, number>> }[]) {
  const schools: GeneratedSchool[] = [];
  for (const { countyCode, counts } of plan) {
    const county = counties.find((c) => c.code === countyCode)!;
    for (const schoolType of schoolTypes) {
      for (let serial = 1; serial <= (counts[schoolType] ?? 0); serial += 1) {
        const [min, max] = staffRange[schoolType];
        schools.push({
          code: schoolCode(schoolType, countyCode, serial),
          name: schoolName(county.name, schoolType, serial),
          schoolType,
          countyCode,
          expectedStaff: random.int(min, max),
        });
      }
    }
  }
  return schools;
}

/**
 * A synthetic province of `total` schools spread unevenly over the 122 counties, deterministic for a seed:
 * about 0.6 % higher education, 3 % vocational, 1 % special, the rest primary and secondary.
 */
export function syntheticSchoolCounts(random: Random, total: number) {
  const weights = counties.map(() => 0.5 + random.next());
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = new Map<string, Record<SchoolType, number>>(
    counties.map((county) => [county.code, { k12: 0, vocational: 0, special: 0, higher_ed: 0 }]),
  );
  for (let i = 0; i < total; i += 1) {
    let pick = random.next() * sum;
    let index = 0;
    while (pick > weights[index] && index < weights.length - 1) pick -= weights[index++];
    const roll = random.next();
    const type: SchoolType = roll < 0.006 ? 'higher_ed' : roll < 0.036 ? 'vocational' : roll < 0.046 ? 'special' : 'k12';
    counts.get(counties[index].code)![type] += 1;
  }
  return [...counts].map(([countyCode, byType]) => ({ countyCode, counts: byType }));
}

/** Inserts schools (upserting by code) in multi-row batches. */
export async function insertSchools(executor: Executor, schools: GeneratedSchool[], onProgress?: (done: number) => void) {
  const provincePath = childPath('', province.code);
  const countyPaths = new Map<string, string>();
  for (const prefecture of prefectures) {
    for (const county of prefecture.counties) {
      countyPaths.set(county.code, childPath(childPath(provincePath, prefecture.code), county.code));
    }
  }
  for (let start = 0; start < schools.length; start += 1000) {
    const batch = schools.slice(start, start + 1000).map((school) => {
      const parentCode = reportingUnitCode(school.schoolType, school.countyCode, province.code);
      const parentPath = parentCode === province.code ? provincePath : countyPaths.get(parentCode)!;
      return {
        code: school.code,
        name: school.name,
        kind: 'school' as const,
        parentCode,
        path: childPath(parentPath, school.code),
        depth: parentPath.split('.').length - 1,
        schoolType: school.schoolType,
        countyCode: school.countyCode,
        expectedStaff: school.expectedStaff,
      };
    });
    await upsertSchoolUnits(executor, batch);
    onProgress?.(Math.min(start + 1000, schools.length));
    await new Promise((resolve) => setImmediate(resolve));
  }
}
