import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';
import { recordAudit } from './audit.ts';
import { maskPersonalData } from './audit-log.ts';

let t: TestApp;
let operator: TestClient;
let schoolAdmin: TestClient;
let county: TestClient;
let otherCounty: TestClient;
let province: TestClient;
const school = '2430102001';
let recordId: number;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await makeCampaign(db);
  await makeSchool(db, { countyCode: '430102', serial: 1 });
  await makeSchool(db, { countyCode: '430103', serial: 1 });
  operator = await t.login((await makeAccount(db, { unitCode: school, role: 'operator' })).username);
  schoolAdmin = await t.login((await makeAccount(db, { unitCode: school })).username);
  county = await t.login((await makeAccount(db, { unitCode: '430102' })).username);
  otherCounty = await t.login((await makeAccount(db, { unitCode: '430103' })).username);
  province = await t.login((await makeAccount(db, { unitCode: '430000' })).username);
  recordId = (await operator.post(`/api/schools/${school}/staff`, { values: validStaffValues(1) })).json().id;
  const { version } = (await operator.get(`/api/staff/${recordId}`)).json();
  const edited = await operator.patch(`/api/staff/${recordId}`, { version, values: { remark: '联系电话13812345678' } });
  expect(edited.statusCode, edited.body).toBe(200);
  await (await t.login((await makeAccount(db, { unitCode: '2430103001', role: 'operator' })).username)).post('/api/schools/2430103001/staff', { values: validStaffValues(2) });
  await recordAudit(db, { actor: null }, { action: 'system.reminders_sent', targetType: 'campaign', unitCode: null });
});
afterAll(() => t.close());

type Event = { id: number; action: string; unit: { code: string } | null; actor: { username: string | null }; before: unknown; after: unknown };

describe('the audit log', () => {
  it('shows an admin the events of its subtree only, newest first, with personal numbers masked above the school', async () => {
    const answer = await county.get('/api/units/430102/audit');
    expect(answer.statusCode, answer.body).toBe(200);
    const items = answer.json().items as Event[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.unit?.code === school || item.unit?.code === '430102')).toBe(true);
    expect(items.map((item) => item.id)).toEqual([...items.map((item) => item.id)].sort((a, b) => b - a));
    const text = JSON.stringify(items);
    expect(text).not.toContain(validStaffValues(1).idNumber);
    expect(text).not.toContain('13812345678');
    expect(text).toContain('138****5678');
    expect(text).not.toContain(validStaffValues(2).idNumber.slice(0, 6) + '*'.repeat(8) + validStaffValues(2).idNumber.slice(-4)); // another county's record

    // The school's own admin sees its numbers in full; the province also sees events about no unit.
    expect(JSON.stringify((await schoolAdmin.get(`/api/units/${school}/audit`)).json().items)).toContain('13812345678');
    const provinceActions = ((await province.get('/api/units/430000/audit?pageSize=200')).json().items as Event[]).map((item) => item.action);
    expect(provinceActions).toContain('system.reminders_sent');
    expect(((await county.get('/api/units/430102/audit?pageSize=200')).json().items as Event[]).map((item) => item.action)).not.toContain('system.reminders_sent');
  });

  it('filters by action, family of actions, person and Beijing date, and pages by cursor', async () => {
    const created = (await county.get('/api/units/430102/audit?action=staff.created')).json().items as Event[];
    expect(created.length).toBe(1);
    const family = (await county.get('/api/units/430102/audit?action=staff.')).json().items as Event[];
    expect(family.length).toBeGreaterThan(1);
    expect(family.every((item) => item.action.startsWith('staff.'))).toBe(true);
    const mine = (await county.get(`/api/units/430102/audit?actor=${created[0].actor.username}`)).json().items as Event[];
    expect(mine.every((item) => item.actor.username === created[0].actor.username)).toBe(true);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const all = (await county.get('/api/units/430102/audit?pageSize=200')).json().items;
    expect((await county.get(`/api/units/430102/audit?from=${today}&to=${today}&pageSize=200`)).json().items).toEqual(all);
    expect((await county.get('/api/units/430102/audit?to=2020-01-01')).json().items).toEqual([]);
    expect((await county.get('/api/units/430102/audit?from=2026-13-45')).statusCode).toBe(400);

    const first = (await county.get('/api/units/430102/audit?pageSize=1')).json();
    expect(first.items).toHaveLength(1);
    const second = (await county.get(`/api/units/430102/audit?pageSize=1&before=${first.nextBefore}`)).json();
    expect(second.items[0].id).toBeLessThan(first.items[0].id);
  });

  it('is for admins, and answers 404 outside the subtree', async () => {
    expect((await operator.get(`/api/units/${school}/audit`)).statusCode).toBe(403);
    expect((await otherCounty.get('/api/units/430102/audit')).statusCode).toBe(404);
    expect((await county.get('/api/units/430000/audit')).statusCode).toBe(404);
  });

  it('exports the filtered log as .xlsx, masked, and audits the export', async () => {
    const response = await county.get('/api/units/430102/audit/export?action=staff.');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toContain(encodeURIComponent('审计日志'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('审计日志')!;
    expect(sheet.getRow(1).getCell(6).value).toBe('操作');
    const actions = sheet.getColumn(6).values.slice(2);
    expect(actions.length).toBeGreaterThan(1);
    expect(actions.every((action) => String(action).startsWith('staff.'))).toBe(true);
    let text = '';
    sheet.eachRow((row) => (text += JSON.stringify(row.values)));
    expect(text).not.toContain('13812345678');
    const latest = (await county.get('/api/units/430102/audit?action=audit.exported')).json().items as Event[];
    expect(latest[0]).toMatchObject({ action: 'audit.exported', after: { action: 'staff.' } });
  });

  it('masks ID and mobile numbers wherever they appear in an event', () => {
    expect(maskPersonalData({ idNumber: '43010219800101123X', note: '电话13912345678', list: ['430102198001011234'], n: 3 })).toEqual({
      idNumber: '430102************',
      note: '电话139****5678',
      list: ['430102************'],
      n: 3,
    });
  });

  it('gives birth dates to the month: under their key, as the sides of a change naming them, and in text about a person', () => {
    const created = { name: '张三', birthDate: '1969-05-23', idNumber: 'E1234567', workStart: '1986-09' };
    expect(maskPersonalData(created, true)).toEqual({ name: '张三', birthDate: '1969-05', idNumber: 'E1****67', workStart: '1986-09' });
    const asked = [{ field: 'birthDate', label: '出生日期', before: '1969-05-23', after: '1969-05-28', note: '身份证上是1969年5月28日' }];
    expect(maskPersonalData(asked, true)).toEqual([{ field: 'birthDate', label: '出生日期', before: '1969-05', after: '1969-05', note: '身份证上是1969年5月' }]);
    // Dates in events about no person (a campaign's deadlines) are not theirs to hide.
    expect(maskPersonalData({ deadline: '2024-06-30' })).toEqual({ deadline: '2024-06-30' });
  });
});
