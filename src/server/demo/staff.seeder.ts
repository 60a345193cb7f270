import { asc, eq } from 'drizzle-orm';
import { schoolTypeSchema } from '../../standard/school-types.ts';
import { fieldKeys, type StaffValues } from '../../standard/types.ts';
import type { Executor } from '../db/client.ts';
import { columnName, units } from '../db/schema.ts';
import type { Random } from './random.ts';
import { insertStaffRecordset } from '../staff/staff.repository.ts';
import { confirmationKindOf, generateIdNumber, generateStaffValues, sexOf } from './staff.generator.ts';

const fieldColumns = fieldKeys.map(columnName);
const insertColumns = ['campaign_id', 'school_code', 'status', 'confirmed_via', ...fieldColumns];

export type SeedRow = { campaignId: number; schoolCode: string; status?: string; confirmedVia?: 'phone' | 'paper'; values: StaffValues };

/**
 * Inserts staff rows in batches through jsonb_populate_recordset: one statement per batch, the same SQL
 * on PostgreSQL and PGlite (≈30k rows/s). A row seeded confirmed or approved carries how it was confirmed:
 * its `confirmedVia`, or else a realistic mix decided by its ID number (about 85 % phone, 15 % paper); any
 * other row has none.
 */
export async function insertStaffRows(executor: Executor, rows: SeedRow[]) {
  for (let start = 0; start < rows.length; start += 5000) {
    const batch = rows.slice(start, start + 5000).map((row) => {
      const status = row.status ?? 'draft';
      const confirmed = status === 'confirmed' || status === 'approved';
      const record: Record<string, string | number | null> = {
        campaign_id: row.campaignId,
        school_code: row.schoolCode,
        status,
        confirmed_via: confirmed ? (row.confirmedVia ?? confirmationKindOf(row.values.idNumber ?? '')) : null,
      };
      for (const key of fieldKeys) record[columnName(key)] = row.values[key];
      return record;
    });
    await insertStaffRecordset(executor, insertColumns, batch);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Gives the province's schools `total` valid staff records, shared out in proportion to each school's
 * expected staff (so some schools fall short, as in a real campaign); ID numbers are unique.
 */
export async function seedStaff(executor: Executor, random: Random, campaignId: number, total: number, onProgress?: (done: number) => void) {
  const schools = await executor
    .select({ code: units.code, schoolType: units.schoolType, expectedStaff: units.expectedStaff })
    .from(units)
    .where(eq(units.kind, 'school'))
    .orderBy(asc(units.code));
  const expectedTotal = schools.reduce((sum, school) => sum + (school.expectedStaff ?? 0), 0);
  if (schools.length === 0 || expectedTotal === 0) return 0;
  const today = new Date();
  const seen = new Set<string>();
  let written = 0;
  let carry = 0;
  let pending: Parameters<typeof insertStaffRows>[1] = [];
  for (const [index, school] of schools.entries()) {
    const share = ((school.expectedStaff ?? 0) * total) / expectedTotal + carry;
    const count = index === schools.length - 1 ? total - written - pending.length : Math.floor(share);
    carry = share - count;
    for (let i = 0; i < count; i += 1) {
      const values = generateStaffValues(random, schoolTypeSchema.parse(school.schoolType), today);
      while (seen.has(values.idNumber!)) values.idNumber = generateIdNumber(random, values.birthDate!, sexOf(values), values.idNumber!.slice(0, 6));
      seen.add(values.idNumber!);
      pending.push({ campaignId, schoolCode: school.code, values });
    }
    if (pending.length >= 10_000) {
      await insertStaffRows(executor, pending);
      written += pending.length;
      pending = [];
      onProgress?.(written);
    }
  }
  await insertStaffRows(executor, pending);
  written += pending.length;
  onProgress?.(written);
  return written;
}
