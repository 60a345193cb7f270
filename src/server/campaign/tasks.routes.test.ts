import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignPlan } from '../../standard/campaign.ts';
import { campaigns, notifications, packages, staff, taskCompletions } from '../db/schema.ts';
import { createTestApp, multipart, type TestApp, type TestClient } from '../test/app.ts';
import { auditEventsFor, makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';
import { findUnit } from '../org/units.repository.ts';
import { computeSnapshot } from '../reports/weekly-report.service.ts';
import { deploymentTaskKeys } from '../reports/weekly-figures.ts';
import { suggestedRemarks } from '../reports/weekly-layout.ts';
import { currentCampaign, type CampaignRow } from './campaign.service.ts';
import { remindLateChildren } from './task-reminders.ts';
import { addDays, chinaDate } from './tasks.ts';

let t: TestApp;
let campaign: CampaignRow;
let county: TestClient;
let countyViewer: TestClient;
let otherCounty: TestClient;
let prefecture: TestClient;
let province: TestClient;
let school: TestClient;
const schoolA = '2430102001';
const schoolB = '2430102002';
/** A school of 天心区 with an admin account of its own (and an operator). */
let schoolC: string;
/** A university: it reports to the province. */
let university: string;
let schoolAdminC: TestClient;
let schoolOperatorC: TestClient;
let universityOperator: TestClient;
const today = chinaDate(new Date());
/** Whole days from one ISO date to another. */
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

type TaskBody = { key: string; task: string; state: string; doneOn: string | null; manual: boolean; note: string | null; due: string | null; onTime: boolean | null; dueThisWeek: boolean; markedBy: { code: string; name: string } | null };
const tasksOf = async (client: TestClient, code: string) => (await client.get(`/api/units/${code}/tasks`)).json().tasks as TaskBody[];
const taskOf = async (client: TestClient, code: string, key: string) => (await tasksOf(client, code)).find((task) => task.key === key)!;

async function insertPackage(unitCode: string, receiverCode: string, status: 'submitted' | 'approved' | 'returned', versionNo = 1) {
  await t.database.db.insert(packages).values({
    campaignId: campaign.id, unitCode, receiverCode, versionNo, status, recordCount: 1, expectedCount: 1, contentHash: '0'.repeat(64),
    signedBy: 1, signedAt: new Date(), submittedBy: 1, decidedAt: status === 'submitted' ? null : new Date(),
  });
}

const planBody = (plan: CampaignPlan) => ({
  levels: Object.fromEntries(Object.entries(plan.levels).map(([level, data]) => [level, { tasks: data.tasks.map(({ key, task, due }) => ({ key, task, due })) }])),
});

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  campaign = await makeCampaign(db);
  await makeSchool(db, { countyCode: '430102', serial: 1, expectedStaff: 2 });
  await makeSchool(db, { countyCode: '430102', serial: 2, expectedStaff: 1 });
  county = await t.login((await makeAccount(db, { unitCode: '430102' })).username);
  countyViewer = await t.login((await makeAccount(db, { unitCode: '430102', role: 'viewer' })).username);
  otherCounty = await t.login((await makeAccount(db, { unitCode: '430103' })).username);
  prefecture = await t.login((await makeAccount(db, { unitCode: '430100' })).username);
  province = await t.login((await makeAccount(db, { unitCode: '430000' })).username);
  school = await t.login((await makeAccount(db, { unitCode: schoolA, role: 'operator' })).username);
  schoolC = (await makeSchool(db, { countyCode: '430103', serial: 1, expectedStaff: 5 })).code;
  schoolAdminC = await t.login((await makeAccount(db, { unitCode: schoolC, role: 'admin' })).username);
  schoolOperatorC = await t.login((await makeAccount(db, { unitCode: schoolC, role: 'operator' })).username);
  university = (await makeSchool(db, { countyCode: '430104', schoolType: 'higher_ed', serial: 1, expectedStaff: 9 })).code;
  universityOperator = await t.login((await makeAccount(db, { unitCode: university, role: 'operator' })).username);
});
afterAll(() => t.close());

