import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { auditEventsFor, makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';
import { normaliseCode } from './confirmation.service.ts';

let t: TestApp;
let operator: TestClient;
const school = '2430102001';

async function createAndIssue(serial: number) {
  const record = (await operator.post(`/api/schools/${school}/staff`, { values: validStaffValues(serial) })).json() as { id: number };
  const issued = await operator.post(`/api/schools/${school}/confirmation-codes`, { ids: [record.id] });
  expect(issued.statusCode, issued.body).toBe(200);
  const [slip] = issued.json().issued;
  return { id: record.id, code: slip.code as string, suffix: validStaffValues(serial).idNumber.slice(-6) };
}

async function openAs(code: string, idSuffix: string) {
  return t.anonymous().post('/api/confirm/session', { code, idSuffix });
}

function person(token: string) {
  const headers = { authorization: `Bearer ${token}` };
  return {
    get: (url: string) => t.anonymous().request('GET', url, undefined, { headers }),
    post: (url: string, body: unknown = {}) => t.anonymous().request('POST', url, body, { headers }),
  };
}

beforeAll(async () => {
  t = await createTestApp();
  await makeCampaign(t.database.db);
  await makeSchool(t.database.db, { countyCode: '430102', serial: 1 });
  operator = await t.login((await makeAccount(t.database.db, { unitCode: school, role: 'operator' })).username);
});
afterAll(() => t.close());

describe('staff self-confirmation', () => {
  it('opens the own record with the code and the last six ID characters, and confirms it once', async () => {
    const { id, code, suffix } = await createAndIssue(1);
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    const session = await openAs(code.toLowerCase().replace('-', ' '), suffix.toLowerCase());
    expect(session.statusCode, session.body).toBe(200);
    const me = person(session.json().token);
    const record = (await me.get('/api/confirm/record')).json();
    expect(record).toMatchObject({ status: 'awaiting_confirmation' });
    expect(record.fields.find((f: { key: string }) => f.key === 'sex').display).toMatch(/^[12]-[男女]$/);
    const idField = record.fields.find((f: { key: string }) => f.key === 'idNumber');
    const fullId = validStaffValues(1).idNumber;
    expect(idField.display).toBe(`${fullId.slice(0, 3)}***********${fullId.slice(-4)}`);
    expect(JSON.stringify(record)).not.toContain(fullId);
    expect((await me.post('/api/confirm/confirm')).json()).toEqual({ status: 'confirmed' });
    expect((await operator.get(`/api/staff/${id}`)).json().status).toBe('confirmed');
    expect((await me.get('/api/confirm/record')).statusCode).toBe(401);
    expect((await openAs(code, suffix)).statusCode).toBe(401);
    const history = (await operator.get(`/api/staff/${id}/history`)).json().items;
    expect(history.at(-1)).toMatchObject({ event: 'confirm', actorKind: 'staff_member', to: 'confirmed' });
  });

  it('reveals nothing for a wrong code or a wrong ID suffix, and locks a code after repeated failures', async () => {
    const { code, suffix } = await createAndIssue(2);
    const wrongCode = await openAs('ABCD-EFGH', suffix);
    const wrongSuffix = await openAs(code, '000000');
    expect(wrongCode.statusCode).toBe(401);
    expect(wrongSuffix.statusCode).toBe(401);
    expect(wrongCode.json().error.message).toBe(wrongSuffix.json().error.message);
    for (let i = 0; i < 4; i += 1) await openAs(code, '000000');
    expect((await openAs(code, suffix)).statusCode).toBe(401); // locked now, even with the right suffix
  });

  it('takes a correction request field by field through the same rules; the school accepts and it is applied', async () => {
    const { id, code, suffix } = await createAndIssue(3);
    const me = person((await openAs(code, suffix)).json().token);
    const refused = await me.post('/api/confirm/corrections', { fields: [{ field: 'birthDate', value: '1980-02-30' }] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details.findings[0]).toMatchObject({ field: 'birthDate', code: 'invalid_date' });
    const asked = await me.post('/api/confirm/corrections', { fields: [{ field: 'name', value: '王小明', note: '身份证上的名字' }, { field: 'political', value: '01-中共党员' }] });
    expect(asked.json()).toEqual({ status: 'correction_requested' });
    expect((await operator.get('/api/notifications')).json().items[0]).toMatchObject({ kind: 'correction_requested', link: `/staff/${id}` });
    const [request] = (await operator.get(`/api/staff/${id}/corrections`)).json().items;
    expect(request.fields).toEqual([
      { field: 'name', label: '姓名', before: '测试教师3', after: '王小明', note: '身份证上的名字' },
      { field: 'political', label: '政治面貌', before: '13', after: '01', note: null },
    ]);
    const accepted = await operator.post(`/api/corrections/${request.id}/accept`);
    expect(accepted.json()).toMatchObject({ status: 'confirmed' });
    const record = (await operator.get(`/api/staff/${id}`)).json();
    expect(record.values).toMatchObject({ name: '王小明', political: '01', idNumber: validStaffValues(3).idNumber });
    expect((await operator.post(`/api/corrections/${request.id}/accept`)).statusCode).toBe(409);
    expect((await auditEventsFor(t.database.db, id, 'staff')).map((e) => e.action)).toEqual(expect.arrayContaining(['staff.request_correction', 'staff.accept_correction']));
  });

  it('shows the person the reason when the school rejects a request', async () => {
    const { id, code, suffix } = await createAndIssue(4);
    const me = person((await openAs(code, suffix)).json().token);
    await me.post('/api/confirm/corrections', { fields: [{ field: 'name', value: '错名' }] });
    const [request] = (await operator.get(`/api/staff/${id}/corrections`)).json().items;
    expect((await operator.post(`/api/corrections/${request.id}/reject`, {})).statusCode).toBe(400);
    const rejected = await operator.post(`/api/corrections/${request.id}/reject`, { reason: '与户籍信息不符，请携带身份证到人事处核对' });
    expect(rejected.json()).toMatchObject({ status: 'awaiting_confirmation' });
    const again = (await me.get('/api/confirm/record')).json();
    expect(again.lastRequest).toMatchObject({ status: 'rejected', reason: '与户籍信息不符，请携带身份证到人事处核对' });
    expect((await operator.get(`/api/staff/${id}`)).json().values.name).toBe('测试教师4');
  });

  it('lets a whole staff room confirm from one address, and shuts that address out after 30 failures', async () => {
    const fromSchoolWifi = (code: string, idSuffix: string) =>
      t.anonymous().request('POST', '/api/confirm/session', { code, idSuffix }, { remoteAddress: '203.0.113.9' });
    const people = [];
    for (let serial = 100; serial < 135; serial += 1) people.push(await createAndIssue(serial));
    for (const { code, suffix } of people.slice(0, 34)) expect((await fromSchoolWifi(code, suffix)).statusCode).toBe(200);
    for (let i = 0; i < 30; i += 1) expect((await fromSchoolWifi(`ZZZZ-${String(i).padStart(4, 'Z').replace(/[01]/g, 'Z')}`, '000000')).statusCode).toBe(401);
    const [last] = people.slice(34);
    const shut = await fromSchoolWifi(last.code, last.suffix);
    expect(shut.statusCode).toBe(429);
    expect(shut.json().error.message).toContain('15 分钟');
    // Another address is not affected.
    expect((await openAs(last.code, last.suffix)).statusCode).toBe(200);
  });

  it('normalises typed codes', () => {
    expect(normaliseCode(' k7qm 3hxp ')).toBe('K7QM-3HXP');
    expect(normaliseCode('Ｋ７ＱＭ－３ＨＸＰ')).toBe('K7QM-3HXP');
  });
});
