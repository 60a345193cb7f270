import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { eq, inArray, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, auditEvents, units } from '../db/schema.ts';
import { createTestApp, multipart, type TestApp, type TestClient } from '../test/app.ts';
import { makeAccount } from '../test/factories.ts';

let t: TestApp;
let county: TestClient;
let otherCounty: TestClient;

const codes = ['2430102101', '2430102102', '2430102103', '2430102104', '2430102105'];

async function schoolList(rows: (string | number)[][]) {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('学校名单');
  sheet.addRow(['★学校标识码', '★学校名称', '★学校类型', '★所在县市区代码', '★教职工数（编制/统计数）']);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function importList(client: TestClient, rows: (string | number)[][], createAccounts = 'true') {
  const body = multipart({ name: 'list.xlsx', content: await schoolList(rows) }, { createAccounts });
  return client.request('POST', '/api/schools/import', body.payload, { headers: body.headers });
}

async function readSheet(payload: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.read(Readable.from(payload));
  const sheet = book.worksheets[0];
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell) => cells.push(cell.text));
    rows.push(cells);
  });
  return rows;
}

async function accountCount(pattern: string) {
  const [row] = await t.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(accounts).where(like(accounts.username, pattern));
  return row.n;
}

/** The initial passwords of a unit's subtree as its county downloads them, by username. */
async function credentialsOf(unitCode: string) {
  const response = await county.get(`/api/units/${unitCode}/credentials`);
  expect(response.statusCode, response.body).toBe(200);
  const [header, ...rows] = await readSheet(response.rawPayload);
  expect(header).toEqual(['学校标识码', '学校名称', '角色', '用户名', '初始密码']);
  return new Map(rows.map((row) => [row[3], row[4]]));
}

beforeAll(async () => {
  t = await createTestApp({ ROLLCALL_SECRET_KEY: randomBytes(32).toString('base64'), ROLLCALL_LOGIN_MAX_FAILURES: '2' });
  county = await t.login((await makeAccount(t.database.db, { unitCode: '430102' })).username);
  otherCounty = await t.login((await makeAccount(t.database.db, { unitCode: '430103' })).username);
  const response = await importList(county, codes.map((code, index) => [code, `芙蓉区第${index + 101}小学`, '中小学', '430102', 20]));
  expect(response.statusCode, response.body).toBe(200);
  expect(response.json()).toEqual({ created: 5, updated: 0, unchanged: 0, accountsCreated: 15 });
});
afterAll(() => t.close());