describe('a unit\'s tasks', () => {
  it('answers 401 without a session and 404 outside the subtree', async () => {
    expect((await t.anonymous().get('/api/units/430102/tasks')).statusCode).toBe(401);
    expect((await otherCounty.get('/api/units/430102/tasks')).statusCode).toBe(404);
    expect((await school.get('/api/units/430102/tasks')).statusCode).toBe(404);
  });

  it('lists the county level\'s tasks with states from the plan, the manual ones marked', async () => {
    const response = await county.get('/api/units/430102/tasks');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    const plan = campaign.plan;
    expect(body.unit).toMatchObject({ code: '430102', level: 'county', levelLabel: plan.levels.county.label });
    expect(body.tasks.map((task: TaskBody) => task.key)).toEqual(plan.levels.county.tasks.map((task) => task.key));
    expect(body.abilities.complete).toBe(true);
    const byKey = new Map((body.tasks as TaskBody[]).map((task) => [task.key, task]));
    // 制定工作实施方案 was due 10-14 in 2013 terms, days before "today" (10-17 to 10-23): late, and marked by hand.
    expect(byKey.get('county-1')).toMatchObject({ manual: true, state: 'late', doneOn: null });
    // 报送责任人信息 is observed from the responsible-persons register: not reported yet, so late.
    expect(byKey.get('county-2')).toMatchObject({ manual: false, state: 'late', doneOn: null });
    expect(byKey.get('county-4')).toMatchObject({ manual: true, state: 'ongoing', due: null });
    expect(byKey.get('county-7')).toMatchObject({ manual: false, state: 'open' });
    expect((await countyViewer.get('/api/units/430102/tasks')).json().abilities.complete).toBe(false);
    expect((await prefecture.get('/api/units/430102/tasks')).json().abilities.complete).toBe(false);
  });

  it('says which tasks fall due within seven days', async () => {
    const tasks = await tasksOf(school, schoolA);
    for (const task of tasks) {
      const soon = task.state !== 'done' && task.state !== 'late' && task.due !== null && task.due >= today && task.due <= addDays(today, 6);
      expect(task.dueThisWeek, task.key).toBe(soon);
    }
    // The plan puts the schools' entry (10-23) on today or within the six days after it: due this week, and
    // due soon from two days before it.
    const entry = tasks.find((task) => task.key === 'school-4')!;
    expect(entry).toMatchObject({ dueThisWeek: true, state: daysBetween(today, entry.due!) <= 2 ? 'due_soon' : 'open' });
  });
});

describe('marking a manual task done', () => {
  it('refuses other roles and units: viewer 403, the prefecture 403, another county 404', async () => {
    const body = { doneOn: today, note: '已印发实施方案' };
    expect((await countyViewer.post('/api/units/430102/tasks/county-1/done', body)).statusCode).toBe(403);
    expect((await prefecture.post('/api/units/430102/tasks/county-1/done', body)).statusCode).toBe(403);
    expect((await otherCounty.post('/api/units/430102/tasks/county-1/done', body)).statusCode).toBe(404);
  });

  it('refuses observable tasks, standing duties, unknown keys, future dates and empty notes', async () => {
    const observed = await county.post('/api/units/430102/tasks/county-7/done', { doneOn: today, note: '已报送' });
    expect(observed.statusCode).toBe(409);
    expect(observed.json().error.message).toContain('自动判断');
    expect((await county.post('/api/units/430102/tasks/county-4/done', { doneOn: today, note: '答疑' })).statusCode).toBe(409);
    expect((await county.post('/api/units/430102/tasks/school-1/done', { doneOn: today, note: '培训' })).statusCode).toBe(404);
    const future = await county.post('/api/units/430102/tasks/county-1/done', { doneOn: addDays(today, 1), note: '已印发' });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.message).toContain('完成日期');
    expect((await county.post('/api/units/430102/tasks/county-1/done', { doneOn: today, note: '' })).statusCode).toBe(400);
    expect((await county.post('/api/units/430102/tasks/county-1/done', { doneOn: '2026-13-01', note: '已印发' })).statusCode).toBe(400);
  });

  it('records the day and the note, audited; late if after the due date; undo is audited too', async () => {
    const due = (await taskOf(county, '430102', 'county-1')).due!;
    const done = await county.post('/api/units/430102/tasks/county-1/done', { doneOn: today, note: '湘教发〔2013〕实施方案已印发' });
    expect(done.statusCode, done.body).toBe(200);
    expect(await taskOf(county, '430102', 'county-1')).toMatchObject({ state: 'done', doneOn: today, note: '湘教发〔2013〕实施方案已印发', onTime: today <= due });
    expect((await county.post('/api/units/430102/tasks/county-1/done', { doneOn: today, note: '再次' })).statusCode).toBe(409);
    const [event] = await auditEventsFor(t.database.db, '430102/county-1', 'task_completion');
    expect(event).toMatchObject({ action: 'task.done', unitCode: '430102' });

    expect((await county.request('DELETE', '/api/units/430102/tasks/county-1/done')).statusCode).toBe(200);
    expect(await taskOf(county, '430102', 'county-1')).toMatchObject({ state: 'late', doneOn: null });
    expect((await county.request('DELETE', '/api/units/430102/tasks/county-1/done')).statusCode).toBe(404);
    expect((await auditEventsFor(t.database.db, '430102/county-1', 'task_completion')).map((e) => e.action)).toEqual(['task.done', 'task.undone']);

    // A day typed before the due date does not make a marking after it on time: the marking's own day counts.
    const early = addDays(due, -1);
    expect((await county.post('/api/units/430102/tasks/county-1/done', { doneOn: early, note: '按期印发' })).statusCode).toBe(200);
    expect(await taskOf(county, '430102', 'county-1')).toMatchObject({ state: 'done', doneOn: early, onTime: false });
  });
});

