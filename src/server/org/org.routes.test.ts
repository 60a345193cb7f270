import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { units } from '../db/schema.ts';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { auditEventsFor, makeAccount, makeSchool } from '../test/factories.ts';

let t: TestApp;
let county: TestClient;
let province: TestClient;
let viewer: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  for (let serial = 1; serial <= 3; serial += 1) await makeSchool(db, { countyCode: '430102', serial, expectedStaff: 10 * serial });
  await makeSchool(db, { countyCode: '430102', schoolType: 'special', serial: 1, expectedStaff: 7 });
  await makeSchool(db, { countyCode: '430103', serial: 1 });
  await makeSchool(db, { countyCode: '430104', schoolType: 'higher_ed', serial: 1, expectedStaff: 900 });
  county = await t.login((await makeAccount(db, { unitCode: '430102' })).username);
  province = await t.login((await makeAccount(db, { unitCode: '430000' })).username);
  viewer = await t.login((await makeAccount(db, { unitCode: '430102', role: 'viewer' })).username);
});
afterAll(() => t.close());

describe('GET /api/units/{code}', () => {
  it('gives the unit, its parent chain and counts of its subtree', async () => {
    const response = await county.get('/api/units/430102');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      code: '430102',
      name: '芙蓉区',
      kind: 'county',
      chain: [
        { code: '430000', name: '湖南省' },
        { code: '430100', name: '长沙市' },
        { code: '430102', name: '芙蓉区' },
      ],
      counts: { schools: 4, expectedStaff: 67 },
      abilities: { createSchool: true, manageAccounts: true },
    });
  });

  it('holds the 14 prefectures and 122 counties of 2013 under the province', async () => {
    const body = (await province.get('/api/units/430000')).json();
    expect(body.counts).toMatchObject({ prefectures: 14, counties: 122 });
  });

  it('answers 404 for a unit of another county and for an unknown code', async () => {
    for (const url of ['/api/units/430103', '/api/units/430100', '/api/units/2430103001', '/api/units/999999', '/api/units/abc']) {
      const response = await county.get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
  });

  it('answers 401 without a session', async () => {
    expect((await t.anonymous().get('/api/units/430102')).statusCode).toBe(401);
  });
});

describe('GET /api/units/{code}/children', () => {
  it('lists prefectures, then universities, under the province with their school counts', async () => {
    const body = (await province.get('/api/units/430000/children?pageSize=500')).json();
    expect(body.total).toBe(15);
    expect(body.items[0]).toMatchObject({ code: '430100', name: '长沙市', kind: 'prefecture', counts: { schools: 5 } });
    const university = body.items.at(-1);
    expect(university).toMatchObject({ kind: 'school', schoolType: 'higher_ed', reportingUnitCode: '430000', countyCode: '430104', countyName: '岳麓区' });
  });

  it('pages with page and pageSize and filters by type and name', async () => {
    const page2 = (await county.get('/api/units/430102/children?page=2&pageSize=2')).json();
    expect(page2.total).toBe(4);
    expect(page2.items).toHaveLength(2);
    const special = (await county.get('/api/units/430102/children?schoolType=special')).json();
    expect(special.items.map((i: { schoolType: string }) => i.schoolType)).toEqual(['special']);
    const byName = (await county.get(`/api/units/430102/children?q=${encodeURIComponent('特殊')}`)).json();
    expect(byName.total).toBe(1);
    expect((await county.get('/api/units/430102/children?pageSize=501')).statusCode).toBe(400);
  });

  it('answers 404 for another county', async () => {
    expect((await county.get('/api/units/430103/children')).statusCode).toBe(404);
  });
});

describe('GET /api/units/{code}/schools', () => {
  it('searches every school of a subtree by name or code', async () => {
    const all = (await province.get('/api/units/430100/schools')).json();
    expect(all.total).toBe(5);
    const byCode = (await province.get('/api/units/430000/schools?q=2430103')).json();
    expect(byCode.items.map((i: { code: string }) => i.code)).toEqual(['2430103001']);
  });
});

describe('schools: create and edit', () => {
  it('a county admin adds a school to its county; it reports to the county; the change is audited', async () => {
    const response = await county.post('/api/schools', { code: '2430102099', name: '芙蓉区新建小学', schoolType: 'k12', countyCode: '430102', expectedStaff: 30 });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ reportingUnitCode: '430102', chain: [{}, {}, { code: '430102' }, { code: '2430102099' }] });
    const events = await auditEventsFor(t.database.db, '2430102099');
    expect(events).toMatchObject([{ action: 'school.created', after: { name: '芙蓉区新建小学', expectedStaff: 30 } }]);
  });

  it('refuses a county outside the subtree with 404, and changes nothing', async () => {
    const response = await county.post('/api/schools', { code: '2430103099', name: '天心区某校', schoolType: 'k12', countyCode: '430103', expectedStaff: 30 });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toContain('430103');
    expect(await t.database.db.select().from(units).where(eq(units.code, '2430103099'))).toHaveLength(0);
  });

  it('places higher education under the province: a county admin may not add one, the province may', async () => {
    const input = { code: '4430102099', name: '某职业技术学院', schoolType: 'higher_ed', countyCode: '430102', expectedStaff: 500 };
    expect((await county.post('/api/schools', input)).statusCode).toBe(403);
    const created = await province.post('/api/schools', input);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ reportingUnitCode: '430000', countyName: '芙蓉区' });
  });

  it('refuses a taken code with 409, a bad code with 400, and a viewer with 403', async () => {
    const taken = await county.post('/api/schools', { code: '2430102001', name: 'x', schoolType: 'k12', countyCode: '430102', expectedStaff: 1 });
    expect(taken.statusCode).toBe(409);
    const bad = await county.post('/api/schools', { code: '123', name: 'x', schoolType: 'k12', countyCode: '430102', expectedStaff: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('10 位数字');
    const byViewer = await viewer.post('/api/schools', { code: '2430102098', name: 'x', schoolType: 'k12', countyCode: '430102', expectedStaff: 1 });
    expect(byViewer.statusCode).toBe(403);
  });

  it('edits with the version, answers 409 to a stale version and keeps the first edit', async () => {
    const before = (await county.get('/api/schools/2430102002')).json();
    const first = await county.patch('/api/schools/2430102002', { version: before.version, expectedStaff: 88 });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ expectedStaff: 88, version: before.version + 1 });
    const stale = await county.patch('/api/schools/2430102002', { version: before.version, expectedStaff: 99 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_version');
    expect((await county.get('/api/schools/2430102002')).json().expectedStaff).toBe(88);
    const events = await auditEventsFor(t.database.db, '2430102002');
    expect(events.at(-1)).toMatchObject({ action: 'school.updated', before: { expectedStaff: 20 }, after: { expectedStaff: 88 } });
  });

  it('does not move a school out of the subtree', async () => {
    const school = (await county.get('/api/schools/2430102003')).json();
    const moved = await county.patch('/api/schools/2430102003', { version: school.version, countyCode: '430103' });
    expect(moved.statusCode).toBe(404);
    expect((await county.get('/api/schools/2430102003')).json().countyCode).toBe('430102');
  });

  it('GET /api/schools/{code} answers 404 for a county code and for another county\'s school', async () => {
    expect((await county.get('/api/schools/430102')).statusCode).toBe(404);
    expect((await county.get('/api/schools/2430103001')).statusCode).toBe(404);
  });
});
