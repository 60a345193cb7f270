import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { accounts, campaigns, packages, staff } from '../db/schema.ts';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { auditEventsFor, makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';

let t: TestApp;
const schoolA = '2430102001';
const schoolB = '2430102002';
let operatorA: TestClient;
let leaderA: TestClient;
let operatorB: TestClient;
let leaderB: TestClient;
let county: TestClient;
let countyLeader: TestClient;
let prefecture: TestClient;

/** Enters `count` people at a school and brings them to 学校已审核 (the person's confirmation stood in by the database). */
async function approvedRecords(operator: TestClient, school: string, serials: number[], extra: Record<string, string> = {}) {
  const ids: number[] = [];
  for (const serial of serials) {
    const created = await operator.post(`/api/schools/${school}/staff`, { values: { ...validStaffValues(serial), ...extra } });
    expect(created.statusCode, created.body).toBe(201);
    ids.push(created.json().id);
  }
  await t.database.db.update(staff).set({ status: 'confirmed' }).where(inArray(staff.id, ids));
  const approved = await operator.post(`/api/schools/${school}/staff/transitions`, { event: 'approve', ids });
  expect(approved.json().done).toBe(ids.length);
  return ids;
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await makeCampaign(db);
  await makeSchool(db, { countyCode: '430102', serial: 1, expectedStaff: 2 });
  await makeSchool(db, { countyCode: '430102', serial: 2, expectedStaff: 3 });
  operatorA = await t.login((await makeAccount(db, { unitCode: schoolA, role: 'operator' })).username);
  leaderA = await t.login((await makeAccount(db, { unitCode: schoolA, role: 'leader' })).username);
  operatorB = await t.login((await makeAccount(db, { unitCode: schoolB, role: 'operator' })).username);
  leaderB = await t.login((await makeAccount(db, { unitCode: schoolB, role: 'leader' })).username);
  county = await t.login((await makeAccount(db, { unitCode: '430102' })).username);
  countyLeader = await t.login((await makeAccount(db, { unitCode: '430102', role: 'leader' })).username);
  prefecture = await t.login((await makeAccount(db, { unitCode: '430100' })).username);
});
afterAll(() => t.close());

