import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordState } from '../../contract/record-states.ts';
import type { HistoryEvent } from '../../contract/staff.schema.ts';
import { resultRows } from '../db/client.ts';
import { staff, staffEvents } from '../db/schema.ts';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';
import { addDays, chinaDay } from './progress.ts';

/**
 * A small province and a scripted week of activity (records entered, sent, confirmed, approved, edited back,
 * one deleted, packages submitted and approved), each step dated to its day; then every figure of the
 * progress pages and trends is compared with counts written here directly against staff, staff_events,
 * packages and units.
 */
let t: TestApp;
const school1 = '2430102001';
const school2 = '2430102002';
const school3 = '2430102003';
const otherCountySchool = '2430103001';
/** Closed schools: one that never entered anyone, one closed two days ago after entering a record. */
const closedSchool = '2430102004';
const closedLateSchool = '2430103002';
const university = '4430104001';
let operators: Record<string, TestClient>;
let leader1: TestClient;
let leader2: TestClient;
let countyAdmin: TestClient;
let province: TestClient;
let prefectureViewer: TestClient;
let otherCounty: TestClient;
let campaignId: number;
let serial = 0;

const db = () => t.database.db;

async function enter(school: string, count: number) {
  const ids: number[] = [];
  for (let i = 0; i < count; i += 1) {
    serial += 1;
    const response = await operators[school].post(`/api/schools/${school}/staff`, { values: validStaffValues(serial) });
    expect(response.statusCode, response.body).toBe(201);
    ids.push(response.json().id);
  }
  return ids;
}

async function step(school: string, event: 'send_for_confirmation' | 'approve' | 'confirm_on_paper', ids: number[], reason?: string) {
  const response = await operators[school].post(`/api/schools/${school}/staff/transitions`, { event, ids, reason });
  expect(response.json().done, response.body).toBe(ids.length);
}

/** The person confirms on the phone (stood in here by the database, with what the phone page writes). */
async function confirmByPerson(ids: number[]) {
  await db().update(staff).set({ status: 'confirmed', confirmedVia: 'phone' }).where(inArray(staff.id, ids));
  await db().insert(staffEvents).values(ids.map((staffId) => ({ staffId, event: 'confirm' as const, fromState: 'awaiting_confirmation' as const, toState: 'confirmed' as const, actorKind: 'staff_member' as const })));
}

/** Runs one day's work now, then dates what it wrote `daysAgo` days back. */
async function onDay(daysAgo: number, work: () => Promise<void>) {
  const [{ started }] = resultRows<{ started: string }>(await db().execute(sql`select clock_timestamp()::text as started`));
  await work();
  const shift = sql.raw(`interval '${daysAgo} days'`);
  await db().execute(sql`update staff set created_at = created_at - ${shift} where created_at >= ${started}::timestamptz`);
  await db().execute(sql`update staff set deleted_at = deleted_at - ${shift} where deleted_at >= ${started}::timestamptz`);
  await db().execute(sql`update staff_events set at = at - ${shift} where at >= ${started}::timestamptz`);
}

type Direct = {
  schools: { expected: number; started: number; submitted: number; approved: number };
  staff: { expected: number; entered: number; shortfall: number; confirmed: number; confirmedPhone: number; confirmedPaper: number; approved: number };
};

