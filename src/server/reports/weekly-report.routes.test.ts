import ExcelJS from 'exceljs';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchoolType } from '../../standard/school-types.ts';
import { datedPlan } from '../../standard/campaign.ts';
import { notifications, packages, staff, staffEvents, taskCompletions, units, weeklyReports } from '../db/schema.ts';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { auditEventsFor, makeAccount, makeSchool, validStaffValues } from '../test/factories.ts';
import { createCampaignFromPlan, type CampaignRow } from '../campaign/campaign.service.ts';
import { addDays, chinaDate } from '../campaign/tasks.ts';
import { findUnit } from '../org/units.repository.ts';
import { computeSnapshot, freezeDueReports } from './weekly-report.service.ts';
import { deploymentTaskKeys, type AreaFigures, type SchoolTypeFigures } from './weekly-figures.ts';
import { issueTable } from './weekly-layout.ts';
import { weeklyIssues } from './weekly-issues.ts';

let t: TestApp;
let campaign: CampaignRow;
const county = '430102';
const otherCounty = '430103';
const schools = { k12A: '', k12B: '', vocational: '', special: '', other: '', university: '' };
const operators: Record<string, TestClient> = {};
const leaders: Record<string, TestClient> = {};
let countyAdmin: TestClient;
let countyLeader: TestClient;
let countyViewer: TestClient;
let prefectureAdmin: TestClient;
let provinceAdmin: TestClient;

/** The fields vocational and special schools add to a k12 record. */
const extraValues: Record<string, Record<string, string>> = {
  '3': { nativePlace: '湖南', health: '1', dualTeacher: '0' },
  '5': { nativePlace: '湖南', health: '1', specialEdStart: '2002-09', specialEdGrad: '0', specialEdTrained: '1' },
};

async function enter(school: string, serials: number[]) {
  const ids: number[] = [];
  for (const serial of serials) {
    const values = { ...validStaffValues(serial), ...extraValues[school[0]] };
    const created = await operators[school].post(`/api/schools/${school}/staff`, { values });
    expect(created.statusCode, created.body).toBe(201);
    ids.push(created.json().id);
  }
  return ids;
}

/** The person confirms on the phone: the state and its kind move and the event is written, as the confirmation page does. */
async function confirm(ids: number[]) {
  const db = t.database.db;
  await db.update(staff).set({ status: 'confirmed', confirmedVia: 'phone' }).where(inArray(staff.id, ids));
  await db.insert(staffEvents).values(ids.map((staffId) => ({ staffId, event: 'confirm' as const, fromState: 'draft' as const, toState: 'confirmed' as const, actorKind: 'staff_member' as const })));
}

/** The people signed their printed slips; the school registers them as one paper batch. */
async function confirmOnPaper(school: string, ids: number[]) {
  expect((await operators[school].post(`/api/schools/${school}/confirmation-codes`, { ids })).statusCode).toBe(200);
  const result = await operators[school].post(`/api/schools/${school}/staff/transitions`, { event: 'confirm_on_paper', ids, reason: '签字确认单存人事档案' });
  expect(result.json().done, result.body).toBe(ids.length);
}

async function approve(school: string, ids: number[]) {
  const result = await operators[school].post(`/api/schools/${school}/staff/transitions`, { event: 'approve', ids });
  expect(result.json().done).toBe(ids.length);
}

async function submitSchool(school: string, explanation?: string) {
  expect((await leaders[school].post(`/api/units/${school}/signoff`, explanation ? { explanation } : {})).statusCode).toBe(200);
  const submitted = await operators[school].post(`/api/units/${school}/packages`);
  expect(submitted.statusCode, submitted.body).toBe(201);
  return submitted.json().id as number;
}

/**
 * Direct counts, independent of the report's queries: the schools of a type reporting to the counties of
 * `prefix`, their records by state now, their latest packages, the counties' tasks and packages.
 */