describe('packages: a school to its county, and the county upward', () => {
  let packageA: { id: number };
  let recordsA: number[];

  it('asks for every record approved, the difference explained and the leader\'s signature before submitting', async () => {
    recordsA = await approvedRecords(operatorA, schoolA, [1]);
    const unsigned = await operatorA.post(`/api/units/${schoolA}/packages`);
    expect(unsigned.statusCode).toBe(409);
    expect(unsigned.json().error.message).toContain('负责人签字');
    const noExplanation = await leaderA.post(`/api/units/${schoolA}/signoff`, {});
    expect(noExplanation.statusCode).toBe(400);
    expect(noExplanation.json().error.message).toContain('实有 1 人，应有 2 人');
    expect((await operatorA.post(`/api/units/${schoolA}/signoff`, { explanation: 'x' })).statusCode).toBe(403);
    expect((await leaderA.post(`/api/units/${schoolA}/signoff`, { explanation: '一人调离，已办手续' })).statusCode).toBe(200);
    const submitted = await operatorA.post(`/api/units/${schoolA}/packages`);
    expect(submitted.statusCode, submitted.body).toBe(201);
    packageA = submitted.json();
    expect(submitted.json()).toMatchObject({ status: 'submitted', versionNo: 1, recordCount: 1, expectedCount: 2, receiverCode: '430102', explanation: '一人调离，已办手续' });
  });

  it('locks the submitted data', async () => {
    const { version } = (await operatorA.get(`/api/staff/${recordsA[0]}`)).json();
    const edit = await operatorA.patch(`/api/staff/${recordsA[0]}`, { version, values: { name: '改' } });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.message).toContain('锁定');
    expect((await operatorA.post(`/api/units/${schoolA}/packages`)).statusCode).toBe(409);
  });

  it('shows the county its inbox; it returns one row with a reason the school sees on the record', async () => {
    const inbox = (await county.get('/api/units/430102/inbox')).json();
    expect(inbox.items).toHaveLength(1);
    expect(inbox.items[0].package).toMatchObject({ id: packageA.id, abilities: { approve: true, return: true } });
    const items = (await county.get(`/api/packages/${packageA.id}/items`)).json();
    expect(items.items[0].idNumber).toMatch(/\*{8}/);
    expect((await county.post(`/api/packages/${packageA.id}/return`, { category: 'data_error', reason: '' })).statusCode).toBe(400);
    const returned = await county.post(`/api/packages/${packageA.id}/return`, { category: 'data_error', reason: '请核对', items: [{ staffId: recordsA[0], reason: '参加工作年月与档案不符' }] });
    expect(returned.json()).toMatchObject({ status: 'returned', returnReason: '请核对' });
    const record = (await operatorA.get(`/api/staff/${recordsA[0]}`)).json();
    expect(record.status).toBe('returned');
    const notices = (await operatorA.get('/api/notifications')).json();
    expect(notices.unread).toBeGreaterThan(0);
    expect(notices.items[0]).toMatchObject({ kind: 'package_returned', body: '请核对', read: false });
    await operatorA.post('/api/notifications/read', {});
    expect((await operatorA.get('/api/notifications')).json().unread).toBe(0);
    expect((await county.get('/api/notifications')).json().items.map((n: { kind: string }) => n.kind)).toContain('package_received');
    const history = (await operatorA.get(`/api/staff/${recordsA[0]}/history`)).json().items;
    expect(history.at(-1).reason).toContain('参加工作年月与档案不符');
  });

  it('refuses the county\'s submission while a school is missing, naming it and why', async () => {
    const submission = (await county.get('/api/units/430102/submission')).json();
    expect(submission.abilities).toEqual({ signOff: false, submit: false, nationalExport: false, requestUnlock: true });
    expect(submission.missing.map((m: { code: string; state: string }) => `${m.code}:${m.state}`)).toEqual([`${schoolA}:returned`, `${schoolB}:not_started`]);
    expect((await countyLeader.post('/api/units/430102/signoff', {})).statusCode).toBe(409);
  });

  it('takes the fixed school again as version 2, and lets the county submit once every school is approved', async () => {
    const [id] = recordsA;
    const { version } = (await operatorA.get(`/api/staff/${id}`)).json();
    const fixed = await operatorA.patch(`/api/staff/${id}`, { version, values: { workStart: '2003-09' } });
    expect(fixed.statusCode, fixed.body).toBe(200);
    await t.database.db.update(staff).set({ status: 'confirmed' }).where(inArray(staff.id, [id]));
    await operatorA.post(`/api/schools/${schoolA}/staff/transitions`, { event: 'approve', ids: [id] });
    await leaderA.post(`/api/units/${schoolA}/signoff`, { explanation: '一人调离' });
    const v2 = (await operatorA.post(`/api/units/${schoolA}/packages`)).json();
    expect(v2).toMatchObject({ versionNo: 2, status: 'submitted' });
    // One person short of the expected two: the county accepts the shortfall explicitly, or it is not approved.
    const unaccepted = await county.post(`/api/packages/${v2.id}/approve`, {});
    expect(unaccepted.statusCode).toBe(400);
    expect(unaccepted.json().error.message).toContain('少 1 人');
    expect((await county.get(`/api/packages/${v2.id}`)).json()).toMatchObject({ status: 'submitted', shortfall: { count: 1, accepted: false } });
    const accepted = await county.post(`/api/packages/${v2.id}/approve`, { acceptShortfall: true, shortfallNote: '调离属实' });
    expect(accepted.json()).toMatchObject({ status: 'approved', shortfall: { count: 1, accepted: true, note: '调离属实' } });
    expect((await county.post(`/api/packages/${v2.id}/approve`, { acceptShortfall: true })).statusCode).toBe(409);

    await approvedRecords(operatorB, schoolB, [10, 11, 12]);
    await leaderB.post(`/api/units/${schoolB}/signoff`, {});
    const packageB = (await operatorB.post(`/api/units/${schoolB}/packages`)).json();
    await county.post(`/api/packages/${packageB.id}/approve`);

    expect((await county.get('/api/units/430102/submission')).json().missing).toEqual([]);
    expect((await countyLeader.post('/api/units/430102/signoff', { explanation: 'A 校一人调离' })).statusCode).toBe(200);
    const countyPackage = await county.post('/api/units/430102/packages');
    expect(countyPackage.json()).toMatchObject({ receiverCode: '430100', recordCount: 4, expectedCount: 5 });
    expect((await prefecture.get('/api/units/430100/inbox')).json().items[0].unit.code).toBe('430102');
  });

  it('lets a level above reopen an approved package with a reason', async () => {
    const inbox = (await county.get('/api/units/430102/inbox')).json();
    const approved = inbox.items.find((item: { package: { status: string } }) => item.package.status === 'approved').package;
    expect((await operatorA.post(`/api/packages/${approved.id}/reopen`, { reason: 'x' })).statusCode).toBe(403); // it sees its package, may not reopen it
    const reopened = await prefecture.post(`/api/packages/${approved.id}/reopen`, { reason: '市州抽查发现问题' });
    expect(reopened.json()).toMatchObject({ status: 'returned', returnReason: '市州抽查发现问题' });
  });
});

