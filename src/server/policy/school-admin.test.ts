import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, multipart, type TestApp, type TestClient } from '../test/app.ts';
import { makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';
import { schoolCode } from '../demo/school-names.ts';
import { chinaDay } from '../../standard/normalize.ts';

/**
 * The school's own admin (学校管理员), over HTTP: it runs its school's plan tasks, its accounts and a
 * university's attachment 2, and nothing of its records or of the levels above.
 */
const school = schoolCode('k12', '430102', 1);
const neighbour = schoolCode('k12', '430102', 2);
const university = schoolCode('higher_ed', '430102', 1);

let t: TestApp;
let schoolAdmin: TestClient;
let universityAdmin: TestClient;
let operatorId: number;
let countyOperatorId: number;
let neighbourOperatorId: number;
let peerAdminId: number;

const person = { name: '张三', title: '处长', officePhone: '0731-84720000', mobile: '13812345678', email: 'zhang@example.cn' };
const newAccount = (username: string, role: string, unitCode: string) => ({ username, displayName: '新账号', role, unitCode, password: 'Census-Made-2026' });

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await makeSchool(db, { countyCode: '430102', serial: 1 });
  await makeSchool(db, { countyCode: '430102', serial: 2 });
  await makeSchool(db, { countyCode: '430102', schoolType: 'higher_ed', serial: 1 });
  await makeCampaign(db);
  schoolAdmin = await t.login((await makeAccount(db, { unitCode: school, role: 'admin' })).username);
  universityAdmin = await t.login((await makeAccount(db, { unitCode: university, role: 'admin' })).username);
  peerAdminId = (await makeAccount(db, { unitCode: school, role: 'admin' })).id;
  operatorId = (await makeAccount(db, { unitCode: school, role: 'operator' })).id;
  countyOperatorId = (await makeAccount(db, { unitCode: '430102', role: 'operator' })).id;
  neighbourOperatorId = (await makeAccount(db, { unitCode: neighbour, role: 'operator' })).id;
});
afterAll(() => t.close());

