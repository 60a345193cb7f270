import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staff } from '../db/schema.ts';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { auditEventsFor, makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';

let t: TestApp;
let operator: TestClient;
let otherOperator: TestClient;
let countyAdmin: TestClient;
let countyViewer: TestClient;
const school = '2430102001';

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await makeCampaign(db);
  await makeSchool(db, { countyCode: '430102', serial: 1 });
  await makeSchool(db, { countyCode: '430102', serial: 2 });
  await makeSchool(db, { countyCode: '430103', serial: 1 });
  operator = await t.login((await makeAccount(db, { unitCode: school, role: 'operator' })).username);
  otherOperator = await t.login((await makeAccount(db, { unitCode: '2430102002', role: 'operator' })).username);
  countyAdmin = await t.login((await makeAccount(db, { unitCode: '430102' })).username);
  countyViewer = await t.login((await makeAccount(db, { unitCode: '430102', role: 'viewer' })).username);
});
afterAll(() => t.close());

async function create(client: TestClient, values: Record<string, unknown>, code = school) {
  return client.post(`/api/schools/${code}/staff`, { values });
}

describe('staff records', () => {
  it('creates a valid record in canonical form, as a draft, audited', async () => {
    const values = { ...validStaffValues(1), sex: '1-男', birthDate: '1980年1月1日', workStart: '200209', political: '群众' };
    const response = await create(operator, values);
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({ status: 'draft', version: 1, idNumberMasked: false });
    expect(body.values).toMatchObject({ sex: '1', birthDate: '1980-01-01', workStart: '2002-09', political: '13', idNumber: values.idNumber });
    const events = await auditEventsFor(t.database.db, body.id, 'staff');
    expect(events[0]).toMatchObject({ action: 'staff.created', unitCode: school });
  });

  it('refuses a record that breaks the rules with the checker\'s codes and messages, writing nothing', async () => {
    const values = validStaffValues(2);
    const wrongCheck = values.idNumber.slice(0, 17) + (values.idNumber[17] === '0' ? '1' : '0');
    const response = await create(operator, { ...values, idNumber: wrongCheck, sex: '', ethnicity: null });
    expect(response.statusCode).toBe(422);
    const codes = response.json().error.details.findings.map((f: { field: string; code: string }) => `${f.field}:${f.code}`);
    expect(codes).toEqual(expect.arrayContaining(['idNumber:id_checksum', 'sex:required', 'ethnicity:required']));
    const message = response.json().error.details.findings.find((f: { code: string }) => f.code === 'id_checksum').message;
    expect(message).toMatch(/^身份证件号：校验位应为.，实为.$/);
    expect(await t.database.db.select().from(staff).where(eq(staff.idNumber, wrongCheck))).toHaveLength(0);
  });

  it('refuses an ID number already at this school, and one at another school naming it', async () => {
    const values = validStaffValues(3);
    expect((await create(operator, values)).statusCode).toBe(201);
    const again = await create(operator, { ...values, name: '另一人' });
    expect(again.statusCode).toBe(422);
    expect(again.json().error.details.findings.at(-1)).toMatchObject({ field: 'idNumber', code: 'duplicate_in_school' });
    const elsewhere = await create(otherOperator, values, '2430102002');
    expect(elsewhere.statusCode).toBe(422);
    const finding = elsewhere.json().error.details.findings.at(-1);
    expect(finding).toMatchObject({ field: 'idNumber', code: 'duplicate_in_province' });
    expect(finding.message).toContain('芙蓉区');
  });

  it('updates with the version; a stale version answers 409 and loses nothing', async () => {
    const created = (await create(operator, validStaffValues(4))).json();
    const first = await operator.patch(`/api/staff/${created.id}`, { version: 1, values: { name: '张三' } });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ version: 2, values: { name: '张三' } });
    const stale = await operator.patch(`/api/staff/${created.id}`, { version: 1, values: { name: '李四' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_version');
    expect((await operator.get(`/api/staff/${created.id}`)).json().values.name).toBe('张三');
    const events = await auditEventsFor(t.database.db, created.id, 'staff');
    expect(events.at(-1)).toMatchObject({ action: 'staff.updated', before: { name: '测试教师4' }, after: { name: '张三' } });
  });

  it('checks the whole record again on update (a change can break a conditional rule)', async () => {
    const created = (await create(operator, validStaffValues(5))).json();
    const response = await operator.patch(`/api/staff/${created.id}`, { version: 1, values: { onPayroll: '0' } });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.details.findings).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'employmentForm', code: 'required' })]));
  });

  it('lists a school\'s records, paged, searchable by name and ID prefix', async () => {
    const list = (await operator.get(`/api/schools/${school}/staff?pageSize=2`)).json();
    expect(list.total).toBeGreaterThanOrEqual(4);
    expect(list.items).toHaveLength(2);
    expect(list.idNumbersMasked).toBe(false);
    const byName = (await operator.get(`/api/schools/${school}/staff?q=${encodeURIComponent('张三')}`)).json();
    expect(byName.items.map((i: { name: string }) => i.name)).toEqual(['张三']);
    const id = validStaffValues(3).idNumber;
    const byId = (await operator.get(`/api/schools/${school}/staff?q=${id.slice(0, 12)}`)).json();
    expect(byId.items.some((i: { idNumber: string }) => i.idNumber === id)).toBe(true);
  });

  it('masks ID numbers and birth dates above the school; a reveal shows them and is audited', async () => {
    const id = validStaffValues(3).idNumber;
    const list = (await countyAdmin.get(`/api/schools/${school}/staff?q=${id}`)).json();
    expect(list.idNumbersMasked).toBe(true);
    expect(list.items[0]).toMatchObject({ idNumber: `${id.slice(0, 6)}************`, birthDate: '1980-01' });
    const record = (await countyAdmin.get(`/api/staff/${list.items[0].id}`)).json();
    expect(record).toMatchObject({ idNumberMasked: true, abilities: { reveal: true, update: false } });
    expect(record.values).toMatchObject({ idNumber: `${id.slice(0, 6)}************`, birthDate: '1980-01' });
    const revealed = await countyAdmin.post(`/api/staff/${record.id}/reveal`);
    expect(revealed.json()).toEqual({ idNumber: id, birthDate: '1980-01-01' });
    const events = await auditEventsFor(t.database.db, record.id, 'staff');
    expect(events.map((e) => e.action)).toContain('staff.id_revealed');
    expect((await countyViewer.post(`/api/staff/${record.id}/reveal`)).statusCode).toBe(403);
  });

  it('finds an ID number above the school by the whole number only, never by its start or its birth date', async () => {
    const id = validStaffValues(3).idNumber;
    const found = async (client: TestClient, q: string) => (await client.get(`/api/schools/${school}/staff?q=${q}`)).json().items.length;
    for (const client of [countyAdmin, countyViewer]) {
      expect(await found(client, id)).toBe(1);
      expect(await found(client, id.toLowerCase())).toBe(1);
      expect(await found(client, id.slice(0, 17))).toBe(0);
      expect(await found(client, id.slice(0, 14))).toBe(0);
      expect(await found(client, id.slice(6, 14))).toBe(0);
    }
    expect(await found(operator, id.slice(0, 17))).toBe(1);
  });

  it('holds the ID searches of a reader above the school who keeps guessing, but not its searches by name', async () => {
    const id = validStaffValues(3).idNumber;
    const guesser = await t.login((await makeAccount(t.database.db, { unitCode: '430102', role: 'viewer' })).username);
    const search = (q: string) => guesser.get(`/api/schools/${school}/staff?q=${encodeURIComponent(q)}`);
    // A hit is not a miss: the person is found as often as asked.
    for (let i = 0; i < 3; i += 1) expect((await search(id)).json().total).toBe(1);
    // Guesses of the hidden digits: each whole number is answered until the 30th miss.
    const guesses = Array.from({ length: 31 }, (_, i) => `${id.slice(0, 14)}${String(100 + i).padStart(3, '0')}X`);
    const answers = [];
    for (const guess of guesses) answers.push(await search(guess));
    expect(answers.slice(0, 30).map((r) => r.statusCode)).toEqual(Array(30).fill(200));
    expect(answers.slice(0, 30).every((r) => r.json().total === 0)).toBe(true);
    expect(answers[30].statusCode).toBe(429);
    expect(answers[30].json().error.message).toMatch(/证件号查找已暂停/);
    // Even the right number is refused while held; a name search still answers; another reader is not held.
    expect((await search(id)).statusCode).toBe(429);
    expect((await search('张三')).statusCode).toBe(200);
    expect((await countyViewer.get(`/api/schools/${school}/staff?q=${id}`)).json().total).toBe(1);
  });

  it('lets only the school write its records', async () => {
    const created = (await create(operator, validStaffValues(6))).json();
    expect((await countyAdmin.patch(`/api/staff/${created.id}`, { version: 1, values: { name: '改' } })).statusCode).toBe(403);
    expect((await otherOperator.get(`/api/staff/${created.id}`)).statusCode).toBe(404);
    expect((await create(countyAdmin, validStaffValues(7))).statusCode).toBe(403);
  });

  it('deletes softly with the version, audited', async () => {
    const created = (await create(operator, validStaffValues(8))).json();
    expect((await operator.request('DELETE', `/api/staff/${created.id}?version=9`)).statusCode).toBe(409);
    expect((await operator.request('DELETE', `/api/staff/${created.id}?version=1&reason=${encodeURIComponent('调离')}`)).statusCode).toBe(204);
    expect((await operator.get(`/api/staff/${created.id}`)).statusCode).toBe(404);
    const events = await auditEventsFor(t.database.db, created.id, 'staff');
    expect(events.at(-1)).toMatchObject({ action: 'staff.deleted', reason: '调离' });
    // The person can be entered again once the old record is deleted.
    expect((await create(operator, validStaffValues(8))).statusCode).toBe(201);
  });
});

describe('what the pages need from a record', () => {
  it('names the school type on a record and says on the school whether the actor may write its staff', async () => {
    const created = (await create(operator, validStaffValues(50))).json();
    expect((await operator.get(`/api/staff/${created.id}`)).json().schoolType).toBe('k12');
    expect((await operator.get(`/api/units/${school}`)).json().abilities.writeStaff).toBe(true);
    expect((await countyAdmin.get(`/api/units/${school}`)).json().abilities.writeStaff).toBe(false);
  });
});
