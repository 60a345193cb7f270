import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignPlan } from '../../standard/campaign.ts';
import type { RecordState } from '../../contract/record-states.ts';
import { resultRows } from '../db/client.ts';
import { packages, staff, staffEvents, taskCompletions } from '../db/schema.ts';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { auditEventsFor, makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';
import { addDays, chinaDate } from '../campaign/tasks.ts';
import type { CampaignRow } from '../campaign/campaign.service.ts';
import type { BulletinRow } from './bulletin.figures.ts';

let t: TestApp;
let campaign: CampaignRow;
let province: TestClient;
let provinceViewer: TestClient;
let prefecture: TestClient;
let county: TestClient;
let university: TestClient;
let furong: TestClient;
const today = chinaDate(new Date());
const yesterday = addDays(today, -1);
/** The first week's activity happened yesterday: a bulletin dated yesterday counts it. */
const yesterdayNoon = new Date(`${yesterday}T12:00:00+08:00`);
const schoolA = '2430102001';
const schoolB = '2430102002';
const schoolZ = '2430202001';
const universityA = '4430104001';
const universityB = '4430103002';
let serial = 0;

/** Inserts `count` live records at a school in one state; returns their ids. */
async function records(schoolCode: string, count: number, status: RecordState, findings: unknown[] = []) {
  const ids: number[] = [];
  for (let i = 0; i < count; i += 1) {
    serial += 1;
    const [row] = await t.database.db.insert(staff).values({ campaignId: campaign.id, schoolCode, status, findings, ...validStaffValues(serial), createdAt: yesterdayNoon }).returning();
    ids.push(row.id);
  }
  return ids;
}

async function returnedOnce(ids: number[], at = new Date()) {
  await t.database.db.insert(staffEvents).values(ids.map((staffId) => ({ staffId, event: 'return' as const, fromState: 'confirmed' as const, toState: 'returned' as const, actorKind: 'school' as const, reason: '姓名有误', at })));
}

async function insertPackage(unitCode: string, receiverCode: string, status: 'submitted' | 'approved') {
  await t.database.db.insert(packages).values({
    campaignId: campaign.id, unitCode, receiverCode, versionNo: 1, status, recordCount: 1, expectedCount: 1, contentHash: '0'.repeat(64),
    signedBy: 1, signedAt: yesterdayNoon, submittedBy: 1, submittedAt: yesterdayNoon,
    decidedAt: status === 'approved' ? yesterdayNoon : null, approvedAt: status === 'approved' ? yesterdayNoon : null,
  });
}

/** Independent counts straight from the tables, for a prefecture's subtree (universities excluded) or a university. */
async function directCounts(code: string, group: 'prefecture' | 'university') {
  const scope = group === 'prefecture' ? sql`u.path like ${`430000.${code}.%`} and u.school_type <> 'higher_ed'` : sql`u.code = ${code}`;
  const [row] = resultRows<Record<string, string | number>>(
    await t.database.db.execute(sql`
      select
        (select count(*) from units u where u.kind = 'school' and ${scope}) as schools,
        (select coalesce(sum(u.expected_staff), 0) from units u where u.kind = 'school' and ${scope}) as expected,
        (select count(*) from staff s join units u on u.code = s.school_code where s.deleted_at is null and ${scope}) as live,
        (select count(*) from staff s join units u on u.code = s.school_code where s.deleted_at is null and s.status = 'approved' and ${scope}) as approved,
        (select count(*) from staff s join units u on u.code = s.school_code where s.deleted_at is null and ${scope}
           and exists (select 1 from staff_events e where e.staff_id = s.id and e.event = 'return')) as returned,
        (select count(*) from staff s join units u on u.code = s.school_code where s.deleted_at is null and ${scope}
           and s.findings <> '[]'::jsonb) as findings,
        (select count(*) from staff s join units u on u.code = s.school_code where s.deleted_at is null and ${scope}
           and (s.findings <> '[]'::jsonb or exists (select 1 from staff_events e where e.staff_id = s.id and e.event = 'return'))) as problems,
        (select count(*) from units u where u.kind = 'school' and ${scope} and exists (
           select 1 from packages p where p.unit_code = u.code and p.status = 'approved'
             and p.version_no = (select max(q.version_no) from packages q where q.unit_code = u.code))) as schools_approved`),
  );
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
}

/** Deadlines up to `asOf` a unit of each level carries, from the plan: dated manual tasks, submissions, reviews. */
function deadlinesPerUnit(level: keyof CampaignPlan['levels'], asOf: string) {
  return (campaign.plan).levels[level].tasks.filter(
    (task) => task.due && task.due <= asOf && (!task.observable || ['submit', 'review', 'contacts'].includes(task.observable)),
  ).length;
}

const rowOf = (body: { rows: BulletinRow[] }, code: string) => body.rows.find((row) => row.code === code)!;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  campaign = await makeCampaign(db);
  await makeSchool(db, { countyCode: '430102', serial: 1, expectedStaff: 4 });
  await makeSchool(db, { countyCode: '430102', serial: 2, expectedStaff: 3 });
  await makeSchool(db, { countyCode: '430202', serial: 1, expectedStaff: 2 });
  await makeSchool(db, { countyCode: '430104', schoolType: 'higher_ed', serial: 1, expectedStaff: 5 });
  await makeSchool(db, { countyCode: '430103', schoolType: 'higher_ed', serial: 2, expectedStaff: 2 });
  province = await t.login((await makeAccount(db, { unitCode: '430000' })).username);
  provinceViewer = await t.login((await makeAccount(db, { unitCode: '430000', role: 'viewer' })).username);
  prefecture = await t.login((await makeAccount(db, { unitCode: '430100' })).username);
  county = await t.login((await makeAccount(db, { unitCode: '430102' })).username);
  furong = county;
  university = await t.login((await makeAccount(db, { unitCode: universityA })).username);

  // A week of activity: 长沙's schools enter, confirm and approve; one record returned once, one with findings,
  // one deleted; 株洲's school has started; one university approved everything and submitted.
  const approvedA = await records(schoolA, 3, 'approved');
  await returnedOnce(approvedA.slice(0, 1), yesterdayNoon);
  await records(schoolA, 1, 'confirmed', [{ code: 'age_range', message: '年龄偏大' }]);
  await records(schoolB, 1, 'draft');
  const [deleted] = await records(schoolB, 1, 'approved');
  await db.update(staff).set({ deletedAt: yesterdayNoon }).where(eq(staff.id, deleted));
  await records(schoolZ, 1, 'awaiting_confirmation');
  await records(universityA, 5, 'approved');
  await insertPackage(schoolA, '430102', 'approved');
  await insertPackage(universityA, '430000', 'submitted');
  // 芙蓉区 issued its implementation plan a day before it was due, and the university trained two days
  // before; 天心区 marked its plan late (today). A task is on time by the moment it was marked: the two on
  // time were marked then (their marking time is set back here, as if marked on those days).
  const countyPlanDue = (campaign.plan).levels.county.tasks[0].due!;
  expect((await furong.post('/api/units/430102/tasks/county-1/done', { doneOn: addDays(countyPlanDue, -1), note: '已印发' })).statusCode).toBe(200);
  const tianxin = await t.login((await makeAccount(db, { unitCode: '430103' })).username);
  expect((await tianxin.post('/api/units/430103/tasks/county-1/done', { doneOn: today, note: '补发' })).statusCode).toBe(200);
  expect((await university.post(`/api/units/${universityA}/tasks/higher_ed-2/done`, { doneOn: addDays(countyPlanDue, -2), note: '已开展培训' })).statusCode).toBe(200);
  const markedOn = async (unitCode: string, day: string) =>
    db.update(taskCompletions).set({ doneAt: new Date(`${day}T10:00:00+08:00`) }).where(eq(taskCompletions.unitCode, unitCode));
  await markedOn('430102', addDays(countyPlanDue, -1));
  await markedOn(universityA, addDays(countyPlanDue, -2));
});
afterAll(() => t.close());