describe('a document attached to a task marked done', () => {
  const upload = (client: TestClient, key: string, content = Buffer.from('%PDF-1.4 芙蓉区实施方案')) => {
    const body = multipart({ name: '实施方案.pdf', content });
    return client.request('POST', `/api/units/430102/tasks/${key}/file`, body.payload, { headers: body.headers });
  };

  it('refuses a program renamed .pdf, as every other upload does', async () => {
    const refused = await upload(county, 'county-1', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]));
    expect(refused.statusCode).toBe(415);
    expect(refused.json().error.message).toContain('可执行程序');
  });

  it('refuses a task not marked done, and other roles', async () => {
    expect((await upload(county, 'county-3')).statusCode).toBe(409);
    expect((await upload(countyViewer, 'county-1')).statusCode).toBe(403);
    expect((await county.get('/api/units/430102/tasks/county-3/file')).statusCode).toBe(404);
  });

  it('stores the file, lists it with the task, serves it to the unit and its parent, audited', async () => {
    const content = Buffer.from('%PDF-1.4 芙蓉区实施方案');
    const response = await upload(county, 'county-1', content);
    expect(response.statusCode, response.body).toBe(200);
    expect((await taskOf(county, '430102', 'county-1') as TaskBody & { file: unknown }).file).toEqual({ name: '实施方案.pdf', size: content.length });
    const download = await prefecture.get('/api/units/430102/tasks/county-1/file');
    expect(download.statusCode).toBe(200);
    expect(download.headers).toMatchObject({ 'content-type': 'application/pdf', 'x-content-type-options': 'nosniff' });
    expect(download.rawPayload.equals(content)).toBe(true);
    expect((await otherCounty.get('/api/units/430102/tasks/county-1/file')).statusCode).toBe(404);
    const events = await auditEventsFor(t.database.db, '430102/county-1', 'task_completion');
    expect(events.at(-1)).toMatchObject({ action: 'task.file_attached' });
  });
});

