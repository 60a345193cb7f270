import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultRows } from '../db/client.ts';
import { progressSchoolCounts, staff } from '../db/schema.ts';
import { createTestApp, type TestApp } from '../test/app.ts';
import { makeCampaign, makeSchool } from '../test/factories.ts';
import { createRandom } from './random.ts';
import { confirmationKind, confirmationKindOf, generateIdNumber, generateStaffValues, paperConfirmationShare } from './staff.generator.ts';
import { insertStaffRows } from './staff.seeder.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('seeded records and how they were confirmed', () => {
  it('mixes phone and paper realistically, by a random draw or by the ID number', () => {
    const random = createRandom(11);
    const drawn = Array.from({ length: 4000 }, () => confirmationKind(random));
    const ids = Array.from({ length: 4000 }, (_, i) => generateIdNumber(random, `19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`, i % 2 ? '1' : '2'));
    for (const kinds of [drawn, ids.map(confirmationKindOf)]) {
      const paper = kinds.filter((kind) => kind === 'paper').length / kinds.length;
      expect(paper).toBeGreaterThan(paperConfirmationShare - 0.03);
      expect(paper).toBeLessThan(paperConfirmationShare + 0.03);
    }
    expect(confirmationKindOf(ids[0])).toBe(confirmationKindOf(ids[0]));
  });

  it('writes confirmed_via for confirmed and approved rows only, and the progress counters count the paper ones', async () => {
    const db = t.database.db;
    const campaign = await makeCampaign(db);
    const school = await makeSchool(db, { countyCode: '430102', serial: 1 });
    const random = createRandom(5);
    const statuses = ['draft', 'awaiting_confirmation', 'confirmed', 'approved', 'returned'];
    const rows = Array.from({ length: 400 }, (_, i) => ({ campaignId: campaign.id, schoolCode: school.code, status: statuses[i % statuses.length], values: generateStaffValues(random, 'k12', new Date()) }));
    rows[2] = { ...rows[2], confirmedVia: 'paper' } as (typeof rows)[number];
    await insertStaffRows(db, rows);
    const stored = await db.select({ status: staff.status, confirmedVia: staff.confirmedVia, idNumber: staff.idNumber }).from(staff).where(eq(staff.schoolCode, school.code));
    expect(stored).toHaveLength(400);
    for (const row of stored) {
      const confirmed = row.status === 'confirmed' || row.status === 'approved';
      if (!confirmed) expect(row.confirmedVia).toBeNull();
      else if (row.idNumber === rows[2].values.idNumber) expect(row.confirmedVia).toBe('paper');
      else expect(row.confirmedVia).toBe(confirmationKindOf(row.idNumber!));
    }
    const kinds = stored.filter((row) => row.confirmedVia !== null);
    expect(kinds).toHaveLength(160);
    expect(kinds.some((row) => row.confirmedVia === 'paper')).toBe(true);
    expect(kinds.some((row) => row.confirmedVia === 'phone')).toBe(true);
    const [counts] = await db.select().from(progressSchoolCounts).where(eq(progressSchoolCounts.schoolCode, school.code));
    const [direct] = resultRows<{ paper: string }>(await db.execute(sql`select count(*)::text as paper from staff where school_code = ${school.code} and status in ('confirmed', 'approved') and confirmed_via = 'paper'`));
    expect(counts).toMatchObject({ entered: 400, confirmed: 160, confirmedPaper: Number(direct.paper) });
  });
});
