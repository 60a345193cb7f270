import type { Database } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import type { Role } from '../../contract/roles.ts';
import { recordAudit } from '../audit/audit.ts';
import { insertAccount } from './accounts.repository.ts';
import { countAccounts, lockAccountsTable } from './first-admin.repository.ts';
import { assertPasswordAllowed, passwordSchema } from './password-policy.ts';
import { hashPassword } from './password.ts';

/** The province's first admin, as `rollcall init` creates it. */
export const firstAdmin: { username: string; displayName: string; role: Role; unitCode: string } = {
  username: 'admin',
  displayName: '省级管理员',
  role: 'admin',
  unitCode: '430000',
};

/** Why `init` refuses a database that already has accounts (nothing is written). */
export const accountsExist = () =>
  new DomainError('conflict', {
    zh: '数据库中已有账号，不能再初始化：请用已有的管理员账号登录，在“账号管理”中新建或重置账号。',
    en: 'The database already has accounts, so it cannot be initialised: sign in with an existing admin and create or reset accounts under Accounts.',
  });

/** Refuses a password that breaks the project's password rule, naming the rule (Chinese first). */
async function assertFirstAdminPassword(db: Database, password: string) {
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) {
    const rules = parsed.error.issues.map((issue) => issue.message);
    throw new DomainError(
      'validation_failed',
      { zh: `密码不符合要求：${rules.map((rule) => rule.split(' / ')[0]).join('；')}`, en: `The password is not allowed: ${rules.map((rule) => rule.split(' / ')[1] ?? rule).join('; ')}` },
      rules.map((message) => ({ field: 'password', code: 'weak_password', message })),
    );
  }
  await assertPasswordAllowed(db, password, { username: firstAdmin.username, field: 'password' });
}

/** True while the database holds no account: `init` may run. */
export async function needsFirstAdmin(db: Database): Promise<boolean> {
  return (await countAccounts(db)) === 0;
}

/**
 * 初始化: creates the province's first admin (`admin` at 430000) on a database with no account, in one
 * transaction holding the accounts table's lock, so of two concurrent calls one creates it and the other is
 * refused. Refuses a weak password and a database with accounts; writes `account.created` with no actor.
 */
export async function createFirstAdmin(db: Database, input: { password: string }): Promise<{ id: number; username: string }> {
  if (!(await needsFirstAdmin(db))) throw accountsExist();
  await assertFirstAdminPassword(db, input.password);
  // Hashing takes a while: done before the lock is taken, so the lock is held for a few statements only.
  const passwordHash = await hashPassword(input.password);
  const id = await db.transaction(async (tx) => {
    await lockAccountsTable(tx);
    if ((await countAccounts(tx)) > 0) throw accountsExist();
    const accountId = await insertAccount(tx, { ...firstAdmin, passwordHash });
    if (accountId === undefined) throw accountsExist();
    await recordAudit(tx, { actor: null }, {
      action: 'account.created',
      targetType: 'account',
      targetId: accountId,
      unitCode: firstAdmin.unitCode,
      after: { username: firstAdmin.username, displayName: firstAdmin.displayName, role: firstAdmin.role, unitCode: firstAdmin.unitCode },
      reason: 'rollcall init',
    });
    return accountId;
  });
  return { id, username: firstAdmin.username };
}