describe('tasks the system observes complete by themselves', () => {
  it('a school\'s entry, confirmation and review follow its records; its submission follows its package', async () => {
    const db = t.database.db;
    expect(await taskOf(school, schoolA, 'school-4')).toMatchObject({ manual: false, doneOn: null });
    const ids: number[] = [];
    for (const serial of [1, 2]) ids.push((await school.post(`/api/schools/${schoolA}/staff`, { values: validStaffValues(serial) })).json().id);
    expect((await taskOf(school, schoolA, 'school-4')).state).toBe('done');
    expect((await taskOf(school, schoolA, 'school-5')).doneOn).toBeNull();
    await db.update(staff).set({ status: 'confirmed' }).where(eq(staff.schoolCode, schoolA));
    expect((await taskOf(school, schoolA, 'school-5')).state).toBe('done');
    expect((await taskOf(school, schoolA, 'school-6')).doneOn).toBeNull();
    const approved = await school.post(`/api/schools/${schoolA}/staff/transitions`, { event: 'approve', ids });
    expect(approved.json().done).toBe(2);
    expect((await taskOf(school, schoolA, 'school-6')).state).toBe('done');
    expect((await taskOf(school, schoolA, 'school-7')).doneOn).toBeNull();
    await insertPackage(schoolA, '430102', 'submitted');
    expect(await taskOf(school, schoolA, 'school-7')).toMatchObject({ state: 'done', doneOn: today, onTime: true });
  });

  it('a county\'s review is done once every school\'s latest package is approved; its submission once it submits', async () => {
    expect((await taskOf(county, '430102', 'county-6')).doneOn).toBeNull();
    await t.database.db.update(packages).set({ status: 'approved', decidedAt: new Date() }).where(eq(packages.unitCode, schoolA));
    // The second school has not submitted: the review is not done.
    expect((await taskOf(county, '430102', 'county-6')).doneOn).toBeNull();
    await insertPackage(schoolB, '430102', 'returned');
    expect((await taskOf(county, '430102', 'county-6')).doneOn).toBeNull();
    await insertPackage(schoolB, '430102', 'approved', 2);
    expect(await taskOf(county, '430102', 'county-6')).toMatchObject({ state: 'done', doneOn: today });
    expect((await taskOf(county, '430102', 'county-7')).doneOn).toBeNull();
    await insertPackage('430102', '430100', 'submitted');
    expect((await taskOf(county, '430102', 'county-7')).state).toBe('done');
    // A returned submission undoes it.
    await t.database.db.update(packages).set({ status: 'returned' }).where(eq(packages.unitCode, '430102'));
    expect((await taskOf(county, '430102', 'county-7')).state).not.toBe('done');
  });
});

describe('下级逾期: a parent sees its children\'s late tasks', () => {
  it('lists each county of the prefecture with its late tasks, most overdue first', async () => {
    expect((await otherCounty.get('/api/units/430100/tasks/overdue-children')).statusCode).toBe(404);
    const response = await prefecture.get('/api/units/430100/tasks/overdue-children');
    expect(response.statusCode).toBe(200);
    const children = response.json().children as { code: string; tasks: { key: string; due: string | null; daysLate: number }[] }[];
    const furong = children.find((child) => child.code === '430102')!;
    const tianxin = children.find((child) => child.code === '430103')!;
    // 芙蓉区 marked its implementation plan done; 天心区 did nothing.
    expect(furong.tasks.map((task) => task.key)).toEqual(['county-2', 'county-3']);
    expect(tianxin.tasks.map((task) => task.key)).toEqual(['county-1', 'county-2', 'county-3']);
    // Days late count the days of China's calendar from the due date (10-14) to today (10-17 at the earliest).
    expect(tianxin.tasks[0].daysLate).toBe(daysBetween(tianxin.tasks[0].due!, today));
    expect(tianxin.tasks[0].daysLate).toBeGreaterThanOrEqual(3);
    expect(children.every((child) => child.code.startsWith('4301'))).toBe(true);
  });

  it('the hourly pass tells each parent once per late task, naming the children', async () => {
    const written = await remindLateChildren(t.database.db, (await currentCampaign(t.database.db))!);
    expect(written).toBeGreaterThan(0);
    expect(await remindLateChildren(t.database.db, (await currentCampaign(t.database.db))!)).toBe(0);
    const forPrefecture = await t.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.unitCode, '430100'), eq(notifications.kind, 'child_task_late')));
    expect(forPrefecture).toHaveLength(3);
    const plan = forPrefecture.find((n) => n.title.includes('制定工作实施方案'))!;
    expect(plan.body).toContain('天心区');
    expect(plan.body).not.toContain('芙蓉区');
  });
});

