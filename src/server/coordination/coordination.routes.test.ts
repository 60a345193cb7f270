import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, unitContacts } from '../db/schema.ts';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { auditEventsFor, makeAccount, makeCampaign, makeSchool } from '../test/factories.ts';
import type { CampaignRow } from '../campaign/campaign.service.ts';

let t: TestApp;
let campaign: CampaignRow;
let county: TestClient;
let countyViewer: TestClient;
let countyOperator: TestClient;
let otherCounty: TestClient;
let prefecture: TestClient;
let prefectureViewer: TestClient;
let province: TestClient;
let university: TestClient;
let universityCode: string;
let k12Code: string;
let k12School: TestClient;

const person = (name: string, mobile: string) => ({ name, title: '科长', officePhone: '0731-84720000', mobile, email: 'rsk@example.cn' });
const form = () => ({ department: '人事科', leader: person('张主管', '13812345678'), head: person('李科长', '13912345678'), liaison: person('王联络', '13712345678') });
const put = (client: TestClient, code: string, body: unknown) => client.request('PUT', `/api/units/${code}/contacts`, body);
type ChildItem = { unit: { code: string; name: string }; reported: boolean; late: boolean; due: string | null; contacts: { liaison: { mobile: string } } | null };
const childOf = async (client: TestClient, parent: string, code: string) =>
  ((await client.get(`/api/units/${parent}/contacts/children`)).json().items as ChildItem[]).find((item) => item.unit.code === code)!;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  campaign = await makeCampaign(db);
  universityCode = (await makeSchool(db, { countyCode: '430102', schoolType: 'higher_ed', serial: 1 })).code;
  k12Code = (await makeSchool(db, { countyCode: '430102', serial: 1 })).code;
  k12School = await t.login((await makeAccount(db, { unitCode: k12Code })).username);
  county = await t.login((await makeAccount(db, { unitCode: '430102' })).username);
  countyViewer = await t.login((await makeAccount(db, { unitCode: '430102', role: 'viewer' })).username);
  countyOperator = await t.login((await makeAccount(db, { unitCode: '430102', role: 'operator' })).username);
  otherCounty = await t.login((await makeAccount(db, { unitCode: '430103' })).username);
  prefecture = await t.login((await makeAccount(db, { unitCode: '430100' })).username);
  prefectureViewer = await t.login((await makeAccount(db, { unitCode: '430100', role: 'viewer' })).username);
  province = await t.login((await makeAccount(db, { unitCode: '430000' })).username);
  university = await t.login((await makeAccount(db, { unitCode: universityCode })).username);
});

afterAll(async () => {
  await t.close();
});

