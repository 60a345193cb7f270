import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, auditEvents, sessions } from '../db/schema.ts';
import { createTestApp, type TestApp } from '../test/app.ts';
import { auditEventsFor, makeAccount } from '../test/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ ROLLCALL_LOGIN_MAX_FAILURES: '3', ROLLCALL_LOCKOUT_MINUTES: '15' });
});
afterAll(() => t.close());

describe('POST /api/auth/login', () => {
  it('answers 200 with an HttpOnly session cookie and the user', async () => {
    await makeAccount(t.database.db, { unitCode: '430102', username: 'furong' });
    const response = await t.anonymous().post('/api/auth/login', { username: 'furong', password: 'test1234' });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'rollcall_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(response.json().user).toMatchObject({ username: 'furong', role: 'admin', unit: { code: '430102', name: '芙蓉区' } });
    expect(response.json().csrfToken).toEqual(expect.any(String));
    // The audit log names the account that signed in as the one acting.
    const [event] = (await auditEventsFor(t.database.db, response.json().user.id, 'account')).filter((e) => e.action === 'auth.login');
    expect(event).toMatchObject({ actorUsername: 'furong', actorUnitCode: '430102', unitCode: '430102' });
  });

  it('accepts the username in any letter case', async () => {
    await makeAccount(t.database.db, { unitCode: '430102', username: 'MixedCase' });
    expect((await t.anonymous().post('/api/auth/login', { username: 'mixedcase', password: 'test1234' })).statusCode).toBe(200);
  });

  it('answers 401 with a Chinese message for a wrong password and for an unknown user alike', async () => {
    await makeAccount(t.database.db, { unitCode: '430102', username: 'wrongpw' });
    const wrong = await t.anonymous().post('/api/auth/login', { username: 'wrongpw', password: 'nope12345' });
    const unknown = await t.anonymous().post('/api/auth/login', { username: 'nobody', password: 'nope12345' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error).toMatchObject({ code: 'invalid_credentials', message: '用户名或密码错误' });
    expect(unknown.json().error.code).toBe('invalid_credentials');
    expect(wrong.cookies).toHaveLength(0);
  });

  it('answers in English when asked', async () => {
    const response = await t.anonymous().request('POST', '/api/auth/login', { username: 'nobody', password: 'x' }, { headers: { 'x-rollcall-lang': 'en' } });
    expect(response.json().error.message).toBe('Wrong username or password');
  });

  it('locks the account after repeated failures, even for the right password, and audits it', async () => {
    const account = await makeAccount(t.database.db, { unitCode: '430102', username: 'locker' });
    for (let i = 0; i < 3; i += 1) await t.anonymous().post('/api/auth/login', { username: 'locker', password: 'bad-pass-1' });
    const locked = await t.anonymous().post('/api/auth/login', { username: 'locker', password: 'test1234' });
    expect(locked.statusCode).toBe(401);
    expect(locked.json().error.code).toBe('account_locked');
    expect(locked.json().error.message).toMatch(/已锁定.*15 分钟/);
    const events = await t.database.db.select().from(auditEvents).where(eq(auditEvents.targetId, String(account.id)));
    expect(events.map((e) => e.action)).toContain('account.locked');
  });

  it('refuses a disabled account', async () => {
    await makeAccount(t.database.db, { unitCode: '430102', username: 'gone', disabled: true });
    const response = await t.anonymous().post('/api/auth/login', { username: 'gone', password: 'test1234' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('account_disabled');
  });

  it('answers 400 with a clear message for malformed JSON and for a missing field', async () => {
    const malformed = await t.anonymous().request('POST', '/api/auth/login', '{"username": "a",', {
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toMatchObject({ code: 'bad_request', message: '请求体不是有效的 JSON' });
    const missing = await t.anonymous().post('/api/auth/login', { username: 'a' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('validation_failed');
    expect(missing.json().error.message).toContain('password');
  });

  it('refuses a form post (no JSON): cross-site forms cannot sign anyone in', async () => {
    const response = await t.anonymous().request('POST', '/api/auth/login', 'username=a&password=b', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.statusCode).toBe(415);
  });
});

describe('sessions', () => {
  it('GET /api/auth/me answers 401 without a session', async () => {
    const response = await t.anonymous().get('/api/auth/me');
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthenticated');
  });

  it('an expired session answers 401 session_expired and is deleted', async () => {
    const account = await makeAccount(t.database.db, { unitCode: '430102' });
    const client = await t.login(account.username);
    await t.database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.accountId, account.id));
    const response = await client.get('/api/auth/me');
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toMatchObject({ code: 'session_expired', message: '会话已过期，请重新登录' });
    expect(await t.database.db.select().from(sessions).where(eq(sessions.accountId, account.id))).toHaveLength(0);
  });

  it('stores only a hash of the cookie token', async () => {
    const account = await makeAccount(t.database.db, { unitCode: '430102' });
    const response = await t.anonymous().post('/api/auth/login', { username: account.username, password: 'test1234' });
    const token = response.cookies.find((c) => c.name === 'rollcall_session')!.value;
    const rows = await t.database.db.select().from(sessions).where(eq(sessions.accountId, account.id));
    expect(rows).toHaveLength(1);
    expect(rows[0].id).not.toBe(token);
    expect(rows[0].id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('logout ends the session', async () => {
    const account = await makeAccount(t.database.db, { unitCode: '430102' });
    const client = await t.login(account.username);
    expect((await client.post('/api/auth/logout')).statusCode).toBe(204);
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('refuses a state-changing request without the CSRF token, changing nothing', async () => {
    const account = await makeAccount(t.database.db, { unitCode: '430102' });
    const client = await t.login(account.username);
    const response = await client.request('POST', '/api/auth/logout', {}, { headers: { 'x-csrf-token': 'forged' } });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('csrf_failed');
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
  });
});

describe('POST /api/auth/password', () => {
  it('changes the password after checking the current one; other sessions end', async () => {
    const account = await makeAccount(t.database.db, { unitCode: '430102' });
    const first = await t.login(account.username);
    const second = await t.login(account.username);
    const wrong = await first.post('/api/auth/password', { currentPassword: 'wrong1234', newPassword: 'newpass-2024x' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toContain('当前密码不正确');
    const weak = await first.post('/api/auth/password', { currentPassword: 'test1234', newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    const ok = await first.post('/api/auth/password', { currentPassword: 'test1234', newPassword: 'newpass-2024x' });
    expect(ok.statusCode).toBe(204);
    expect((await first.get('/api/auth/me')).statusCode).toBe(200);
    expect((await second.get('/api/auth/me')).statusCode).toBe(401);
    await expect(t.login(account.username, 'newpass-2024x')).resolves.toBeDefined();
    const [row] = await t.database.db.select().from(accounts).where(eq(accounts.id, account.id));
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});