async function directCounts(prefix: string, types: SchoolType[]) {
  const db = t.database.db;
  const lines: Omit<SchoolTypeFigures, 'trained' | 'trainedOnBehalf'>[] = [];
  for (const type of types) {
    const typeSchools = await db.select().from(units).where(and(eq(units.kind, 'school'), eq(units.schoolType, type), sql`${units.path} like ${`${prefix}%`}`));
    const codes = typeSchools.map((school) => school.code);
    const records = codes.length ? await db.select().from(staff).where(and(inArray(staff.schoolCode, codes), isNull(staff.deletedAt))) : [];
    const latest = new Map<string, string>();
    for (const pkg of codes.length ? await db.select().from(packages).where(inArray(packages.unitCode, codes)).orderBy(packages.versionNo) : []) latest.set(pkg.unitCode, pkg.status);
    lines.push({
      schoolType: type,
      schools: codes.length,
      started: new Set(records.map((record) => record.schoolCode)).size,
      submitted: [...latest.values()].filter((status) => status !== 'returned').length,
      approved: [...latest.values()].filter((status) => status === 'approved').length,
      staffExpected: typeSchools.reduce((total, school) => total + (school.expectedStaff ?? 0), 0),
      staffEntered: records.length,
      staffConfirmed: records.filter((record) => record.status === 'confirmed' || record.status === 'approved').length,
      staffConfirmedPhone: records.filter((record) => (record.status === 'confirmed' || record.status === 'approved') && record.confirmedVia === 'phone').length,
      staffConfirmedPaper: records.filter((record) => (record.status === 'confirmed' || record.status === 'approved') && record.confirmedVia === 'paper').length,
      staffApproved: records.filter((record) => record.status === 'approved').length,
    });
  }
  const countyRows = await db.select().from(units).where(and(eq(units.kind, 'county'), sql`${units.path} like ${`${prefix}%`}`));
  const keys = deploymentTaskKeys(campaign.plan);
  const done = await db.select().from(taskCompletions).where(inArray(taskCompletions.unitCode, countyRows.map((row) => row.code)));
  const countyPackages = await db.select().from(packages).where(inArray(packages.unitCode, countyRows.map((row) => row.code)));
  return {
    lines,
    counties: {
      total: countyRows.length,
      planDone: done.filter((row) => row.taskKey === keys.countyPlan).length,
      trainingDone: done.filter((row) => row.taskKey === keys.countyTraining).length,
      submitted: countyPackages.filter((pkg) => pkg.status !== 'returned').length,
      approved: countyPackages.filter((pkg) => pkg.status === 'approved').length,
    },
  };
}

function withoutTrained(figures: AreaFigures) {
  return { counties: figures.counties, lines: figures.schoolTypes.map(({ trained: _trained, trainedOnBehalf: _onBehalf, ...line }) => line) };
}

/**
 * The day to date the campaign from: two days back, so that issue 1's Friday deadline has passed and issues
 * 2 to 4 are still ahead. The plan shifts by whole weeks, so on a Friday after the week's cut-offs two days
 * back makes that Friday issue 2's, already passed; then the nearest day that fits is taken instead.
 *
 * What fits is what the cases read: the county's issue 1 behind its cut-off (frozen, filed late) and every
 * level's issue 2 ahead (live, signed, submitted on time). Asking more — issue 1 behind at every level —
 * has no answer on a Friday between the county's cut-off (10:00) and the province's (15:00).
 */
function startWithIssueTwoAhead(now: Date): Date {
  const levels = ['county', 'prefecture', 'province'] as const;
  const fits = (day: Date) => {
    const { plan } = datedPlan(day);
    const countyIssueOneBehind = weeklyIssues(plan, 'county')[0].dueAt.getTime() < now.getTime();
    return countyIssueOneBehind && levels.every((level) => weeklyIssues(plan, level)[1].dueAt.getTime() > now.getTime() + 600_000);
  };
  const daysBack = (days: number) => new Date(now.getTime() - days * 86_400_000);
  return [2, 1, 0, 3, 4, 5, 6, 7, 8].map(daysBack).find(fits) ?? daysBack(2);
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  campaign = await createCampaignFromPlan(db, startWithIssueTwoAhead(new Date()));
  schools.k12A = (await makeSchool(db, { countyCode: county, serial: 1, expectedStaff: 3 })).code;
  schools.k12B = (await makeSchool(db, { countyCode: county, serial: 2, expectedStaff: 2 })).code;
  schools.vocational = (await makeSchool(db, { countyCode: county, schoolType: 'vocational', serial: 3, expectedStaff: 2 })).code;
  schools.special = (await makeSchool(db, { countyCode: county, schoolType: 'special', serial: 4, expectedStaff: 1 })).code;
  schools.other = (await makeSchool(db, { countyCode: otherCounty, serial: 1, expectedStaff: 4 })).code;
  schools.university = (await makeSchool(db, { countyCode: '430104', schoolType: 'higher_ed', serial: 1, expectedStaff: 9 })).code;
  for (const school of Object.values(schools)) {
    operators[school] = await t.login((await makeAccount(db, { unitCode: school, role: 'operator' })).username);
    leaders[school] = await t.login((await makeAccount(db, { unitCode: school, role: 'leader' })).username);
  }
  countyAdmin = await t.login((await makeAccount(db, { unitCode: county })).username);
  countyLeader = await t.login((await makeAccount(db, { unitCode: county, role: 'leader' })).username);
  countyViewer = await t.login((await makeAccount(db, { unitCode: county, role: 'viewer' })).username);
  prefectureAdmin = await t.login((await makeAccount(db, { unitCode: '430100' })).username);
  provinceAdmin = await t.login((await makeAccount(db, { unitCode: '430000' })).username);
});
afterAll(() => t.close());