describe('the national dataset', () => {
  it('is refused until the province has approved its data', async () => {
    const province = await t.login((await makeAccount(t.database.db, { unitCode: '430000', role: 'operator' })).username);
    const response = await province.get('/api/units/430000/national-export');
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toContain('尚未终审');
    expect((await county.get('/api/units/430102/national-export')).statusCode).toBe(404);
  });

  it('is exported once every prefecture and university is approved and the province has signed (终审)', async () => {
    const db = t.database.db;
    const [campaign] = await db.select().from(campaigns);
    const university = await makeSchool(db, { countyCode: '430102', schoolType: 'higher_ed', serial: 1, expectedStaff: 1 });
    const universityOperator = await t.login((await makeAccount(db, { unitCode: university.code, role: 'operator' })).username);
    const universityLeader = await t.login((await makeAccount(db, { unitCode: university.code, role: 'leader' })).username);
    await approvedRecords(universityOperator, university.code, [90], { birthPlace: '430102', marital: '10', health: '1' });
    await universityLeader.post(`/api/units/${university.code}/signoff`, {});
    const universityPackage = await universityOperator.post(`/api/units/${university.code}/packages`);
    expect(universityPackage.json()).toMatchObject({ receiverCode: '430000', status: 'submitted' });

    const provinceAdmin = await t.login((await makeAccount(db, { unitCode: '430000' })).username);
    const provinceLeader = await t.login((await makeAccount(db, { unitCode: '430000', role: 'leader' })).username);
    const waiting = (await provinceAdmin.get('/api/units/430000/submission')).json();
    expect(waiting.missing.map((m: { code: string }) => m.code)).toEqual(expect.arrayContaining(['430100', '431300', university.code]));
    expect(waiting.missing.find((m: { code: string }) => m.code === university.code)).toMatchObject({ state: 'awaiting_review', packageId: universityPackage.json().id });
    expect((await provinceLeader.post('/api/units/430000/signoff', { explanation: '尚缺' })).statusCode).toBe(409);
    expect(waiting.abilities).toMatchObject({ nationalExport: true, requestUnlock: true });
    expect((await provinceLeader.get('/api/units/430000/submission')).json().abilities).toMatchObject({ signOff: false, nationalExport: false, requestUnlock: false });

    // Every prefecture's approved package, as if their whole subtree had been through review.
    const [signer] = await db.select().from(accounts).limit(1);
    const prefectureCodes = waiting.missing.filter((m: { kind: string }) => m.kind === 'prefecture').map((m: { code: string }) => m.code);
    expect(prefectureCodes).toHaveLength(14);
    await db.insert(packages).values(prefectureCodes.map((code: string) => ({
      campaignId: campaign.id, unitCode: code, receiverCode: '430000', versionNo: 1, status: 'approved', recordCount: 0, expectedCount: 0,
      contentHash: 'x'.repeat(64), signedBy: signer.id, signedAt: new Date(), submittedBy: signer.id, decidedBy: signer.id, decidedAt: new Date(),
    })));
    expect((await provinceAdmin.post(`/api/packages/${universityPackage.json().id}/approve`)).statusCode).toBe(200);
    expect((await provinceAdmin.get('/api/units/430000/national-export')).statusCode).toBe(409);

    expect((await provinceLeader.post('/api/units/430000/signoff', { explanation: '各市州人数以审核通过的报送包为准' })).statusCode).toBe(200);
    const final = await provinceAdmin.post('/api/units/430000/packages');
    expect(final.statusCode, final.body).toBe(201);
    expect(final.json()).toMatchObject({ receiverCode: null, status: 'approved' });
    expect((await auditEventsFor(db, final.json().id, 'package')).map((e) => e.action)).toEqual(['package.final_approved']);

    const exported = await provinceAdmin.get('/api/units/430000/national-export');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toContain(encodeURIComponent('国家数据集'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const sheets = workbook.worksheets.map((sheet) => sheet.name);
    expect(sheets).toContain('高等学校');
    const universitySheet = workbook.worksheets.find((sheet) => sheet.name === '高等学校')!;
    expect(universitySheet.getRow(2).getCell(1).value).toBe(university.code);
    expect(universitySheet.getRow(2).values).toEqual(expect.arrayContaining([validStaffValues(90).idNumber]));
    expect((await auditEventsFor(db, final.json().id, 'package')).map((e) => e.action)).toEqual(['package.final_approved', 'staff.national_export']);
  });
});

describe('deadlines and unlock requests', () => {
  it('after the deadline, changing submitted data waits for the parent to grant an unlock', async () => {
    const [campaign] = await t.database.db.select().from(campaigns);
    const plan = campaign.plan;
    const submit = plan.levels.school.tasks.find((task) => task.observable === 'submit')!;
    submit.due = '2000-01-01';
    await t.database.db.update(campaigns).set({ plan }).where(eq(campaigns.id, campaign.id));
    expect((await operatorA.get(`/api/units/${schoolA}/submission`)).json().deadline).toEqual({ due: '2000-01-01', state: 'late' });

    const [id] = (await operatorA.get(`/api/schools/${schoolA}/staff`)).json().items.map((i: { id: number }) => i.id);
    const { version } = (await operatorA.get(`/api/staff/${id}`)).json();
    const refused = await operatorA.patch(`/api/staff/${id}`, { version, values: { name: '迟改' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('申请解锁');

    const asked = await operatorA.post(`/api/units/${schoolA}/unlock-requests`, { reason: '需更正一人学历' });
    expect(asked.statusCode).toBe(201);
    expect((await operatorA.post(`/api/units/${schoolA}/unlock-requests`, { reason: '再来' })).statusCode).toBe(409);
    const [pending] = (await county.get('/api/units/430102/unlock-requests')).json().items;
    expect(pending).toMatchObject({ unitCode: schoolA, status: 'pending', abilities: { decide: true } });
    expect((await operatorA.post(`/api/unlock-requests/${pending.id}/grant`, {})).statusCode).toBe(403); // it sees its request, may not grant it
    const granted = await county.post(`/api/unlock-requests/${pending.id}/grant`, { answer: '同意' });
    expect(granted.json()).toMatchObject({ status: 'granted' });
    expect((await operatorA.patch(`/api/staff/${id}`, { version, values: { name: '迟改' } })).statusCode).toBe(200);
  });
});
