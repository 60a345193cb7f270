import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts } from '../db/schema.ts';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { auditEventsFor, makeAccount, makeSchool } from '../test/factories.ts';

let t: TestApp;
let countyAdmin: TestClient;
let countyAdminId: number;
let operator: TestClient;

beforeAll(async () => {
  t = await createTestApp({ ROLLCALL_LOGIN_MAX_FAILURES: '2' });
  await makeSchool(t.database.db, { countyCode: '430102', serial: 1 });
  const admin = await makeAccount(t.database.db, { unitCode: '430102', username: 'furong-admin' });
  countyAdminId = admin.id;
  countyAdmin = await t.login(admin.username);
  operator = await t.login((await makeAccount(t.database.db, { unitCode: '2430102001', role: 'operator' })).username);
  await makeAccount(t.database.db, { unitCode: '430103', username: 'tianxin-admin' });
});
afterAll(() => t.close());

describe('accounts', () => {
  it('lists only the accounts of the admin\'s subtree', async () => {
    const body = (await countyAdmin.get('/api/accounts?pageSize=500')).json();
    const units = new Set(body.items.map((a: { unit: { code: string } }) => a.unit.code));
    expect([...units].sort()).toEqual(['2430102001', '430102']);
    expect(body.items.some((a: { username: string }) => a.username === 'tianxin-admin')).toBe(false);
    expect((await countyAdmin.get('/api/accounts?unitCode=430103')).statusCode).toBe(404);
  });

  it('refuses a non-admin with 403', async () => {
    expect((await operator.get('/api/accounts')).statusCode).toBe(403);
  });

  it('creates an account for a school of the county, audited without the password', async () => {
    const response = await countyAdmin.post('/api/accounts', {
      username: 'school-leader', displayName: '王校长', role: 'leader', unitCode: '2430102001', password: 'Leader2024',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ username: 'school-leader', role: 'leader', unit: { code: '2430102001' } });
    expect(response.json()).not.toHaveProperty('passwordHash');
    const events = await auditEventsFor(t.database.db, response.json().id);
    expect(events[0]).toMatchObject({ action: 'account.created', after: { role: 'leader', unitCode: '2430102001' } });
    expect(JSON.stringify(events)).not.toContain('Leader2024');
    await expect(t.login('school-leader', 'Leader2024')).resolves.toBeDefined();
  });

  it('refuses a taken username (409), a weak password (400) and a unit outside the subtree (404)', async () => {
    const base = { displayName: 'x', role: 'viewer', unitCode: '430102', password: 'Sturdy-Pass-2024' };
    expect((await countyAdmin.post('/api/accounts', { ...base, username: 'FURONG-ADMIN' })).statusCode).toBe(409);
    const weak = await countyAdmin.post('/api/accounts', { ...base, username: 'weak', password: 'abc' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.message).toContain('至少 10 位');
    expect((await countyAdmin.post('/api/accounts', { ...base, username: 'elsewhere', unitCode: '430103' })).statusCode).toBe(404);
  });

  it('edits with the version and answers 409 to a stale one', async () => {
    const created = (await countyAdmin.post('/api/accounts', {
      username: 'editme', displayName: '甲', role: 'viewer', unitCode: '430102', password: 'Sturdy-Pass-2024',
    })).json();
    const edited = await countyAdmin.patch(`/api/accounts/${created.id}`, { version: created.version, displayName: '乙', role: 'operator' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ displayName: '乙', role: 'operator' });
    const stale = await countyAdmin.patch(`/api/accounts/${created.id}`, { version: created.version, displayName: '丙' });
    expect(stale.statusCode).toBe(409);
    expect((await countyAdmin.get(`/api/accounts/${created.id}`)).json().displayName).toBe('乙');
  });

  it('an admin cannot change its own account (no self-lockout)', async () => {
    const me = (await countyAdmin.get(`/api/accounts/${countyAdminId}`)).json();
    expect(me.abilities.update).toBe(false);
    expect((await countyAdmin.patch(`/api/accounts/${countyAdminId}`, { version: me.version, disabled: true })).statusCode).toBe(403);
  });

  it('disabling an account ends its sessions', async () => {
    const target = await makeAccount(t.database.db, { unitCode: '430102', role: 'viewer' });
    const session = await t.login(target.username);
    const view = (await countyAdmin.get(`/api/accounts/${target.id}`)).json();
    expect((await countyAdmin.patch(`/api/accounts/${target.id}`, { version: view.version, disabled: true })).statusCode).toBe(200);
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('unlocks a locked account and resets a password', async () => {
    const target = await makeAccount(t.database.db, { unitCode: '430102', role: 'operator' });
    for (let i = 0; i < 2; i += 1) await t.anonymous().post('/api/auth/login', { username: target.username, password: 'wrong-pass-1' });
    const locked = (await countyAdmin.get(`/api/accounts/${target.id}`)).json();
    expect(locked.locked).toBe(true);
    const unlocked = await countyAdmin.post(`/api/accounts/${target.id}/unlock`);
    expect(unlocked.json().locked).toBe(false);
    await expect(t.login(target.username)).resolves.toBeDefined();
    const reset = await countyAdmin.post(`/api/accounts/${target.id}/reset-password`, { password: 'Fresh2024x' });
    expect(reset.statusCode).toBe(200);
    await expect(t.login(target.username, 'Fresh2024x')).resolves.toBeDefined();
    const actions = (await auditEventsFor(t.database.db, target.id)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['account.locked', 'account.unlocked', 'account.password_reset']));
  });

  it('leaves an admin to the level above: a peer admin of the same unit may not reset, unlock or edit it', async () => {
    const peer = await makeAccount(t.database.db, { unitCode: '430102', role: 'admin' });
    for (let i = 0; i < 2; i += 1) {
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: peer.username, password: 'wrong-pass-1' }, remoteAddress: '198.51.100.30' });
    }
    const seen = (await countyAdmin.get(`/api/accounts/${peer.id}`)).json();
    expect(seen).toMatchObject({ locked: true, abilities: { update: false } });
    expect((await countyAdmin.post(`/api/accounts/${peer.id}/reset-password`, { password: 'Fresh-2024-xyz' })).statusCode).toBe(403);
    expect((await countyAdmin.post(`/api/accounts/${peer.id}/unlock`)).statusCode).toBe(403);
    expect((await countyAdmin.patch(`/api/accounts/${peer.id}`, { version: seen.version, disabled: true })).statusCode).toBe(403);
    expect((await countyAdmin.post('/api/accounts', { username: 'peer-made', displayName: 'x', role: 'admin', unitCode: '430102', password: 'Fresh-2024-xyz' })).statusCode).toBe(403);

    const prefecture = await t.login((await makeAccount(t.database.db, { unitCode: '430100', role: 'admin' })).username);
    const unlocked = await prefecture.post(`/api/accounts/${peer.id}/unlock`);
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json()).toMatchObject({ locked: false, abilities: { update: true } });
    const signedIn = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: peer.username, password: 'test1234' }, remoteAddress: '198.51.100.30' });
    expect(signedIn.statusCode).toBe(200);
    expect((await prefecture.post(`/api/accounts/${peer.id}/reset-password`, { password: 'Fresh-2024-xyz' })).statusCode).toBe(200);
    const [unlock] = (await auditEventsFor(t.database.db, peer.id)).filter((e) => e.action === 'account.unlocked');
    expect(unlock).toMatchObject({ actorUnitCode: '430100', unitCode: '430102' });
  });

  it('refuses one province admin resetting another (430000 resets admin): nobody above them', async () => {
    const top = await makeAccount(t.database.db, { unitCode: '430000', role: 'admin', username: 'top-admin' });
    const other = await t.login((await makeAccount(t.database.db, { unitCode: '430000', role: 'admin', username: '430000' })).username);
    expect((await other.post(`/api/accounts/${top.id}/reset-password`, { password: 'Fresh-2024-xyz' })).statusCode).toBe(403);
  });

  it('refuses weak passwords with a message naming the rule', async () => {
    const base = { displayName: '弱密码', role: 'viewer', unitCode: '430102' };
    const cases: [string, string, RegExp][] = [
      ['weak-short', 'abc12345', /至少 10 位/],
      ['weak-common', 'woaini1314', /常见密码/],
      ['weak-common2', 'Password2024', /常见密码/],
      ['weak-name', 'weak-name-2024', /用户名/],
      ['weak-unit', 'x2430102001y', /单位代码/],
    ];
    for (const [username, password, rule] of cases) {
      const response = await countyAdmin.post('/api/accounts', { ...base, username, password });
      expect(response.statusCode, `${username}: ${response.body}`).toBe(400);
      expect(response.json().error.message, username).toMatch(rule);
    }
    const target = await makeAccount(t.database.db, { unitCode: '430102', role: 'viewer' });
    const reset = await countyAdmin.post(`/api/accounts/${target.id}/reset-password`, { password: 'password1' });
    expect(reset.statusCode).toBe(400);
    expect(reset.json().error.message).toMatch(/至少 10 位/);
  });

  it('answers 404 for an account of another county and for a forged id', async () => {
    const [other] = await t.database.db.select().from(accounts).where(eq(accounts.username, 'tianxin-admin'));
    for (const id of [other.id, 999999, 'abc', '-1']) {
      expect((await countyAdmin.get(`/api/accounts/${id}`)).statusCode, String(id)).toBe(404);
    }
  });
});