describe('weekly issues', () => {
  it('dates the four issues with the campaign and puts each deadline on a Friday at the level\'s time', () => {
    const plan = campaign.plan;
    for (const [level, time] of [['county', '02:00'], ['prefecture', '04:00'], ['province', '07:00']] as const) {
      const issues = weeklyIssues(plan, level);
      expect(issues.map((issue) => issue.issueNo)).toEqual([1, 2, 3, 4]);
      for (const issue of issues) {
        expect(issue.dueAt.getUTCDay()).toBe(5);
        expect(issue.dueAt.toISOString().slice(11, 16)).toBe(time);
        const days = (issue.dueAt.getTime() - Date.parse(issue.date)) / 86_400_000;
        expect(days).toBeGreaterThanOrEqual(0);
        expect(days).toBeLessThan(7);
      }
    }
    // A task moved by hand does not move the weekly report.
    const edited = structuredClone(plan);
    edited.levels.province.tasks[0].due = '2030-01-01';
    expect(weeklyIssues(edited, 'county')).toEqual(weeklyIssues(plan, 'county'));
    // The county's task 开展工作部署与业务技术培训 (its role: training) is due on issue 1's date, shifted the same way.
    const training = plan.levels.county.tasks.find((task) => task.role === 'training')!;
    expect(weeklyIssues(plan, 'county')[0].date).toBe(training.due);
  });
});