describe('a school admin manages its own school\'s accounts', () => {
  it('creates an operator, a leader and a viewer of its school, who sign in', async () => {
    for (const role of ['operator', 'leader', 'viewer']) {
      const created = await schoolAdmin.post('/api/accounts', newAccount(`school-made-${role}`, role, school));
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toMatchObject({ role, unit: { code: school }, abilities: { update: true } });
    }
    await expect(t.login('school-made-operator', 'Census-Made-2026')).resolves.toBeDefined();
  });

  it('edits, disables, resets and unlocks its operator', async () => {
    const seen = await schoolAdmin.get(`/api/accounts/${operatorId}`);
    expect(seen.statusCode).toBe(200);
    const renamed = await schoolAdmin.patch(`/api/accounts/${operatorId}`, { version: seen.json().version, displayName: '李专干' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((await schoolAdmin.post(`/api/accounts/${operatorId}/reset-password`, { password: 'Renewed-by-2026' })).statusCode).toBe(200);
    expect((await schoolAdmin.post(`/api/accounts/${operatorId}/unlock`)).statusCode).toBe(200);
    const current = (await schoolAdmin.get(`/api/accounts/${operatorId}`)).json() as { version: number };
    const disabled = await schoolAdmin.patch(`/api/accounts/${operatorId}`, { version: current.version, disabled: true });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json()).toMatchObject({ disabled: true });
  });

  it('lists only its school\'s accounts', async () => {
    const body = (await schoolAdmin.get('/api/accounts?pageSize=500')).json() as { items: { unit: { code: string } }[] };
    expect(new Set(body.items.map((account) => account.unit.code))).toEqual(new Set([school]));
    expect((await schoolAdmin.get('/api/accounts?unitCode=430102')).statusCode).toBe(404);
  });

  it('makes no admin, not even by promotion, and leaves its peer admin to the county', async () => {
    expect((await schoolAdmin.post('/api/accounts', newAccount('school-made-admin', 'admin', school))).statusCode).toBe(403);
    const operator = (await schoolAdmin.get('/api/accounts?role=viewer&pageSize=50')).json().items[0] as { id: number; version: number };
    expect((await schoolAdmin.patch(`/api/accounts/${operator.id}`, { version: operator.version, role: 'admin' })).statusCode).toBe(403);
    expect((await schoolAdmin.get(`/api/accounts/${peerAdminId}`)).json()).toMatchObject({ abilities: { update: false } });
    expect((await schoolAdmin.post(`/api/accounts/${peerAdminId}/reset-password`, { password: 'Renewed-by-2026' })).statusCode).toBe(403);
  });

  it('touches no account of another school or of the county (404: it does not see them)', async () => {
    expect((await schoolAdmin.post('/api/accounts', newAccount('elsewhere-made', 'operator', neighbour))).statusCode).toBe(404);
    expect((await schoolAdmin.post('/api/accounts', newAccount('county-made', 'viewer', '430102'))).statusCode).toBe(404);
    for (const id of [neighbourOperatorId, countyOperatorId]) {
      expect((await schoolAdmin.get(`/api/accounts/${id}`)).statusCode).toBe(404);
      expect((await schoolAdmin.post(`/api/accounts/${id}/reset-password`, { password: 'Renewed-by-2026' })).statusCode).toBe(404);
    }
    // Nor moves its own operator out of the school.
    const viewer = (await schoolAdmin.get('/api/accounts?role=viewer&pageSize=50')).json().items[0] as { id: number; version: number };
    expect((await schoolAdmin.patch(`/api/accounts/${viewer.id}`, { version: viewer.version, unitCode: '430102' })).statusCode).toBe(404);
  });
});

describe('a school admin runs its school\'s duties and no one else\'s', () => {
  it('marks its school\'s training done; its session offers the accounts and no county page', async () => {
    const tasks = (await schoolAdmin.get(`/api/units/${school}/tasks`)).json() as { abilities: { complete: boolean } };
    expect(tasks.abilities.complete).toBe(true);
    const marked = await schoolAdmin.post(`/api/units/${school}/tasks/school-1/done`, { doneOn: chinaDay(new Date()), note: '培训已开展' });
    expect(marked.statusCode, marked.body).toBe(200);
    const me = (await schoolAdmin.get('/api/auth/me')).json() as { user: { abilities: Record<string, boolean> } };
    expect(me.user.abilities).toMatchObject({ manageAccounts: true, manageSchools: false, receivePackages: false, weeklyReports: false, reportContacts: false, readBulletins: false });
  });

  it('keeps out of its records, its submission and its school\'s register (403)', async () => {
    expect((await schoolAdmin.post(`/api/schools/${school}/staff`, { values: validStaffValues(1) })).statusCode).toBe(403);
    expect((await schoolAdmin.post(`/api/units/${school}/packages`, {})).statusCode).toBe(403);
    expect((await schoolAdmin.patch(`/api/schools/${school}`, { version: 1, expectedStaff: 10 })).statusCode).toBe(403);
    expect((await schoolAdmin.post(`/api/schools/${school}/close`, { closedOn: chinaDay(new Date()), reason: '撤并', version: 1 })).statusCode).toBe(403);
    const unit = (await schoolAdmin.get(`/api/units/${school}`)).json() as { abilities: Record<string, boolean> };
    expect(unit.abilities).toMatchObject({ manageAccounts: true, updateSchool: false, closeSchool: false, writeStaff: false });
  });

  it('adds no school: neither one by one nor from a list', async () => {
    const body = { code: schoolCode('k12', '430102', 50), name: '新建学校', schoolType: 'k12', countyCode: '430102', expectedStaff: 10 };
    expect((await schoolAdmin.post('/api/schools', body)).statusCode).toBe(403);
    const template = await schoolAdmin.get('/api/schools/import-template');
    const upload = multipart({ name: '学校名单.xlsx', content: template.rawPayload });
    expect((await schoolAdmin.request('POST', '/api/schools/import', upload.payload, { headers: upload.headers })).statusCode).toBe(403);
  });
});

describe('a university admin', () => {
  it('reports attachment 2 (责任人) to the province and marks its training', async () => {
    const me = (await universityAdmin.get('/api/auth/me')).json() as { user: { abilities: Record<string, boolean> } };
    expect(me.user.abilities).toMatchObject({ manageAccounts: true, reportContacts: true, readBulletins: true, receivePackages: false });
    const reported = await universityAdmin.request('PUT', `/api/units/${university}/contacts`, { department: '人事处', leader: person, head: person, liaison: person });
    expect(reported.statusCode, reported.body).toBe(200);
    const marked = await universityAdmin.post(`/api/units/${university}/tasks/higher_ed-2/done`, { doneOn: chinaDay(new Date()), note: '培训已开展' });
    expect(marked.statusCode, marked.body).toBe(200);
  });

  it('creates its university\'s operator, and none at the province', async () => {
    expect((await universityAdmin.post('/api/accounts', newAccount('univ-operator', 'operator', university))).statusCode).toBe(201);
    expect((await universityAdmin.post('/api/accounts', newAccount('univ-at-province', 'viewer', '430000'))).statusCode).toBe(404);
    expect((await universityAdmin.post(`/api/schools/${university}/staff`, { values: validStaffValues(2) })).statusCode).toBe(403);
  });
});