/** The figures of the open schools under `path`, counted straight from the tables. */
async function directCounts(path: string): Promise<Direct> {
  const [row] = resultRows<Record<string, string | number | null>>(
    await db().execute(sql`
      with schools as (select code, expected_staff from units where kind = 'school' and path like ${`${path}%`} and closed_on is null),
      latest as (
        select s.code, (select p.status from packages p where p.unit_code = s.code and p.campaign_id = ${campaignId} order by p.version_no desc limit 1) as status
        from schools s
      )
      select
        (select count(*) from schools) as schools,
        (select count(*) from schools s where exists (select 1 from staff r where r.school_code = s.code and r.deleted_at is null and r.campaign_id = ${campaignId})) as started,
        (select count(*) from latest where status in ('submitted', 'approved')) as submitted,
        (select count(*) from latest where status = 'approved') as schools_approved,
        (select coalesce(sum(expected_staff), 0) from schools) as expected,
        (select count(*) from staff r join schools s on s.code = r.school_code where r.deleted_at is null and r.campaign_id = ${campaignId}) as entered,
        (select coalesce(sum(greatest(s.expected_staff - (select count(*) from staff r where r.school_code = s.code and r.deleted_at is null and r.campaign_id = ${campaignId}), 0)), 0) from schools s) as shortfall,
        (select count(*) from staff r join schools s on s.code = r.school_code where r.deleted_at is null and r.campaign_id = ${campaignId} and r.status in ('confirmed', 'approved')) as confirmed,
        (select count(*) from staff r join schools s on s.code = r.school_code where r.deleted_at is null and r.campaign_id = ${campaignId} and r.status in ('confirmed', 'approved') and r.confirmed_via = 'phone') as phone,
        (select count(*) from staff r join schools s on s.code = r.school_code where r.deleted_at is null and r.campaign_id = ${campaignId} and r.status in ('confirmed', 'approved') and r.confirmed_via = 'paper') as paper,
        (select count(*) from staff r join schools s on s.code = r.school_code where r.deleted_at is null and r.campaign_id = ${campaignId} and r.status = 'approved') as approved`),
  );
  return {
    schools: { expected: Number(row.schools), started: Number(row.started), submitted: Number(row.submitted), approved: Number(row.schools_approved) },
    staff: {
      expected: Number(row.expected),
      entered: Number(row.entered),
      shortfall: Number(row.shortfall),
      confirmed: Number(row.confirmed),
      confirmedPhone: Number(row.phone),
      confirmedPaper: Number(row.paper),
      approved: Number(row.approved),
    },
  };
}

/**
 * The records under `path` at the end of China day `day`: alive then (created, not deleted, their school not
 * closed by that day), in the state of their last event by then.
 */
async function directDay(path: string, day: string) {
  const endOfDay = `${addDays(day)}T00:00:00+08:00`;
  const [row] = resultRows<Record<string, string | number>>(
    await db().execute(sql`
      with alive as (
        select r.id, (select e.to_state from staff_events e where e.staff_id = r.id and e.at < ${endOfDay}::timestamptz order by e.id desc limit 1) as state
        from staff r join units u on u.code = r.school_code
        where u.path like ${`${path}%`} and r.campaign_id = ${campaignId} and r.created_at < ${endOfDay}::timestamptz
          and (r.deleted_at is null or r.deleted_at >= ${endOfDay}::timestamptz) and (u.closed_on is null or u.closed_on > ${day}::date)
      )
      select count(*) as entered, count(*) filter (where state in ('confirmed', 'approved')) as confirmed, count(*) filter (where state = 'approved') as approved from alive`),
  );
  return { entered: Number(row.entered), confirmed: Number(row.confirmed), approved: Number(row.approved) };
}

/** The records of a school, oldest first. */
const idsAt = async (school: string) => (await db().select({ id: staff.id }).from(staff).where(eq(staff.schoolCode, school)).orderBy(staff.id)).map((row) => row.id);

const pathOf = async (code: string) => (resultRows<{ path: string }>(await db().execute(sql`select path from units where code = ${code}`)))[0].path;

