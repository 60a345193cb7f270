import { counties, prefectures, province } from '../../standard/divisions.ts';
import type { Executor } from './client.ts';
import { units } from './schema.ts';
import { childPath } from '../../contract/unit-tree.ts';

/** The province, its 市州 and 县市区 as unit rows. */
export function divisionUnits() {
  const provincePath = childPath('', province.code);
  const rows: (typeof units.$inferInsert)[] = [
    { code: province.code, name: province.name, kind: 'province', parentCode: null, path: provincePath, depth: 0 },
  ];
  for (const prefecture of prefectures) {
    const prefecturePath = childPath(provincePath, prefecture.code);
    rows.push({
      code: prefecture.code,
      name: prefecture.name,
      kind: 'prefecture',
      parentCode: province.code,
      path: prefecturePath,
      depth: 1,
    });
    for (const county of counties.filter((c) => c.prefectureCode === prefecture.code)) {
      rows.push({
        code: county.code,
        name: county.name,
        kind: 'county',
        parentCode: prefecture.code,
        path: childPath(prefecturePath, county.code),
        depth: 2,
        countyCode: county.code,
      });
    }
  }
  return rows;
}

/**
 * Loads the division tree (idempotent: existing rows keep their data). The divisions are reference data that
 * comes with the schema, so the migrator writes them here; every other unit is written by org.
 */
export async function loadDivisions(executor: Executor): Promise<void> {
  await executor.insert(units).values(divisionUnits()).onConflictDoNothing({ target: units.code });
}