describe('bulletins: who may draft and read', () => {
  it('refuses drafting to all but the province\'s admin, and listing to counties', async () => {
    expect((await t.anonymous().post('/api/bulletins', { asOf: today })).statusCode).toBe(401);
    expect((await provinceViewer.post('/api/bulletins', { asOf: today })).statusCode).toBe(403);
    expect((await prefecture.post('/api/bulletins', { asOf: today })).statusCode).toBe(403);
    expect((await county.get('/api/bulletins')).statusCode).toBe(403);
    expect((await province.post('/api/bulletins', { asOf: 'tomorrow' })).statusCode).toBe(400);
    expect((await province.post('/api/bulletins', { asOf: today, weights: { completion: 0.5, timeliness: 0.5, quality: 0.5 } })).statusCode).toBe(400);
  });
});

describe('a bulletin\'s figures', () => {
  let first: { id: number; version: number };
  let second: { id: number; version: number; rows: BulletinRow[] };

  it('equal direct counts of the data for every prefecture and university', async () => {
    const response = await province.post('/api/bulletins', { asOf: yesterday });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    first = body;
    expect(body).toMatchObject({ status: 'draft', asOf: yesterday, weights: { completion: 0.5, timeliness: 0.3, quality: 0.2 }, previous: null });
    expect(body.rows.filter((row: BulletinRow) => row.group === 'prefecture')).toHaveLength(14);
    expect(body.rows.filter((row: BulletinRow) => row.group === 'university').map((row: BulletinRow) => row.code).sort()).toEqual([universityB, universityA].sort());
    for (const row of body.rows as BulletinRow[]) {
      const direct = await directCounts(row.code, row.group);
      expect(
        { schools: row.schools, expected: row.expectedStaff, live: row.liveStaff, approved: row.approvedStaff, returned: row.returned, findings: row.withFindings, problems: row.withProblems, schools_approved: row.schoolsApproved },
        row.name,
      ).toEqual(direct);
    }
    const changsha = rowOf(body, '430100');
    expect(changsha).toMatchObject({ schools: 2, expectedStaff: 7, liveStaff: 5, approvedStaff: 3, returned: 1, withFindings: 1, schoolsApproved: 1 });
    expect(changsha.completion).toBeCloseTo(3 / 7, 4);
    expect(changsha.quality).toBeCloseTo(1 - 2 / 5, 4);
  });

  it('counts the deadlines passed and met over the subtree, and scores with the stated weights', async () => {
    const body = (await province.get(`/api/bulletins/${first.id}`)).json();
    const changsha = rowOf(body, '430100');
    const countiesOfChangsha = 9;
    expect(changsha.deadlines).toBe(deadlinesPerUnit('prefecture', yesterday) + countiesOfChangsha * deadlinesPerUnit('county', yesterday) + 2 * deadlinesPerUnit('school', yesterday));
    // Only 芙蓉区's plan was on time (天心区 marked it today, after its due date).
    expect(changsha.deadlinesMet).toBe(1);
    expect(changsha.timeliness).toBeCloseTo(1 / changsha.deadlines, 4);
    const score = Math.round(1000 * (0.5 * changsha.completion + 0.3 * changsha.timeliness + 0.2 * changsha.quality!)) / 10;
    expect(changsha.score).toBe(score);
    const uniA = rowOf(body, universityA);
    expect(uniA).toMatchObject({ completion: 1, quality: 1, deadlinesMet: 1 });
    expect(uniA.deadlines).toBe(deadlinesPerUnit('higher_ed', yesterday));
    // Ranks: 长沙 leads the prefectures; every prefecture with nothing done ties below it and is named for 约谈.
    // 株洲 has entered a record but reviewed none: it has no quality, so it ties with them.
    expect(changsha.ranks.overall).toBe(1);
    expect(changsha.watch).toBe(false);
    expect(rowOf(body, '430200')).toMatchObject({ liveStaff: 1, reviewedStaff: 0, quality: null, ranks: { quality: null } });
    const idle = body.rows.filter((row: BulletinRow) => row.group === 'prefecture' && row.code !== '430100');
    expect(idle).toHaveLength(13);
    expect(idle.every((row: BulletinRow) => row.ranks.overall === 2 && row.watch)).toBe(true);
    expect(changsha.slowest.map((county: { code: string }) => county.code)).not.toContain('430102');
    expect(uniA.ranks.overall).toBe(1);
  });

  it('recomputes a draft with the province\'s weights, refusing a stale version', async () => {
    const stale = await province.patch(`/api/bulletins/${first.id}`, { version: first.version + 5, weights: { completion: 1, timeliness: 0, quality: 0 } });
    expect(stale.statusCode).toBe(409);
    const changed = await province.patch(`/api/bulletins/${first.id}`, { version: first.version, weights: { completion: 1, timeliness: 0, quality: 0 }, watchRule: { bottom: 1, belowScore: 10 } });
    expect(changed.statusCode, changed.body).toBe(200);
    const changsha = rowOf(changed.json(), '430100');
    expect(changsha.score).toBe(Math.round(1000 * changsha.completion) / 10);
    first = changed.json();
    expect((await auditEventsFor(t.database.db, first.id, 'bulletin')).map((e) => e.action)).toEqual(['bulletin.draft', 'bulletin.update']);
  });

  it('publishes: frozen, listed for prefectures and universities, no longer editable, audited', async () => {
    expect((await prefecture.get(`/api/bulletins/${first.id}`)).statusCode).toBe(404);
    expect((await prefecture.get('/api/bulletins')).json().items).toEqual([]);
    expect((await prefecture.post(`/api/bulletins/${first.id}/publish`, { version: first.version })).statusCode).toBe(404);
    const published = await province.post(`/api/bulletins/${first.id}/publish`, { version: first.version });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published', abilities: { edit: false, publish: false } });
    first = published.json();
    expect((await province.patch(`/api/bulletins/${first.id}`, { version: first.version, remarks: 'x' })).statusCode).toBe(409);
    expect((await province.request('DELETE', `/api/bulletins/${first.id}`)).statusCode).toBe(409);
    expect((await prefecture.get('/api/bulletins')).json().items.map((item: { id: number }) => item.id)).toEqual([first.id]);
    expect((await university.get(`/api/bulletins/${first.id}`)).statusCode).toBe(200);
    expect((await county.get(`/api/bulletins/${first.id}`)).statusCode).toBe(404);
    const actions = (await auditEventsFor(t.database.db, first.id, 'bulletin')).map((e) => e.action);
    expect(actions.at(-1)).toBe('bulletin.publish');
  });

  it('compares the next bulletin week-on-week with the published one', async () => {
    // More activity: 长沙's second school approves its record; 株洲's school is returned once.
    await t.database.db.update(staff).set({ status: 'approved' }).where(eq(staff.schoolCode, schoolB));
    const zhuzhou = await t.database.db.select({ id: staff.id }).from(staff).where(eq(staff.schoolCode, schoolZ));
    await returnedOnce(zhuzhou.map((row) => row.id));
    const response = await province.post('/api/bulletins', { asOf: today });
    expect(response.statusCode).toBe(201);
    second = response.json();
    expect(second).toMatchObject({ previous: { id: first.id }, weights: { completion: 1, timeliness: 0, quality: 0 } });
    const before = rowOf(first as never, '430100');
    const after = rowOf(second, '430100');
    expect(after.approvedStaff).toBe(before.approvedStaff + 1);
    expect(after.change).toEqual({
      completion: Math.round((after.completion - before.completion) * 10_000) / 10_000,
      timeliness: Math.round((after.timeliness - before.timeliness) * 10_000) / 10_000,
      quality: Math.round((after.quality! - before.quality!) * 10_000) / 10_000,
      score: Math.round((after.score - before.score) * 10) / 10,
      rank: before.ranks.overall - after.ranks.overall,
    });
    expect(rowOf(second, '430200').returned).toBe(1);
    const direct = await directCounts('430200', 'prefecture');
    expect(rowOf(second, '430200').returned).toBe(direct.returned);
  });

  it('exports a workbook with a sheet per group in rank order', async () => {
    const response = await province.get(`/api/bulletins/${first.id}/export`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['市州', '高等学校', '说明']);
    const prefectures = workbook.getWorksheet('市州')!;
    expect(prefectures.getCell(3, 2).value).toBe('长沙市');
    expect(prefectures.getCell(3, 8).value).toBe(rowOf(first as never, '430100').approvedStaff);
    // The shortfall beside the records; a quality of a unit that has reviewed nothing reads —.
    const column = (header: string) => (prefectures.getRow(2).values as unknown[]).indexOf(header);
    expect(prefectures.getCell(3, column('缺口人数')).value).toBe(rowOf(first as never, '430100').shortfall);
    const zhuzhou = [...Array(prefectures.rowCount).keys()].map((i) => prefectures.getRow(i + 1)).find((row) => row.getCell(2).value === '株洲市')!;
    expect([zhuzhou.getCell(column('缺口人数')).value, zhuzhou.getCell(column('质量(%)')).value, zhuzhou.getCell(column('质量排名')).value]).toEqual([1, '—', '—']);
    expect(prefectures.rowCount).toBe(2 + 14);
    expect((await county.get(`/api/bulletins/${first.id}/export`)).statusCode).toBe(404);
  });

  it('deletes a draft, audited', async () => {
    expect((await province.request('DELETE', `/api/bulletins/${second.id}`)).statusCode).toBe(200);
    expect((await province.get(`/api/bulletins/${second.id}`)).statusCode).toBe(404);
    expect((await auditEventsFor(t.database.db, second.id, 'bulletin')).map((e) => e.action)).toEqual(['bulletin.draft', 'bulletin.delete']);
  });
});