beforeAll(async () => {
  t = await createTestApp();
  const database = db();
  campaignId = (await makeCampaign(database)).id;
  for (const [countyCode, number, expectedStaff] of [['430102', 1, 4], ['430102', 2, 3], ['430102', 3, 2], ['430102', 4, 7], ['430103', 1, 5], ['430103', 2, 3]] as const) {
    await makeSchool(database, { countyCode, serial: number, expectedStaff });
  }
  await makeSchool(database, { countyCode: '430104', schoolType: 'higher_ed', serial: 1, expectedStaff: 6 });
  await database.execute(sql`update units set closed_on = ${addDays(chinaDay(new Date()), -10)}::date, closed_reason = '撤并' where code = ${closedSchool}`);
  operators = {};
  for (const school of [school1, school2, otherCountySchool, closedLateSchool]) operators[school] = await t.login((await makeAccount(database, { unitCode: school, role: 'operator' })).username);
  leader1 = await t.login((await makeAccount(database, { unitCode: school1, role: 'leader' })).username);
  leader2 = await t.login((await makeAccount(database, { unitCode: school2, role: 'leader' })).username);
  countyAdmin = await t.login((await makeAccount(database, { unitCode: '430102' })).username);
  province = await t.login((await makeAccount(database, { unitCode: '430000' })).username);
  prefectureViewer = await t.login((await makeAccount(database, { unitCode: '430100', role: 'viewer' })).username);
  otherCounty = await t.login((await makeAccount(database, { unitCode: '430103', role: 'viewer' })).username);

  // The university's records are written straight to the tables, with the events its pages would write.
  const universityRecord = async (status: RecordState, events: [HistoryEvent, RecordState | null, RecordState][]) => {
    serial += 1;
    const [row] = await database.insert(staff).values({ campaignId, schoolCode: university, status, ...validStaffValues(serial) }).returning();
    await database.insert(staffEvents).values(events.map(([event, fromState, toState]) => ({ staffId: row.id, event, fromState, toState, actorKind: 'school' as const })));
    return row.id;
  };

  const week: Record<number, () => Promise<void>> = {
    6: async () => {
      await enter(school1, 3);
      await enter(school2, 2);
      await enter(otherCountySchool, 1);
      await enter(closedLateSchool, 1);
    },
    5: async () => {
      const ids = await idsAt(school1);
      await step(school1, 'send_for_confirmation', ids);
      await confirmByPerson(ids.slice(0, 2));
    },
    4: async () => {
      const ids = await idsAt(school1);
      await step(school1, 'approve', ids.slice(0, 2));
      await universityRecord('draft', [['create', null, 'draft']]);
      await universityRecord('draft', [['create', null, 'draft']]);
    },
    3: async () => {
      const ids = (await database.select({ id: staff.id, version: staff.version }).from(staff).where(eq(staff.schoolCode, school1)).orderBy(staff.id));
      const removed = await operators[school1].request('DELETE', `/api/staff/${ids[2].id}?version=${ids[2].version}&reason=${encodeURIComponent('调离')}`);
      expect(removed.statusCode, removed.body).toBe(204);
      const second = await idsAt(school2);
      await step(school2, 'send_for_confirmation', second);
      // One person confirms on the phone, the other signs the printed slip, which the school registers.
      await confirmByPerson(second.slice(0, 1));
      await step(school2, 'confirm_on_paper', second.slice(1), '签字确认单存人事档案');
    },
    2: async () => {
      // The second school of 430103 closes, its one record still there.
      await database.execute(sql`update units set closed_on = ${addDays(chinaDay(new Date()), -2)}::date, closed_reason = '停办' where code = ${closedLateSchool}`);
      expect((await leader1.post(`/api/units/${school1}/signoff`, { explanation: '两人调离，已办手续' })).statusCode).toBe(200);
      const submitted = await operators[school1].post(`/api/units/${school1}/packages`);
      expect(submitted.statusCode, submitted.body).toBe(201);
      const approval = await countyAdmin.post(`/api/packages/${submitted.json().id}/approve`, { acceptShortfall: true, shortfallNote: '两人调离属实' });
      expect(approval.statusCode, approval.body).toBe(200);
      const universityIds = await idsAt(university);
      await database.update(staff).set({ status: 'approved', confirmedVia: 'phone' }).where(eq(staff.id, universityIds[0]));
      await database.insert(staffEvents).values([
        { staffId: universityIds[0], event: 'send_for_confirmation', fromState: 'draft', toState: 'awaiting_confirmation', actorKind: 'school' },
        { staffId: universityIds[0], event: 'confirm', fromState: 'awaiting_confirmation', toState: 'confirmed', actorKind: 'staff_member' },
        { staffId: universityIds[0], event: 'approve', fromState: 'confirmed', toState: 'approved', actorKind: 'school' },
      ]);
    },
    1: async () => {
      const second = await idsAt(school2);
      await step(school2, 'approve', second);
      expect((await leader2.post(`/api/units/${school2}/signoff`, { explanation: '一人待调入' })).statusCode).toBe(200);
      expect((await operators[school2].post(`/api/units/${school2}/packages`)).statusCode).toBe(201);
      // An approved university record is edited: it goes back to entry.
      const [first] = await database.select({ id: staff.id }).from(staff).where(eq(staff.schoolCode, university)).orderBy(staff.id).limit(1);
      await database.update(staff).set({ status: 'draft', confirmedVia: null }).where(eq(staff.id, first.id));
      await database.insert(staffEvents).values({ staffId: first.id, event: 'edit', fromState: 'approved', toState: 'draft', actorKind: 'school' });
    },
    0: async () => {
      const ids = await enter(otherCountySchool, 2);
      await step(otherCountySchool, 'send_for_confirmation', ids);
    },
  };
  for (const daysAgo of [6, 5, 4, 3, 2, 1, 0]) await onDay(daysAgo, week[daysAgo]);
});
afterAll(() => t.close());

