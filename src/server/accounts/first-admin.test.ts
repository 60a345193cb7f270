import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from '../db/client.ts';
import { accounts, auditEvents } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { createTestDatabase } from '../test/database.ts';
import { makeAccount } from '../test/factories.ts';
import { createFirstAdmin, needsFirstAdmin } from './first-admin.service.ts';
import { verifyPassword } from './password.ts';

/** `rollcall init`'s work on a migrated database: the province's first admin, once, with a strong password. */
let database: DatabaseHandle;
const strong = 'Xiang-Jiang7Flows';

beforeEach(async () => {
  database = await createTestDatabase();
});

afterEach(async () => {
  await database.close();
});

const everyAccount = () => database.db.select().from(accounts);
const everyEvent = () => database.db.select().from(auditEvents);

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error: unknown = await promise.then(() => undefined, (reason: unknown) => reason);
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

describe('createFirstAdmin', () => {
  it('creates admin at 430000 with the password hashed, and records account.created with no actor', async () => {
    expect(await needsFirstAdmin(database.db)).toBe(true);
    const created = await createFirstAdmin(database.db, { password: strong });
    expect(created.username).toBe('admin');
    const [account] = await everyAccount();
    expect(account).toMatchObject({ id: created.id, username: 'admin', role: 'admin', unitCode: '430000', disabled: false });
    expect(account.passwordHash).not.toContain(strong);
    expect(await verifyPassword(account.passwordHash, strong)).toBe(true);
    const events = await everyEvent();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'account.created', actorId: null, actorUsername: null, targetType: 'account', targetId: String(created.id), unitCode: '430000' });
    expect(JSON.stringify(events[0])).not.toContain(strong);
    expect(await needsFirstAdmin(database.db)).toBe(false);
  });

  it('refuses a second time, writing nothing', async () => {
    await createFirstAdmin(database.db, { password: strong });
    const error = await refusal(createFirstAdmin(database.db, { password: 'Another-Strong9Password' }));
    expect(error.code).toBe('conflict');
    expect(error.messages.zh).toContain('数据库中已有账号');
    expect(await everyAccount()).toHaveLength(1);
    expect(await everyEvent()).toHaveLength(1);
  });

  it('refuses when any account exists, not only an admin', async () => {
    await makeAccount(database.db, { unitCode: '430100', role: 'viewer', username: 'someone' });
    expect(await needsFirstAdmin(database.db)).toBe(false);
    expect((await refusal(createFirstAdmin(database.db, { password: strong }))).code).toBe('conflict');
    expect(await database.db.select().from(accounts).where(eq(accounts.username, 'admin'))).toEqual([]);
  });

  it('refuses a weak password with the rule it breaks, in Chinese first, writing nothing', async () => {
    const cases: [string, string][] = [
      ['short1', '密码至少 10 位'],
      ['abcdefghijkl', '密码须包含数字'],
      ['password123', '不能使用常见密码'],
      ['myadmin2024x', '密码不能包含用户名'],
      ['key430000abc', '密码不能包含单位代码'],
    ];
    for (const [password, rule] of cases) {
      const error = await refusal(createFirstAdmin(database.db, { password }));
      expect(error.code, password).toBe('validation_failed');
      expect(error.messages.zh, password).toMatch(/^密码不符合要求：/);
      expect(error.messages.zh, password).toContain(rule);
    }
    expect(await everyAccount()).toEqual([]);
    expect(await everyEvent()).toEqual([]);
  });

  it('of concurrent calls, creates one admin and refuses the others', async () => {
    const results = await Promise.allSettled([1, 2, 3].map(() => createFirstAdmin(database.db, { password: strong })));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'conflict' });
    }
    expect(await everyAccount()).toHaveLength(1);
    expect(await everyEvent()).toHaveLength(1);
  });
});