describe('a scripted week: the figures equal direct counts, live and as of a moment', () => {
  let before: Awaited<ReturnType<typeof directCounts>>;
  let cutOff: Date;

  it('counts the first days of the week', async () => {
    const db = t.database.db;
    const keys = deploymentTaskKeys(campaign.plan);
    const yesterday = addDays(chinaDate(new Date()), -1);
    await db.insert(taskCompletions).values([
      { campaignId: campaign.id, unitCode: county, taskKey: keys.countyPlan!, doneOn: yesterday, note: '方案已印发', doneBy: 1 },
      { campaignId: campaign.id, unitCode: county, taskKey: keys.countyTraining!, doneOn: yesterday, note: '已培训', doneBy: 1 },
      { campaignId: campaign.id, unitCode: otherCounty, taskKey: keys.countyPlan!, doneOn: yesterday, note: '方案已印发', doneBy: 1 },
    ]);
    const a = await enter(schools.k12A, [1, 2, 3]);
    await confirm(a.slice(0, 2));
    await approve(schools.k12A, [a[0]]);
    await enter(schools.k12B, [4]);
    const vocational = await enter(schools.vocational, [5, 6]);
    await confirm(vocational.slice(0, 1));
    await confirmOnPaper(schools.vocational, vocational.slice(1));
    await approve(schools.vocational, vocational);
    const packageId = await submitSchool(schools.vocational);
    expect((await countyAdmin.post(`/api/packages/${packageId}/approve`)).statusCode).toBe(200);
    const other = await enter(schools.other, [7]);
    await confirm(other);

    before = await directCounts('430000.430100.', ['k12', 'vocational', 'special']);
    expect(before.lines.map((line) => line.staffEntered)).toEqual([5, 2, 0]);
    const prefecture = (await findUnit(db, '430100'))!;
    const live = await computeSnapshot(db, campaign, prefecture, new Date(), true);
    expect(withoutTrained(live.totals)).toEqual(before);
    await new Promise((resolve) => setTimeout(resolve, 20));
    cutOff = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
  });

  it('after more activity, the figures as of the earlier moment are still those counts, and live ones the new counts', async () => {
    const db = t.database.db;
    const [, a2, a3] = (await db.select().from(staff).where(eq(staff.schoolCode, schools.k12A)).orderBy(staff.id)).map((row) => row.id);
    await approve(schools.k12A, [a2]);
    await confirmOnPaper(schools.k12A, [a3]);
    await approve(schools.k12A, [a3]);
    const b = (await db.select().from(staff).where(eq(staff.schoolCode, schools.k12B))).map((row) => row.id);
    const { version } = (await operators[schools.k12B].get(`/api/staff/${b[0]}`)).json();
    expect((await operators[schools.k12B].request('DELETE', `/api/staff/${b[0]}?version=${version}`)).statusCode).toBe(204);
    await enter(schools.special, [8]);
    await submitSchool(schools.k12A);
    const keys = deploymentTaskKeys(campaign.plan);
    await db.insert(taskCompletions).values({ campaignId: campaign.id, unitCode: otherCounty, taskKey: keys.countyTraining!, doneOn: chinaDate(new Date()), note: '已培训', doneBy: 1 });

    const after = await directCounts('430000.430100.', ['k12', 'vocational', 'special']);
    expect(after).not.toEqual(before);
    expect(after.lines[0]).toMatchObject({ staffEntered: 4, staffApproved: 3, staffConfirmedPhone: 3, staffConfirmedPaper: 1, submitted: 1, started: 2 });
    expect(after.lines[1]).toMatchObject({ staffConfirmedPhone: 1, staffConfirmedPaper: 1 });
    const prefecture = (await findUnit(db, '430100'))!;
    expect(withoutTrained((await computeSnapshot(db, campaign, prefecture, cutOff, false)).totals)).toEqual(before);
    expect(withoutTrained((await computeSnapshot(db, campaign, prefecture, new Date(), false)).totals)).toEqual(after);
    expect(withoutTrained((await computeSnapshot(db, campaign, prefecture, new Date(), true)).totals)).toEqual(after);
  });

  it('shows the prefecture its report live before the cut-off, a line per county in issues 1 and 4, per school type in 2 and 3', async () => {
    const report = (await prefectureAdmin.get('/api/units/430100/weekly-reports/4')).json();
    expect(report.figures).toMatchObject({ live: true, subunitLabel: '所辖区县数' });
    const counts = await directCounts('430000.430100.', ['k12', 'vocational', 'special']);
    expect(report.figures.subunitCount).toBe(counts.counties.total);
    const total = report.table.rows.at(-1);
    expect(total.label).toBe('合计');
    const lines = counts.lines;
    const sum = (key: keyof (typeof lines)[number]) => lines.reduce((n, line) => n + (line[key] as number), 0);
    expect(total.values).toEqual([counts.counties.total, counts.counties.submitted, counts.counties.approved, sum('schools'), sum('approved'), sum('staffApproved')]);
    expect(report.table.rows.find((row: { label: string }) => row.label === '芙蓉区').values).toEqual([1, 0, 0, 4, 1, 5]);
    expect(report.suggestedRemarks).toContain(`尚未报送：${report.table.rows.slice(0, 3).map((row: { label: string }) => row.label).join('、')}`);
    expect(report.suggestedRemarks).toContain(`县级已审核学校 1 / ${total.values[3]} 所，学校已审核教职工 ${total.values[5]} 人`);
    const data = (await prefectureAdmin.get('/api/units/430100/weekly-reports/3')).json();
    expect(data.table.rows.map((row: { label: string }) => row.label)).toEqual(['中小学', '中等职业学校', '特殊教育学校', '合计']);
    expect(data.suggestedRemarks.split('\n')[0]).toBe(`中小学：${lines[0].schools - lines[0].started} 所学校尚未开始录入，已录入 ${lines[0].staffEntered} 人，应有 ${lines[0].staffExpected} 人（${Math.round((lines[0].staffEntered / lines[0].staffExpected) * 1000) / 10}%），学校已审核 ${lines[0].staffApproved} 人，已报送 ${lines[0].submitted} 所。`);
    expect(data.table.rows[0].values).toEqual([
      lines[0].schools, lines[0].started, lines[0].submitted, lines[0].approved, lines[0].staffExpected, lines[0].staffEntered, lines[0].staffConfirmed, lines[0].staffApproved,
      lines[0].staffConfirmedPhone, lines[0].staffConfirmedPaper,
    ]);
    expect(data.table.columns.slice(-2).map((column: { zh: string }) => column.zh)).toEqual(['其中：本人手机确认', '其中：学校登记纸质确认']);
  });

  it('freezes issue 1 at its past cut-off: records entered after it count nothing, and reopening does not recompute', async () => {
    const report = (await countyAdmin.get(`/api/units/${county}/weekly-reports/1`)).json();
    expect(report.figures.live).toBe(false);
    expect(new Date(report.figures.asOf).getTime()).toBeLessThan(Date.now());
    expect(report.figures.asOf).toBe(report.issue.dueAt);
    expect(report.table.rows).toEqual([{ label: '芙蓉区', values: [1, 0, 0, 4, 0], total: true }]);
    const [row] = await t.database.db.select().from(weeklyReports).where(and(eq(weeklyReports.unitCode, county), eq(weeklyReports.issueNo, 1)));
    await enter(schools.k12B, [9]);
    const again = (await countyAdmin.get(`/api/units/${county}/weekly-reports/1`)).json();
    expect(again.table).toEqual(report.table);
    const [same] = await t.database.db.select().from(weeklyReports).where(eq(weeklyReports.id, row.id));
    expect(same.snapshotAt).toEqual(row.snapshotAt);
  });
});

