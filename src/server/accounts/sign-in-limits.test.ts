import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, notifications } from '../db/schema.ts';
import { createTestApp, type TestApp } from '../test/app.ts';
import { makeAccount, testPassword } from '../test/factories.ts';

// Real parallel requests: on PostgreSQL the test database has a pool of several connections, so a burst
// runs on several at once; on PGlite the requests interleave at every await.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp(); // the defaults: 5 wrong passwords, 15 minutes
});
afterAll(() => t.close());

const signIn = (username: string, password: string, address: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: address });

/** Wrong passwords the server really checked against an account: each is audited once. */
async function checkedWrongPasswords(accountId: number, address?: string) {
  const events = await t.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'auth.login_failed'), eq(auditEvents.targetId, String(accountId)), address ? eq(auditEvents.ip, address) : undefined));
  return events.filter((event) => (event.after as { reason?: string } | null)?.reason === 'wrong_password').length;
}

describe('sign-in limits under concurrency', () => {
  it('checks at most 5 of 100 concurrent wrong passwords and then refuses the right one from that address', async () => {
    const account = await makeAccount(t.database.db, { unitCode: '430102', username: 'burst-target' });
    const burst = await Promise.all(Array.from({ length: 100 }, (_, i) => signIn('burst-target', `wrong-pass-${i}`, '198.51.100.7')));
    expect(burst.every((response) => response.statusCode === 401 || response.statusCode === 429)).toBe(true);
    expect(await checkedWrongPasswords(account.id)).toBeGreaterThan(0);
    expect(await checkedWrongPasswords(account.id)).toBeLessThanOrEqual(5);

    const right = await signIn('burst-target', testPassword, '198.51.100.7');
    expect(right.statusCode).toBe(401);
    expect(right.json().error.code).toBe('account_locked');
    expect(right.json().error.message).toMatch(/此地址已锁定（15 分钟后自动解除）.*上级管理员/);
    expect(right.cookies).toHaveLength(0);

    // Knowing the username is not enough to keep the owner out: another address signs in.
    expect((await signIn('burst-target', testPassword, '198.51.100.8')).statusCode).toBe(200);
  });

  it('holds one address that guesses across accounts: 99 concurrent guesses are not all checked', async () => {
    const targets = [];
    for (let i = 0; i < 33; i += 1) targets.push(await makeAccount(t.database.db, { unitCode: '430103', username: `spray-${i}` }));
    const guesses = targets.flatMap((target) => [1, 2, 3].map((n) => signIn(target.username, `guess-pass-${n}`, '203.0.113.50')));
    const answers = await Promise.all(guesses);
    let checked = 0;
    for (const target of targets) checked += await checkedWrongPasswords(target.id, '203.0.113.50');
    expect(checked).toBeLessThanOrEqual(20);
    const held = answers.filter((response) => response.statusCode === 429);
    expect(held.length).toBeGreaterThanOrEqual(79);
    expect(held.every((response) => response.json().error.code === 'rate_limited')).toBe(true);
    expect(held.some((response) => /此地址/.test(response.json().error.message))).toBe(true);
    // The address is held for every account, even with the right password; another address is not.
    expect((await signIn(targets[0].username, testPassword, '203.0.113.50')).statusCode).toBe(429);
    expect((await signIn(targets[0].username, testPassword, '203.0.113.51')).statusCode).toBe(200);
  });

  it('a spread attack slows new addresses but not the owner\'s usual one, and tells the owner\'s unit', async () => {
    const account = await makeAccount(t.database.db, { unitCode: '430104', username: 'spread-target' });
    expect((await signIn('spread-target', testPassword, '192.0.2.10')).statusCode).toBe(200);
    const attackers = Array.from({ length: 10 }, (_, i) => `198.18.0.${i + 1}`);
    await Promise.all(attackers.flatMap((address) => Array.from({ length: 5 }, (_, n) => signIn('spread-target', `spread-pass-${n}`, address))));
    expect(await checkedWrongPasswords(account.id)).toBeLessThanOrEqual(20);

    expect((await signIn('spread-target', testPassword, '192.0.2.10')).statusCode).toBe(200);
    const newcomer = await signIn('spread-target', testPassword, '192.0.2.99');
    expect(newcomer.statusCode).toBe(429);
    expect(newcomer.json().error.message).toMatch(/分钟后再试/);

    const notices = await t.database.db.select().from(notifications).where(eq(notifications.unitCode, '430104'));
    expect(notices.map((notice) => notice.kind)).toEqual(expect.arrayContaining(['sign_in_locked', 'sign_in_attack']));
    expect(notices.find((notice) => notice.kind === 'sign_in_attack')!.title).toContain('spread-target');
  });

  it('locks an address that keeps guessing for longer each time', async () => {
    await makeAccount(t.database.db, { unitCode: '430102', username: 'slow-guesser' });
    for (let i = 0; i < 5; i += 1) await signIn('slow-guesser', `wrong-pass-${i}`, '198.51.100.20');
    // The first lock has run out.
    await t.database.db.execute(sql`update throttles set blocked_until = now() - interval '1 second' where blocked_until > now()`);
    const again = await signIn('slow-guesser', 'wrong-pass-6', '198.51.100.20');
    expect(again.json().error.code).toBe('account_locked');
    expect(again.json().error.message).toContain('30 分钟');
  });
});