describe('the province edits the plan', () => {
  it('refuses everyone but the province\'s admin', async () => {
    const body = planBody(campaign.plan);
    expect((await county.request('PUT', '/api/campaigns/current/plan', body)).statusCode).toBe(403);
    expect((await prefecture.request('PUT', '/api/campaigns/current/plan', body)).statusCode).toBe(403);
    expect((await t.anonymous().request('PUT', '/api/campaigns/current/plan', body)).statusCode).toBe(401);
  });

  it('moves a due date and renames a task, audited; the unit sees the new date', async () => {
    const plan = (await currentCampaign(t.database.db))!.plan;
    const body = planBody(plan);
    const training = body.levels.county.tasks.find((task) => task.key === 'county-3')!;
    const newDue = addDays(today, 3);
    training.due = newDue;
    training.task = '开展工作部署与业务技术培训（含视频会议）';
    const response = await province.request('PUT', '/api/campaigns/current/plan', body);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().changes).toBe(1);
    expect(await taskOf(county, '430102', 'county-3')).toMatchObject({ due: newDue, state: 'open', task: '开展工作部署与业务技术培训（含视频会议）' });
    const [event] = await auditEventsFor(t.database.db, campaign.id, 'campaign');
    expect(event.action).toBe('campaign.plan_update');
    expect(event.after).toEqual([{ level: 'county', key: 'county-3', task: training.task, due: newDue }]);
  });

  it('refuses a stale edit (someone saved since the editor read the plan), changing nothing', async () => {
    const read = (await province.get('/api/campaigns/current')).json() as { planVersion: string };
    const before = (await currentCampaign(t.database.db))!.plan;
    const first = planBody(before);
    first.levels.county.tasks.find((task) => task.key === 'county-3')!.due = addDays(today, 4);
    expect((await province.request('PUT', '/api/campaigns/current/plan', { ...first, version: read.planVersion })).statusCode).toBe(200);
    const second = planBody(before);
    second.levels.county.tasks.find((task) => task.key === 'county-3')!.due = addDays(today, 6);
    const stale = await province.request('PUT', '/api/campaigns/current/plan', { ...second, version: read.planVersion });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toContain('工作安排已被他人修改');
    expect((await taskOf(county, '430102', 'county-3')).due).toBe(addDays(today, 4));
    const fresh = (await province.get('/api/campaigns/current')).json() as { planVersion: string };
    expect(fresh.planVersion).not.toBe(read.planVersion);
    expect((await province.request('PUT', '/api/campaigns/current/plan', { ...second, version: fresh.planVersion })).statusCode).toBe(200);
    expect((await taskOf(county, '430102', 'county-3')).due).toBe(addDays(today, 6));
  });

  it('adds a task with a new key and removes it again', async () => {
    const body = planBody((await currentCampaign(t.database.db))!.plan);
    body.levels.county.tasks.push({ task: '召开工作推进会', due: addDays(today, 5) } as never);
    expect((await province.request('PUT', '/api/campaigns/current/plan', body)).statusCode).toBe(200);
    expect((await taskOf(county, '430102', 'county-8')).task).toBe('召开工作推进会');
    body.levels.county.tasks.pop();
    expect((await province.request('PUT', '/api/campaigns/current/plan', body)).statusCode).toBe(200);
    expect(await taskOf(county, '430102', 'county-8')).toBeUndefined();
  });

  it('refuses removing a task a unit marked done, removing an observed task, and dates far outside the campaign', async () => {
    const plan = (await currentCampaign(t.database.db))!.plan;
    const withoutDone = planBody(plan);
    withoutDone.levels.county.tasks = withoutDone.levels.county.tasks.filter((task) => task.key !== 'county-1');
    const refused = await province.request('PUT', '/api/campaigns/current/plan', withoutDone);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('已有 1 个单位标记完成');

    const withoutSubmit = planBody(plan);
    withoutSubmit.levels.school.tasks = withoutSubmit.levels.school.tasks.filter((task) => task.key !== 'school-7');
    expect((await province.request('PUT', '/api/campaigns/current/plan', withoutSubmit)).json().error.message).toContain('不能删除');

    const farAway = planBody(plan);
    farAway.levels.prefecture.tasks[0].due = '2099-01-01';
    const far = await province.request('PUT', '/api/campaigns/current/plan', farAway);
    expect(far.statusCode).toBe(400);
    expect(far.json().error.message).toContain('截止日期 2099-01-01');

    const [row] = await t.database.db.select().from(campaigns).where(eq(campaigns.id, campaign.id));
    expect((row.plan).levels.county.tasks.map((task) => task.key)).toContain('county-1');
  });
});

/** The weekly report's deployment figures of 芙蓉区, live or as of a moment: what issue 1 reports. */
async function deploymentFigures(asOf = new Date(), live = true) {
  const snapshot = await computeSnapshot(t.database.db, (await currentCampaign(t.database.db))!, (await findUnit(t.database.db, '430102'))!, asOf, live);
  return {
    counties: snapshot.totals.counties,
    trained: snapshot.totals.schoolTypes.map((line) => [line.schoolType, line.trained, line.schools]),
    onBehalf: snapshot.totals.schoolTypes.reduce((total, line) => total + line.trainedOnBehalf, 0),
    remarks: suggestedRemarks(snapshot, 1),
  };
}