describe('responsible persons (责任人和联络员信息表)', () => {
  it('answers 401 signed out and 404 out of scope', async () => {
    expect((await t.anonymous().get('/api/units/430102/contacts')).statusCode).toBe(401);
    expect((await otherCounty.get('/api/units/430102/contacts')).statusCode).toBe(404);
    expect((await put(otherCounty, '430102', form())).statusCode).toBe(404);
    expect((await county.get('/api/units/430100/contacts/children')).statusCode).toBe(404);
    expect((await county.get('/api/units/430100/contacts/export')).statusCode).toBe(404);
    expect((await county.get('/api/units/430100/working-group')).statusCode).toBe(404);
  });

  it('shows an unreported unit with the plan\'s deadline and the form from the plan', async () => {
    const body = (await county.get('/api/units/430102/contacts')).json();
    const plan = campaign.plan;
    expect(body).toMatchObject({ reports: true, contacts: null, canEdit: true, due: plan.levels.county.tasks.find((task) => task.observable === 'contacts')!.due });
    expect(body.form.roles).toEqual(['主管领导', '责任部门负责人', '联络员']);
    expect((await countyViewer.get('/api/units/430102/contacts')).json().canEdit).toBe(false);
  });

  it('lets only the unit\'s own admin report: viewer, operator and the prefecture get 403', async () => {
    expect((await put(countyViewer, '430102', form())).statusCode).toBe(403);
    expect((await put(countyOperator, '430102', form())).statusCode).toBe(403);
    expect((await put(prefecture, '430102', form())).statusCode).toBe(403);
  });

  it('refuses a bad mobile, landline and e-mail naming the person, the field and why, saving nothing', async () => {
    const body = form();
    body.liaison.mobile = '1381234567';
    body.head.officePhone = '84720000';
    body.leader.email = 'leader@example';
    const response = await put(county, '430102', body);
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.code).toBe('validation_failed');
    expect(error.details.map((detail: { field: string }) => detail.field)).toEqual(['leader.email', 'head.officePhone', 'liaison.mobile']);
    expect(error.messages.zh).toContain('联络员的手机“1381234567”不是有效的手机号码');
    expect(error.messages.en).toContain('The department head\'s office phone "84720000" is not a valid landline');
    expect(error.messages.zh).toContain('主管领导的邮箱“leader@example”不是有效的电子邮箱地址');
    expect(await t.database.db.select().from(unitContacts)).toHaveLength(0);
  });

  it('refuses control characters and refuses units that do not report (a k12 school has no such form)', async () => {
    const body = form();
    body.department = '人事科\n教师科';
    const response = await put(county, '430102', body);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0]).toMatchObject({ field: 'department', message: '本单位的责任部门含有控制字符（如换行、制表符），请删除后重新填写' });
    const k12 = await put(k12School, k12Code, form());
    expect(k12.statusCode).toBe(422);
    expect(k12.json().error.messages.zh).toContain('本单位不报送责任人和联络员信息');
  });

  it('the prefecture sees the county missing, then reported once it saves; the parent is told, the save audited', async () => {
    const before = await childOf(prefecture, '430100', '430102');
    expect(before).toMatchObject({ reported: false, contacts: null });
    const children = (await prefecture.get('/api/units/430100/contacts/children')).json();
    expect(children.items.every((item: ChildItem) => item.unit.code.startsWith('4301'))).toBe(true);
    const missingBefore = children.missing;

    const body = form();
    body.liaison.mobile = '+86 137-1234-5678';
    const saved = await put(county, '430102', body);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ department: '人事科', version: 1, liaison: { mobile: '13712345678' } });

    const after = await childOf(prefecture, '430100', '430102');
    expect(after).toMatchObject({ reported: true, contacts: { liaison: { mobile: '13712345678' } } });
    const childrenAfter = (await prefecture.get('/api/units/430100/contacts/children')).json();
    expect(childrenAfter.missing).toBe(missingBefore - 1);
    // Missing units come first, reported ones last.
    const reportedAt = childrenAfter.items.findIndex((item: ChildItem) => item.reported);
    expect(childrenAfter.items.slice(reportedAt).every((item: ChildItem) => item.reported)).toBe(true);

    const [row] = await t.database.db.select().from(unitContacts).where(eq(unitContacts.unitCode, '430102'));
    const events = await auditEventsFor(t.database.db, row.id, 'unit_contacts');
    expect(events.map((event) => event.action)).toEqual(['contacts.report']);
    const told = await t.database.db.select().from(notifications).where(and(eq(notifications.unitCode, '430100'), eq(notifications.kind, 'contacts_reported')));
    expect(told).toHaveLength(1);
    expect(told[0].title).toContain('报送了责任人和联络员信息');
  });

  it('stores HTML as typed text and returns it unchanged', async () => {
    const current = (await county.get('/api/units/430102/contacts')).json().contacts;
    const body = { ...form(), version: current.version };
    body.liaison.name = '<img src=x onerror=alert(1)>';
    body.department = '<b>人事科</b>';
    const saved = await put(county, '430102', body);
    expect(saved.statusCode).toBe(200);
    expect(saved.headers['content-type']).toContain('application/json');
    const read = (await county.get('/api/units/430102/contacts')).json().contacts;
    expect(read.liaison.name).toBe('<img src=x onerror=alert(1)>');
    expect(read.department).toBe('<b>人事科</b>');
  });

  it('refuses a stale version with 409 and keeps the newer save', async () => {
    const current = (await county.get('/api/units/430102/contacts')).json().contacts;
    const fresh = await put(county, '430102', { ...form(), version: current.version });
    expect(fresh.statusCode).toBe(200);
    const stale = await put(county, '430102', { ...form(), department: '教师科', version: current.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_version');
    const missing = await put(county, '430102', { ...form(), department: '教师科' });
    expect(missing.statusCode).toBe(409);
    expect((await county.get('/api/units/430102/contacts')).json().contacts.department).toBe('人事科');
  });

  it('masks phones to viewers; the unit and its parent\'s admins see them in full', async () => {
    expect((await county.get('/api/units/430102/contacts')).json().contacts.liaison.mobile).toBe('13712345678');
    expect((await prefecture.get('/api/units/430102/contacts')).json().contacts.liaison.mobile).toBe('13712345678');
    const viewed = (await countyViewer.get('/api/units/430102/contacts')).json();
    expect(viewed.phonesMasked).toBe(true);
    expect(viewed.contacts.liaison).toMatchObject({ mobile: '137****5678', officePhone: '0731-****0000' });
    const child = await childOf(prefectureViewer, '430100', '430102');
    expect(child.contacts!.liaison.mobile).toBe('137****5678');
  });

  it('completes the county\'s plan task by itself once reported', async () => {
    const tasks = (await county.get('/api/units/430102/tasks')).json().tasks as { observable?: string; key: string; manual: boolean; state: string; doneOn: string | null }[];
    const plan = campaign.plan;
    const key = plan.levels.county.tasks.find((task) => task.observable === 'contacts')!.key;
    expect(tasks.find((task) => task.key === key)).toMatchObject({ manual: false, state: 'done' });
    expect(tasks.find((task) => task.key === key)!.doneOn).not.toBeNull();
  });

  it('a university reports to the province, which sees it among its units', async () => {
    expect((await put(university, universityCode, form())).statusCode).toBe(200);
    const items = (await province.get('/api/units/430000/contacts/children')).json().items as ChildItem[];
    expect(items.find((item) => item.unit.code === universityCode)).toMatchObject({ reported: true });
    expect(items.find((item) => item.unit.code === '430100')).toMatchObject({ reported: false });
    expect(items.some((item) => item.unit.code === '430102')).toBe(false);
  });

  it('exports the directory in the attachment\'s layout, one row per unit below, audited', async () => {
    const response = await prefecture.get('/api/units/430100/contacts/export');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const values = (rowNo: number) => (sheet.getRow(rowNo).values as unknown[]).slice(1);
    expect(values(2)[0]).toBe('教职工基础信息采集责任人和联络员信息表');
    expect(values(4).slice(0, 3)).toEqual(['单位', '责任部门', '主管领导']);
    expect(values(4)[7]).toBe('责任部门负责人');
    expect(values(4)[12]).toBe('联络员');
    expect(values(5).slice(2, 7)).toEqual(['姓名', '职务', '办公电话', '手机', '邮箱']);
    const children = (await prefecture.get('/api/units/430100/contacts/children')).json().items as ChildItem[];
    expect(sheet.rowCount).toBe(5 + children.length);
    const furong = [...Array(children.length).keys()].map((index) => values(6 + index)).find((row) => row[0] === children.find((c) => c.unit.code === '430102')!.unit.name)!;
    expect(furong.slice(1, 3)).toEqual(['人事科', '张主管']);
    expect(furong[15]).toBe('13712345678');
    const missing = [...Array(children.length).keys()].map((index) => values(6 + index)).find((row) => row[0] !== furong[0])!;
    expect(missing[1]).toBe('未报送');
    const events = await auditEventsFor(t.database.db, '430100', 'unit_contacts');
    expect(events.map((event) => event.action)).toContain('contacts.export');

    const masked = await prefectureViewer.get('/api/units/430100/contacts/export');
    const maskedBook = new ExcelJS.Workbook();
    await maskedBook.xlsx.load(masked.rawPayload as unknown as ArrayBuffer);
    const maskedRows = [...Array(children.length).keys()].map((index) => (maskedBook.worksheets[0].getRow(6 + index).values as unknown[]).slice(1));
    expect(maskedRows.find((row) => row[0] === furong[0])![15]).toBe('137****5678');
  });
});