describe('school accounts from the school list', () => {
  it('gives each new school an admin, an operator and a leader, named by the school code, to change their passwords', async () => {
    const rows = await t.database.db.select().from(accounts).where(inArray(accounts.unitCode, codes));
    expect(rows).toHaveLength(15);
    expect(rows.map((row) => row.username).sort()).toEqual(codes.flatMap((code) => [`${code}-admin`, `${code}-leader`, `${code}-op`]).sort());
    expect(rows.every((row) => row.mustChangePassword && row.initialPasswordCipher !== null)).toBe(true);
    expect(rows.find((row) => row.username === `${codes[0]}-op`)).toMatchObject({ role: 'operator', displayName: '芙蓉区第101小学操作员' });
    // Importing the same list again updates nothing and makes no account.
    const again = await importList(county, codes.map((code, index) => [code, `芙蓉区第${index + 101}小学`, '中小学', '430102', 20]));
    expect(again.json()).toEqual({ created: 0, updated: 0, unchanged: 5, accountsCreated: 0 });
  });

  it('serves the initial credentials as a workbook and a printable page, audited without a password', async () => {
    const passwords = await credentialsOf('430102');
    expect(passwords.size).toBe(15);
    for (const password of passwords.values()) expect(password).toMatch(/^[2-9A-HJ-NP-Za-km-np-z]{10}$/);
    const print = await county.get(`/api/units/${codes[0]}/credentials?format=print`);
    expect(print.statusCode).toBe(200);
    expect(print.headers['content-type']).toContain('text/html');
    expect(print.body).toContain('芙蓉区第101小学');
    expect(print.body).toContain('初始密码');
    expect(print.body).toContain('@page { size: A4');
    expect(print.body.match(/class="card"/g)).toHaveLength(1);
    expect(print.body).toContain(passwords.get(`${codes[0]}-admin`));
    const events = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'account.credentials_exported'));
    expect(events.map((event) => event.after)).toEqual(expect.arrayContaining([{ count: 15, format: 'xlsx' }, { count: 3, format: 'print' }]));
    const everything = JSON.stringify(await t.database.db.select().from(auditEvents));
    for (const password of passwords.values()) expect(everything).not.toContain(password);
  });

  it('hides the credentials of units out of scope and refuses them to non-admins', async () => {
    expect((await otherCounty.get(`/api/units/430102/credentials`)).statusCode).toBe(404);
    expect((await otherCounty.get(`/api/units/${codes[0]}/credentials?format=print`)).statusCode).toBe(404);
    const viewer = await t.login((await makeAccount(t.database.db, { unitCode: '430102', role: 'viewer' })).username);
    expect((await viewer.get(`/api/units/430102/credentials`)).statusCode).toBe(403);
  });

  it('makes an account signed in with its initial password change it before anything else', async () => {
    const username = `${codes[1]}-op`;
    const password = (await credentialsOf(codes[1])).get(username);
    expect(password).toBeDefined();
    const signIn = await t.anonymous().post('/api/auth/login', { username, password });
    expect(signIn.statusCode).toBe(200);
    expect(signIn.json()).toMatchObject({ mustChangePassword: true, user: { username, role: 'operator' } });
    const session = await t.login(username, password);
    const refused = await session.get(`/api/units/${codes[1]}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'password_change_required', message: '请先修改初始密码，修改后才能继续使用' });
    expect((await session.get('/api/auth/me')).json()).toMatchObject({ mustChangePassword: true });
    const changed = await session.post('/api/auth/password', { currentPassword: password, newPassword: 'MyOwnPass2024' });
    expect(changed.statusCode, changed.body).toBe(204);
    expect((await session.get(`/api/units/${codes[1]}`)).statusCode).toBe(200);
    expect((await session.get('/api/auth/me')).json()).toMatchObject({ mustChangePassword: false });
    // Its own password is no one else's to download.
    expect((await credentialsOf(codes[1])).has(username)).toBe(false);
  });

  it('makes a password an admin resets one to change', async () => {
    const [leader] = await t.database.db.select().from(accounts).where(eq(accounts.username, `${codes[2]}-leader`));
    const reset = await county.post(`/api/accounts/${leader.id}/reset-password`, { password: 'Given2024abc' });
    expect(reset.statusCode).toBe(200);
    const session = await t.login(leader.username, 'Given2024abc');
    expect((await session.get('/api/auth/me')).json()).toMatchObject({ mustChangePassword: true });
    expect((await session.get('/api/accounts')).json().error.code).toBe('password_change_required');
    expect((await credentialsOf(codes[2])).has(leader.username)).toBe(false);
  });

  it('resets every account of the listed units to new initial passwords, and unlocks them', async () => {
    const before = await credentialsOf(codes[3]);
    const username = `${codes[3]}-admin`;
    for (let i = 0; i < 2; i += 1) await t.anonymous().post('/api/auth/login', { username, password: 'wrong-pass-1' });
    const [admin] = await t.database.db.select().from(accounts).where(eq(accounts.username, username));
    expect((await county.get(`/api/accounts/${admin.id}`)).json().locked).toBe(true);
    const unlock = await county.post('/api/accounts/bulk-unlock', { unitCodes: [codes[3], codes[4]] });
    expect(unlock.json()).toEqual({ units: 2, accounts: 6, unlocked: 1, skipped: 0 });
    expect((await county.get(`/api/accounts/${admin.id}`)).json().locked).toBe(false);

    const reset = await county.post('/api/accounts/bulk-reset', { unitCodes: [codes[3]] });
    expect(reset.json()).toEqual({ units: 1, accounts: 3, skipped: 0 });
    const after = await credentialsOf(codes[3]);
    expect(after.size).toBe(3);
    expect(after.get(username)).not.toBe(before.get(username));
    await expect(t.login(username, before.get(username))).rejects.toThrow();
    const session = await t.login(username, after.get(username));
    expect((await session.get('/api/auth/me')).json().mustChangePassword).toBe(true);
    const resets = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'account.password_reset'));
    expect(resets.filter((event) => event.unitCode === codes[3])).toHaveLength(3);
  });

  it('answers 404 naming none when a listed unit is out of scope, and changes nothing', async () => {
    const before = await credentialsOf(codes[4]);
    for (const path of ['/api/accounts/bulk-reset', '/api/accounts/bulk-unlock']) {
      const response = await county.post(path, { unitCodes: [codes[4], '2430103001'] });
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain('2430103001');
      expect((await otherCounty.post(path, { unitCodes: [codes[4]] })).statusCode).toBe(404);
    }
    expect(await credentialsOf(codes[4])).toEqual(before);
  });

  it('exports the accounts of the subtree without passwords, audited', async () => {
    const response = await county.get('/api/accounts/export');
    expect(response.statusCode).toBe(200);
    const [header, ...rows] = await readSheet(response.rawPayload);
    expect(header).toContain('用户名');
    expect(header.join()).not.toContain('密码 ');
    expect(rows.map((row) => row[2])).toEqual(expect.arrayContaining([`${codes[0]}-admin`, `${codes[4]}-leader`]));
    const [event] = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'account.exported'));
    expect(event).toMatchObject({ unitCode: '430102', after: { count: rows.length } });
    expect((await otherCounty.get('/api/accounts/export?unitCode=430102')).statusCode).toBe(404);
  });

  it('creates no account from a bad school list or when a name is taken', async () => {
    const bad = await importList(county, [
      ['2430102201', '好学校', '中小学', '430102', 10],
      ['2430102201', '重复', '中小学', '430102', 10],
      ['2430102202', '无县学校', '中小学', '439999', 10],
    ]);
    expect(bad.statusCode).toBe(422);
    expect(await accountCount('24301022%')).toBe(0);
    await makeAccount(t.database.db, { unitCode: '430102', username: '2430102302-op' });
    const taken = await importList(county, [
      ['2430102301', '新学校一', '中小学', '430102', 10],
      ['2430102302', '新学校二', '中小学', '430102', 10],
    ]);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.message).toContain('2430102302-op');
    expect(await accountCount('2430102301%')).toBe(0);
    const [schools] = await t.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(units).where(like(units.code, '24301023%'));
    expect(schools.n).toBe(0);
    expect((await importList(county, [['2430102401', '学校', '中小学', '430102', 10]], 'maybe')).statusCode).toBe(400);
  });
});