describe('a school\'s own manual task (开展工作部署会与业务技术培训)', () => {
  const body = { doneOn: today, note: '已召开本校部署培训会' };
  let beforeMarks: Date;

  it('a school without an admin account marks it by its operator', async () => {
    beforeMarks = new Date();
    expect((await school.get(`/api/units/${schoolA}/tasks`)).json().abilities.complete).toBe(true);
    const marked = await school.post(`/api/units/${schoolA}/tasks/school-1/done`, body);
    expect(marked.statusCode, marked.body).toBe(200);
    expect(await taskOf(school, schoolA, 'school-1')).toMatchObject({ state: 'done', doneOn: today, markedBy: null, note: body.note });
    const [event] = await auditEventsFor(t.database.db, `${schoolA}/school-1`, 'task_completion');
    expect(event).toMatchObject({ action: 'task.done', unitCode: schoolA });
  });

  it('a school with an admin account marks it by its admin; its operator may not', async () => {
    expect((await schoolOperatorC.get(`/api/units/${schoolC}/tasks`)).json().abilities.complete).toBe(false);
    expect((await schoolOperatorC.post(`/api/units/${schoolC}/tasks/school-1/done`, body)).statusCode).toBe(403);
    expect((await schoolAdminC.get(`/api/units/${schoolC}/tasks`)).json().abilities.complete).toBe(true);
    expect((await schoolAdminC.post(`/api/units/${schoolC}/tasks/school-1/done`, body)).statusCode).toBe(200);
    expect(await taskOf(schoolAdminC, schoolC, 'school-1')).toMatchObject({ state: 'done', markedBy: null });
    // Its tasks the data observe are still not marked by hand.
    expect((await schoolAdminC.post(`/api/units/${schoolC}/tasks/school-4/done`, body)).statusCode).toBe(409);
  });

  it('refuses a unit outside the county (404), the prefecture above it and the county\'s viewer (403)', async () => {
    const onBehalf = { doneOn: today, note: '县里统一组织培训' };
    expect((await otherCounty.post(`/api/units/${schoolB}/tasks/school-1/done`, onBehalf)).statusCode).toBe(404);
    expect((await schoolAdminC.post(`/api/units/${schoolB}/tasks/school-1/done`, onBehalf)).statusCode).toBe(404);
    expect((await prefecture.post(`/api/units/${schoolB}/tasks/school-1/done`, onBehalf)).statusCode).toBe(403);
    expect((await countyViewer.post(`/api/units/${schoolB}/tasks/school-1/done`, onBehalf)).statusCode).toBe(403);
    // A school marks nothing for its county.
    expect((await school.post('/api/units/430102/tasks/county-3/done', onBehalf)).statusCode).toBe(404);
    expect(await t.database.db.select().from(taskCompletions).where(eq(taskCompletions.unitCode, schoolB))).toEqual([]);
  });

  it('the county marks it on a school\'s behalf: recorded with the marking unit, audited, shown as 由芙蓉区代为标记', async () => {
    expect((await county.get(`/api/units/${schoolB}/tasks`)).json().abilities.complete).toBe(true);
    const marked = await county.post(`/api/units/${schoolB}/tasks/school-1/done`, { doneOn: today, note: '县里统一组织培训' });
    expect(marked.statusCode, marked.body).toBe(200);
    const [row] = await t.database.db.select().from(taskCompletions).where(and(eq(taskCompletions.unitCode, schoolB), eq(taskCompletions.taskKey, 'school-1')));
    expect(row).toMatchObject({ markedByUnitCode: '430102', doneOn: today });
    expect(await taskOf(county, schoolB, 'school-1')).toMatchObject({ state: 'done', markedBy: { code: '430102', name: '芙蓉区' } });
    const [event] = await auditEventsFor(t.database.db, `${schoolB}/school-1`, 'task_completion');
    expect(event).toMatchObject({ action: 'task.done', unitCode: schoolB, actorUnitCode: '430102', after: { markedByUnit: { code: '430102', name: '芙蓉区' } } });

    // The county's list of its schools' tasks: each school's state, who marked it, and that it may mark.
    const list = await county.get('/api/units/430102/tasks/schools');
    expect(list.statusCode, list.body).toBe(200);
    const answer = list.json() as { tasks: { key: string }[]; schools: { code: string; canMark: boolean; tasks: { key: string; state: string; markedBy: { name: string } | null }[] }[] };
    expect(answer.tasks.map((task) => task.key)).toEqual(['school-1']);
    expect(answer.schools.map((item) => item.code)).toEqual([schoolA, schoolB]);
    expect(answer.schools.every((item) => item.canMark)).toBe(true);
    expect(answer.schools.find((item) => item.code === schoolA)!.tasks[0]).toMatchObject({ key: 'school-1', state: 'done', markedBy: null });
    expect(answer.schools.find((item) => item.code === schoolB)!.tasks[0]).toMatchObject({ key: 'school-1', state: 'done', markedBy: { name: '芙蓉区' } });
    expect((await countyViewer.get('/api/units/430102/tasks/schools')).json().schools.every((item: { canMark: boolean }) => !item.canMark)).toBe(true);
    expect((await otherCounty.get('/api/units/430102/tasks/schools')).statusCode).toBe(404);
  });

  it('the school may undo a mark made on its behalf, and the county mark it again', async () => {
    expect((await school.request('DELETE', `/api/units/${schoolB}/tasks/school-1/done`)).statusCode).toBe(404);
    const operatorB = await t.login((await makeAccount(t.database.db, { unitCode: schoolB, role: 'operator' })).username);
    expect((await operatorB.request('DELETE', `/api/units/${schoolB}/tasks/school-1/done`)).statusCode).toBe(200);
    expect((await taskOf(county, schoolB, 'school-1')).state).not.toBe('done');
    expect((await county.post(`/api/units/${schoolB}/tasks/school-1/done`, { doneOn: today, note: '县里统一组织培训' })).statusCode).toBe(200);
    expect((await taskOf(operatorB, schoolB, 'school-1')).markedBy).toEqual({ code: '430102', name: '芙蓉区' });
  });

  it('the province marks a university\'s on its behalf (a university reports to the province)', async () => {
    expect((await county.post(`/api/units/${university}/tasks/higher_ed-2/done`, body)).statusCode).toBe(404);
    expect((await province.post(`/api/units/${university}/tasks/higher_ed-2/done`, body)).statusCode).toBe(200);
    expect(await taskOf(universityOperator, university, 'higher_ed-2')).toMatchObject({ state: 'done', markedBy: { code: '430000', name: '湖南省' } });
    const list = (await province.get('/api/units/430000/tasks/schools')).json() as { tasks: { key: string }[]; schools: { code: string; canMark: boolean }[] };
    expect(list.tasks.map((task) => task.key)).toEqual(['higher_ed-2']);
    expect(list.schools).toEqual([expect.objectContaining({ code: university, canMark: true })]);
  });

  it('the weekly report counts the schools trained, by the time of the marking', async () => {
    const live = await deploymentFigures();
    // 芙蓉区's two schools: one marked by itself, one by the county on its behalf.
    expect(live.trained).toEqual([['k12', 2, 2], ['vocational', 0, 0], ['special', 0, 0]]);
    expect(live.onBehalf).toBe(1);
    expect(live.remarks).toContain('已开展培训的学校 2 / 2 所（其中 1 所由芙蓉区代为标记）。');
    // As of a moment before the marks (a typed day of today does not move a mark back in time).
    expect((await deploymentFigures(beforeMarks, false)).trained).toEqual([['k12', 0, 2], ['vocational', 0, 0], ['special', 0, 0]]);
    const province = await computeSnapshot(t.database.db, (await currentCampaign(t.database.db))!, (await findUnit(t.database.db, '430000'))!, new Date(), true);
    const trained = Object.fromEntries(province.totals.schoolTypes.map((line) => [line.schoolType, line.trained]));
    expect(trained).toMatchObject({ k12: 3, higher_ed: 1 });
  });
});