describe('working groups (联合工作组)', () => {
  const members = [
    { role: 'member', name: '钱成员', post: '人事科科长', phone: '0731 84720002' },
    { role: 'leader', name: '赵组长', post: '局长', phone: '13812345678' },
    { role: 'deputy', name: '孙副组长', post: '副局长', phone: '13912345678' },
  ];

  it('lets the unit\'s admin save its group, ordered 组长, 副组长, 成员, audited; others 403', async () => {
    expect((await countyViewer.request('PUT', '/api/units/430102/working-group', { members })).statusCode).toBe(403);
    expect((await prefecture.request('PUT', '/api/units/430102/working-group', { members })).statusCode).toBe(403);
    expect((await otherCounty.request('PUT', '/api/units/430102/working-group', { members })).statusCode).toBe(404);
    const saved = await county.request('PUT', '/api/units/430102/working-group', { members });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().members.map((member: { name: string; phone: string }) => [member.name, member.phone])).toEqual([
      ['赵组长', '13812345678'],
      ['孙副组长', '13912345678'],
      ['钱成员', '0731-84720002'],
    ]);
    expect((await auditEventsFor(t.database.db, '430102', 'working_group')).map((event) => event.action)).toEqual(['working_group.update']);
  });

  it('refuses a bad phone, no leader, and a stale version', async () => {
    const bad = await county.request('PUT', '/api/units/430102/working-group', { members: [{ role: 'leader', name: '赵', post: '局长', phone: '8472' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('members.0.phone');
    const noLeader = await county.request('PUT', '/api/units/430102/working-group', { members: [{ role: 'member', name: '钱', post: '科长', phone: '13812345678' }] });
    expect(noLeader.statusCode).toBe(400);
    expect(noLeader.json().error.messages.zh).toContain('须有且只有一位组长');
    const stale = await county.request('PUT', '/api/units/430102/working-group', { members, version: '0-0' });
    expect(stale.statusCode).toBe(409);
  });

  it('masks the group\'s phones to viewers', async () => {
    expect((await countyViewer.get('/api/units/430102/working-group')).json().members[0].phone).toBe('138****5678');
    expect((await prefecture.get('/api/units/430102/working-group')).json().members[0].phone).toBe('13812345678');
  });

  it('shows the province\'s group to everyone signed in, phones masked below the province', async () => {
    const group = [{ role: 'leader', name: '省组长', post: '党组副书记、工委副书记、副厅长（组长）', phone: '0731-84720100' }];
    expect((await province.request('PUT', '/api/units/430000/working-group', { members: group })).statusCode).toBe(200);
    expect((await t.anonymous().get('/api/working-group/province')).statusCode).toBe(401);
    const fromProvince = (await province.get('/api/working-group/province')).json();
    expect(fromProvince).toMatchObject({ unit: { code: '430000' }, canEdit: true, phonesMasked: false, members: [{ name: '省组长', phone: '0731-84720100' }] });
    expect(fromProvince.form.provinceMemberPosts[0]).toBe('党组副书记、工委副书记、副厅长（组长）');
    const fromCounty = (await countyViewer.get('/api/working-group/province')).json();
    expect(fromCounty).toMatchObject({ canEdit: false, phonesMasked: true, members: [{ name: '省组长', phone: '0731-****0100' }] });
    expect((await county.get('/api/units/430000/working-group')).statusCode).toBe(404);
  });
});