describe('signatures in the attachment\'s order, and the submission', () => {
  const url = `/api/units/${county}/weekly-reports/4`;

  it('refuses the wrong step, the wrong role, the same name twice, and submitting before three signatures', async () => {
    expect((await countyAdmin.post(`${url}/submit`)).statusCode).toBe(409);
    const outOfOrder = await countyAdmin.post(`${url}/signatures`, { step: 'department_head', signerName: '李四' });
    expect(outOfOrder.statusCode).toBe(409);
    expect(outOfOrder.json().error.message).toContain('填表人签字');
    expect((await countyLeader.post(`${url}/signatures`, { step: 'preparer', signerName: '王五' })).statusCode).toBe(403);
    expect((await countyViewer.post(`${url}/signatures`, { step: 'preparer', signerName: '赵六' })).statusCode).toBe(403);
    expect((await countyAdmin.post(`${url}/signatures`, { step: 'preparer', signerName: '' })).statusCode).toBe(400);
    expect((await countyViewer.request('PUT', `${url}/remarks`, { remarks: 'x' })).statusCode).toBe(403);
  });

  it('signs preparer, department head and bureau leader in turn, each audited; the figures freeze at the first', async () => {
    expect((await countyAdmin.request('PUT', `${url}/remarks`, { remarks: '本周各校进展正常' })).statusCode).toBe(200);
    const first = await countyAdmin.post(`${url}/signatures`, { step: 'preparer', signerName: '张三' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'preparer', frozen: true, figures: { live: false }, abilities: { sign: 'department_head', submit: false } });
    const sameName = await countyAdmin.post(`${url}/signatures`, { step: 'department_head', signerName: '张三' });
    expect(sameName.statusCode).toBe(400);
    expect((await countyLeader.post(`${url}/signatures`, { step: 'department_head', signerName: '王五' })).statusCode).toBe(403);
    expect((await countyAdmin.post(`${url}/signatures`, { step: 'department_head', signerName: '李四' })).statusCode).toBe(200);
    expect((await countyAdmin.post(`${url}/signatures`, { step: 'bureau_leader', signerName: '王五' })).statusCode).toBe(403);
    const frozenTable = first.json().table;
    await enter(schools.special, [10]);
    const last = await countyLeader.post(`${url}/signatures`, { step: 'bureau_leader', signerName: '王五' });
    expect(last.json()).toMatchObject({ status: 'bureau_leader', abilities: { sign: null, submit: false } });
    expect(last.json().table).toEqual(frozenTable);
    expect(last.json().signatures.map((s: { signerName: string }) => s.signerName)).toEqual(['张三', '李四', '王五']);
    const events = (await auditEventsFor(t.database.db, first.json().id, 'weekly_report')).map((event) => event.action);
    expect(events).toEqual(['weekly_report.remarks', 'weekly_report.signed.preparer', 'weekly_report.signed.department_head', 'weekly_report.signed.bureau_leader']);
  });

  it('revokes every signature when the remarks change after signing', async () => {
    const changed = (await countyAdmin.request('PUT', `${url}/remarks`, { remarks: '本周各校进展正常；特教学校新增 1 人' })).json();
    expect(changed).toMatchObject({ status: 'draft', revoked: ['preparer', 'department_head', 'bureau_leader'] });
    expect(changed.signatures.every((s: { signerName: string | null }) => s.signerName === null)).toBe(true);
    await countyAdmin.post(`${url}/signatures`, { step: 'preparer', signerName: '张三' });
    await countyAdmin.post(`${url}/signatures`, { step: 'department_head', signerName: '李四' });
    expect((await countyAdmin.post(`${url}/submit`)).statusCode).toBe(409);
    await countyLeader.post(`${url}/signatures`, { step: 'bureau_leader', signerName: '王五' });
  });

  it('submits on time to the prefecture, which is told and sees it in its table', async () => {
    const submitted = await countyAdmin.post(`${url}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'submitted', late: false, abilities: { editRemarks: false, sign: null, submit: false } });
    expect((await countyAdmin.post(`${url}/submit`)).statusCode).toBe(409);
    expect((await countyAdmin.request('PUT', `${url}/remarks`, { remarks: 'x' })).statusCode).toBe(409);
    const [notice] = await t.database.db.select().from(notifications).where(and(eq(notifications.unitCode, '430100'), eq(notifications.kind, 'weekly_report_submitted')));
    expect(notice.title).toContain('芙蓉区');
    const table = (await prefectureAdmin.get('/api/units/430100/weekly-reports/4/received')).json();
    const line = table.items.find((item: { unit: { code: string } }) => item.unit.code === county);
    expect(line).toMatchObject({ status: 'submitted', late: false });
    expect(table.table.rows.find((row: { label: string }) => row.label === '芙蓉区').values).toEqual(submitted.json().table.rows.at(-1).values);
    const list = (await countyAdmin.get(`/api/units/${county}/weekly-reports`)).json();
    expect(list.items.map((item: { status: string }) => item.status)).toEqual(['draft', 'draft', 'draft', 'submitted']);
    expect(list.items[0].overdue).toBe(true);
  });

  it('marks a report submitted after its Friday deadline late', async () => {
    const past = `/api/units/${county}/weekly-reports/1`;
    await countyAdmin.post(`${past}/signatures`, { step: 'preparer', signerName: '张三' });
    await countyAdmin.post(`${past}/signatures`, { step: 'department_head', signerName: '李四' });
    await countyLeader.post(`${past}/signatures`, { step: 'bureau_leader', signerName: '王五' });
    const submitted = (await countyAdmin.post(`${past}/submit`)).json();
    expect(submitted).toMatchObject({ status: 'submitted', late: true, overdue: false });
    expect(submitted.table.rows).toEqual([{ label: '芙蓉区', values: [1, 0, 0, 4, 0], total: true }]);
  });
});

describe('exports, scope and refusals', () => {
  it('exports the report as .xlsx with the attachment\'s title, header, table and signature rows', async () => {
    const response = await countyAdmin.get(`/api/units/${county}/weekly-reports/4/export`);
    expect(response.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    const texts: string[] = [];
    // Merged cells repeat their value in every cell they cover.
    sheet.eachRow((row) => texts.push([...new Set((row.values as unknown[]).filter((v) => v !== null && v !== undefined && v !== ''))].join('|')));
    expect(texts[0]).toBe('教职工基础信息采集工作周报表');
    expect(texts[1]).toContain('芙蓉区');
    expect(texts[1]).toContain('所辖学校数：4');
    expect(texts[2]).toContain('县级教育部门数据审核与报送情况');
    expect(texts.find((text) => text.startsWith('单位|区县数'))).toBeDefined();
    expect(texts.find((text) => text.startsWith('备注'))).toContain('特教学校新增 1 人');
    for (const [label, name] of [['填表人签字', '张三'], ['责任部门负责人审核签字', '李四'], ['主管局领导签字', '王五']]) {
      expect(texts.find((text) => text.startsWith(label))).toContain(name);
    }
    expect(texts.some((text) => text.startsWith('教育局公章'))).toBe(true);
    expect(texts.some((text) => text.startsWith('日期|'))).toBe(true);
  });

  it('gives the province every prefecture\'s report for a week in one table, and its summary as .xlsx', async () => {
    const table = (await provinceAdmin.get('/api/units/430000/weekly-reports/2/received')).json();
    expect(table.items).toHaveLength(14);
    expect(table.table.rows.map((row: { label: string }) => row.label).slice(-2)).toEqual(['高等学校', '合计']);
    const universities = table.table.rows.at(-2).values;
    expect(universities.slice(0, 2)).toEqual([1, 0]);
    expect(universities[4]).toBe(9);
    const sums = table.table.rows.slice(0, -1).reduce((total: number[], row: { values: number[] }) => total.map((n, i) => n + row.values[i]), new Array(10).fill(0));
    expect(table.table.rows.at(-1).values).toEqual(sums);
    const changsha = table.table.rows.find((row: { label: string }) => row.label === '长沙市');
    const counts = await directCounts('430000.430100.', ['k12', 'vocational', 'special']);
    expect(changsha.values[5]).toBe(counts.lines.reduce((n, line) => n + line.staffEntered, 0));
    // 本人已确认 and its two kinds: by phone and on paper add up to it.
    expect(changsha.values.slice(-2)).toEqual([counts.lines.reduce((n, line) => n + line.staffConfirmedPhone, 0), counts.lines.reduce((n, line) => n + line.staffConfirmedPaper, 0)]);
    expect(changsha.values[8] + changsha.values[9]).toBe(changsha.values[6]);
    const response = await provinceAdmin.get('/api/units/430000/weekly-reports/2/received/export');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.getCell(1, 1).value).toBe('教职工基础信息采集工作周报表');
    const labels: string[] = [];
    sheet.getColumn(1).eachCell((cell) => labels.push(String(cell.value)));
    expect(labels).toContain('长沙市');
    expect(labels.at(-1)).toBe('合计');
  });

  it('answers 404 out of scope and for schools, 401 without a session', async () => {
    expect((await countyAdmin.get(`/api/units/${otherCounty}/weekly-reports/1`)).statusCode).toBe(404);
    expect((await countyAdmin.post(`/api/units/${otherCounty}/weekly-reports/1/signatures`, { step: 'preparer', signerName: '张三' })).statusCode).toBe(404);
    expect((await countyAdmin.get(`/api/units/${schools.k12A}/weekly-reports`)).statusCode).toBe(404);
    expect((await countyAdmin.get(`/api/units/${county}/weekly-reports/5`)).statusCode).toBe(400);
    expect((await t.anonymous().get(`/api/units/${county}/weekly-reports`)).statusCode).toBe(401);
    // The prefecture reads its county's report but signs nothing for it.
    expect((await prefectureAdmin.get(`/api/units/${county}/weekly-reports/4`)).json().abilities).toEqual({ editRemarks: false, sign: null, submit: false });
    expect((await prefectureAdmin.post(`/api/units/${county}/weekly-reports/2/signatures`, { step: 'preparer', signerName: '张三' })).statusCode).toBe(403);
  });

  it('lays out issue 2 with the universities only in the province\'s report', async () => {
    const province = (await findUnit(t.database.db, '430000'))!;
    const snapshot = await computeSnapshot(t.database.db, campaign, province, new Date(), true);
    expect(issueTable(snapshot, 2).rows.map((row) => row.label)).toEqual(['中小学', '中等职业学校', '特殊教育学校', '高等学校', '合计']);
    expect(issueTable(snapshot, 2).rows[3].values[4]).toBe(9);
  });

  it('freezes, in the hourly pass, every report whose cut-off passed and nobody opened, once', async () => {
    const db = t.database.db;
    const now = new Date();
    let due = 0;
    for (const level of ['county', 'prefecture', 'province'] as const) {
      const count = (await db.select().from(units).where(eq(units.kind, level))).length;
      due += count * weeklyIssues(campaign.plan, level).filter((issue) => issue.dueAt <= now).length;
    }
    const alreadyFrozen = (await db.select().from(weeklyReports).where(and(sql`${weeklyReports.snapshot} is not null`, sql`${weeklyReports.dueAt} <= ${now.toISOString()}::timestamptz`))).length;
    expect(due).toBeGreaterThan(alreadyFrozen);
    expect(await freezeDueReports(db, now)).toBe(due - alreadyFrozen);
    expect(await freezeDueReports(db, now)).toBe(0);
    const [other] = await db.select().from(weeklyReports).where(and(eq(weeklyReports.unitCode, otherCounty), eq(weeklyReports.issueNo, 1)));
    expect(other.snapshotAsOf).toEqual(other.dueAt);
    const expected = await computeSnapshot(db, campaign, (await findUnit(db, otherCounty))!, other.dueAt, false);
    expect(other.snapshot).toEqual(expected);
  });
});