describe('tasks are found by key, whatever their words', () => {
  it('rewording the training tasks in the plan editor keeps their keys and roles, and the weekly report\'s figures', async () => {
    expect((await county.post('/api/units/430102/tasks/county-3/done', { doneOn: today, note: '全县培训会' })).statusCode).toBe(200);
    const before = await deploymentFigures();
    expect(before.counties).toMatchObject({ total: 1, planDone: 1, trainingDone: 1 });
    const body = planBody((await currentCampaign(t.database.db))!.plan);
    body.levels.county.tasks.find((task) => task.key === 'county-3')!.task = '召开全县工作部署会';
    body.levels.county.tasks.find((task) => task.key === 'county-1')!.task = '印发本县工作方案';
    body.levels.school.tasks.find((task) => task.key === 'school-1')!.task = '组织本校人员学习采集要求';
    const saved = await province.request('PUT', '/api/campaigns/current/plan', body);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(await taskOf(county, '430102', 'county-3')).toMatchObject({ task: '召开全县工作部署会', role: 'training', state: 'done' });
    expect(await taskOf(school, schoolA, 'school-1')).toMatchObject({ task: '组织本校人员学习采集要求', role: 'training', state: 'done' });
    const plan = (await currentCampaign(t.database.db))!.plan;
    expect(deploymentTaskKeys(plan)).toEqual({ countyPlan: 'county-1', countyTraining: 'county-3', schoolTraining: 'school-1', higherEdTraining: 'higher_ed-2' });
    expect(await deploymentFigures()).toEqual(before);
  });

  it('refuses to remove a task the weekly report reads, and an edit cannot change a task\'s role', async () => {
    const plan = (await currentCampaign(t.database.db))!.plan;
    const withoutTraining = planBody(plan);
    withoutTraining.levels.higher_ed.tasks = withoutTraining.levels.higher_ed.tasks.filter((task) => task.key !== 'higher_ed-2');
    // higher_ed-2 is marked by one university too; its role alone refuses the removal.
    const refused = await province.request('PUT', '/api/campaigns/current/plan', withoutTraining);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('周报表统计的部署与培训任务，不能删除');
    const retagged = planBody(plan) as { levels: Record<string, { tasks: Record<string, unknown>[] }> };
    retagged.levels.county.tasks.find((task) => task.key === 'county-4')!.role = 'training';
    retagged.levels.county.tasks.find((task) => task.key === 'county-3')!.role = 'implementation_plan';
    expect((await province.request('PUT', '/api/campaigns/current/plan', retagged)).statusCode).toBe(200);
    expect(deploymentTaskKeys((await currentCampaign(t.database.db))!.plan)).toMatchObject({ countyPlan: 'county-1', countyTraining: 'county-3' });
  });

  it('a campaign stored before tasks carried roles still finds them, by their keys, and saves them with its next edit', async () => {
    const db = t.database.db;
    const stored = structuredClone((await currentCampaign(db))!.plan) as CampaignPlan;
    for (const level of Object.values(stored.levels)) for (const task of level.tasks) delete task.role;
    await db.update(campaigns).set({ plan: stored }).where(eq(campaigns.id, campaign.id));
    const [raw] = await db.select().from(campaigns).where(eq(campaigns.id, campaign.id));
    expect(JSON.stringify(raw.plan)).not.toContain('"role"');

    const before = await deploymentFigures();
    expect(before.counties).toMatchObject({ planDone: 1, trainingDone: 1 });
    expect(before.trained[0]).toEqual(['k12', 2, 2]);
    expect(deploymentTaskKeys(stored)).toEqual({ countyPlan: 'county-1', countyTraining: 'county-3', schoolTraining: 'school-1', higherEdTraining: 'higher_ed-2' });
    expect(await taskOf(county, '430102', 'county-3')).toMatchObject({ task: '召开全县工作部署会', role: 'training' });

    // The editor read the plan with its roles; its version is the stored plan's, so the edit is not refused as stale.
    const read = (await province.get('/api/campaigns/current')).json() as { planVersion: string; levels: CampaignPlan['levels'] };
    expect(read.levels.school.tasks[0]).toMatchObject({ key: 'school-1', role: 'training' });
    const body = planBody(read as unknown as CampaignPlan);
    body.levels.school.tasks[0].task = '开展本校部署与培训';
    const saved = await province.request('PUT', '/api/campaigns/current/plan', { ...body, version: read.planVersion });
    expect(saved.statusCode, saved.body).toBe(200);
    const [after] = await db.select().from(campaigns).where(eq(campaigns.id, campaign.id));
    expect((after.plan).levels.county.tasks.find((task) => task.key === 'county-3')!.role).toBe('training');
    expect(await deploymentFigures()).toEqual(before);
  });
});