const levels = ['430000', '430100', '430102', '430103', school1, school3, university];

describe('progress at every level', () => {
  it('answers totals equal to direct counts on every level', async () => {
    for (const code of levels) {
      const response = await province.get(`/api/units/${code}/progress`);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().totals.progress, code).toEqual(await directCounts(await pathOf(code)));
    }
  });

  it('gives every open child unit its direct counts, the idle ones included, lagging first', async () => {
    for (const code of ['430000', '430100', '430102']) {
      const body = (await province.get(`/api/units/${code}/progress`)).json();
      const childCodes = resultRows<{ code: string }>(await db().execute(sql`select code from units where parent_code = ${code} and closed_on is null`)).map((row) => row.code);
      expect(body.children.map((child: { code: string }) => child.code).sort()).toEqual(childCodes.sort());
      for (const child of body.children) expect(child.progress, child.code).toEqual(await directCounts(await pathOf(child.code)));
      const completions = body.children.map((child: { completion: number | null }) => child.completion ?? 2);
      expect(completions).toEqual([...completions].sort((a: number, b: number) => a - b));
    }
    const county = (await province.get('/api/units/430102/progress')).json();
    expect(county.children.find((child: { code: string }) => child.code === school3).progress.staff).toEqual({ expected: 2, entered: 0, shortfall: 2, confirmed: 0, confirmedPhone: 0, confirmedPaper: 0, approved: 0 });
    expect(county.totals.progress.schools).toEqual({ expected: 3, started: 2, submitted: 2, approved: 1 });
    const top = (await province.get('/api/units/430000/progress')).json();
    expect(top.children.filter((child: { kind: string }) => child.kind === 'prefecture')).toHaveLength(14);
    expect(top.children.find((child: { code: string }) => child.code === university)).toMatchObject({ kind: 'school', schoolType: 'higher_ed' });
  });

  it('splits confirmed into phone and paper, and counts each unit\'s shortfall school by school', async () => {
    for (const code of levels) {
      const { staff: figures } = (await province.get(`/api/units/${code}/progress`)).json().totals.progress;
      expect(figures.confirmedPhone + figures.confirmedPaper, code).toBe(figures.confirmed);
    }
    const county = (await province.get('/api/units/430102/progress')).json();
    // school1: 2 of 4 entered (1 deleted), school2: 2 of 3, school3: 0 of 2.
    expect(county.totals.progress.staff).toMatchObject({ expected: 9, entered: 4, shortfall: 5, confirmed: 4, confirmedPhone: 3, confirmedPaper: 1 });
    const second = county.children.find((child: { code: string }) => child.code === school2);
    expect(second.progress.staff).toMatchObject({ confirmedPhone: 1, confirmedPaper: 1, shortfall: 1 });
    expect(second.percentages.staff).toMatchObject({ confirmedPhone: 33.3, confirmedPaper: 33.3, shortfall: 33.3 });
    const confirmedStage = county.funnel.find((stage: { stage: string }) => stage.stage === 'confirmed');
    expect(confirmedStage.parts.map((part: { kind: string; value: number }) => [part.kind, part.value])).toEqual([['phone', 3], ['paper', 1]]);
  });

  it('leaves closed schools out: not expected, not listed, their records not counted', async () => {
    const county = (await province.get('/api/units/430102/progress')).json();
    expect(county.children.map((child: { code: string }) => child.code)).not.toContain(closedSchool);
    expect(county.totals.progress.schools.expected).toBe(3);
    const other = (await province.get('/api/units/430103/progress')).json();
    expect(other.children.map((child: { code: string }) => child.code)).toEqual([otherCountySchool]);
    expect(other.totals.progress.staff).toMatchObject({ expected: 5 });
    const closed = (await province.get(`/api/units/${closedLateSchool}/progress`)).json();
    expect(closed.unit.closedOn).toBe(addDays(chinaDay(new Date()), -2));
    expect(closed.totals.progress.staff).toMatchObject({ expected: 0, entered: 0 });
    // Its record counted in the trend until the day the school closed.
    const trend = (await province.get(`/api/units/${closedLateSchool}/progress/trend`)).json().days;
    expect(trend.slice(-7).map((point: { entered: number }) => point.entered)).toEqual([1, 1, 1, 1, 0, 0, 0]);
  });

  it('states percentages and the funnel from the same figures', async () => {
    const body = (await province.get('/api/units/430102/progress')).json();
    const { staff: figures } = body.totals.progress;
    expect(body.funnel.map((stage: { value: number }) => stage.value)).toEqual([figures.expected, figures.entered, figures.confirmed, figures.approved]);
    expect(body.totals.percentages.staff.approved).toBe(Math.round((figures.approved / figures.expected) * 1000) / 10);
    expect(body.chain.map((link: { code: string }) => link.code)).toEqual(['430000', '430100', '430102']);
  });

  it('draws each campaign day from the records as they stood at the end of that day', async () => {
    const today = chinaDay(new Date());
    for (const code of levels) {
      const body = (await province.get(`/api/units/${code}/progress/trend`)).json();
      const path = await pathOf(code);
      const days = body.days as { day: string; entered: number; confirmed: number; approved: number }[];
      expect(days.at(-1)!.day).toBe(today);
      for (const point of days.slice(-8)) expect(point, `${code} ${point.day}`).toEqual({ day: point.day, ...(await directDay(path, point.day)) });
      const now = await directCounts(path);
      expect(days.at(-1)).toMatchObject({ entered: now.staff.entered, confirmed: now.staff.confirmed, approved: now.staff.approved });
      expect(body.expectedStaff).toBe(now.staff.expected);
    }
    const county = (await province.get('/api/units/430102/progress/trend')).json().days;
    expect(county.slice(-7).map((point: { entered: number }) => point.entered)).toEqual([5, 5, 5, 4, 4, 4, 4]);
  });

  it('keeps stored days as they were and counts today live', async () => {
    const before = (await province.get('/api/units/430000/progress/trend')).json().days;
    await enter(otherCountySchool, 1);
    const after = (await province.get('/api/units/430000/progress/trend')).json().days;
    expect(after.slice(0, -1)).toEqual(before.slice(0, -1));
    expect(after.at(-1).entered).toBe(before.at(-1).entered + 1);
    expect((await province.get('/api/units/430000/progress')).json().totals.progress).toEqual(await directCounts('430000.'));
  });

  it('keeps every school\'s counters equal to a recount of its records, through a hard delete and a move too', async () => {
    const recount = async () =>
      resultRows<Record<string, string | number>>(
        await db().execute(sql`
          select s.code,
            (select count(*) from staff r where r.school_code = s.code and r.deleted_at is null) as entered,
            (select count(*) from staff r where r.school_code = s.code and r.deleted_at is null and r.status in ('confirmed', 'approved')) as confirmed,
            (select count(*) from staff r where r.school_code = s.code and r.deleted_at is null and r.status = 'approved') as approved,
            coalesce(c.entered, 0) as counted_entered, coalesce(c.confirmed, 0) as counted_confirmed, coalesce(c.approved, 0) as counted_approved
          from units s left join progress_school_counts c on c.school_code = s.code and c.campaign_id = ${campaignId}
          where s.kind = 'school' order by s.code`),
      ).map((row) => ({ code: String(row.code), counted: [row.counted_entered, row.counted_confirmed, row.counted_approved].map(Number), direct: [row.entered, row.confirmed, row.approved].map(Number) }));
    const [moved] = await idsAt(school2);
    await db().update(staff).set({ schoolCode: school3, status: 'approved' }).where(eq(staff.id, moved));
    const [removed] = await idsAt(otherCountySchool);
    await db().delete(staffEvents).where(eq(staffEvents.staffId, removed));
    await db().delete(staff).where(eq(staff.id, removed));
    const rows = await recount();
    for (const row of rows) expect(row.counted, row.code).toEqual(row.direct);
    expect(rows.find((row) => row.code === school3)!.counted).toEqual([1, 1, 1]);
  });

  it('lets a viewer read its subtree, and answers 404 outside it and 401 without a session', async () => {
    expect((await prefectureViewer.get('/api/units/430102/progress')).statusCode).toBe(200);
    expect((await otherCounty.get('/api/units/430102/progress')).statusCode).toBe(404);
    expect((await otherCounty.get(`/api/units/${school1}/progress/trend`)).statusCode).toBe(404);
    expect((await otherCounty.get('/api/units/430000/progress')).statusCode).toBe(404);
    expect((await t.anonymous().get('/api/units/430102/progress')).statusCode).toBe(401);
    const own = (await otherCounty.get('/api/units/430103/progress')).json();
    expect(own.chain.map((link: { reachable: boolean }) => link.reachable)).toEqual([false, false, true]);
  });
});
