import { eq, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { accounts } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import { findAccountByUsername } from './accounts.repository.ts';
import { hashPassword, verifyNothing, verifyPassword } from './password.ts';
import { createSession, deleteSession, deleteSessionsOf } from './sessions.repository.ts';

const invalidCredentials = () =>
  new DomainError('invalid_credentials', { zh: '用户名或密码错误', en: 'Wrong username or password' });

function lockedError(until: Date) {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return new DomainError('account_locked', {
    zh: `密码错误次数过多，账号已锁定，请 ${minutes} 分钟后再试，或请上级管理员解锁`,
    en: `Too many wrong passwords: the account is locked; try again in ${minutes} min or ask your administrator to unlock it`,
  });
}

/**
 * 登录: checks the password and opens a server-side session. Repeated failures lock the account for a while;
 * every attempt is audited.
 */
export async function login(
  db: Database,
  config: Config,
  credentials: { username: string; password: string },
  client: { ip?: string; userAgent?: string },
) {
  const account = await findAccountByUsername(db, credentials.username.trim());
  const context: AuditContext = { actor: null, ip: client.ip };
  if (!account) {
    await verifyNothing(credentials.password);
    await recordAudit(db, context, {
      action: 'auth.login_failed',
      targetType: 'account',
      targetId: null,
      unitCode: null,
      after: { username: credentials.username.slice(0, 64), reason: 'unknown_user' },
    });
    throw invalidCredentials();
  }
  const audit = (action: string, after: unknown) =>
    recordAudit(db, context, { action, targetType: 'account', targetId: account.id, unitCode: account.unitCode, after });
  if (account.disabled) {
    await audit('auth.login_failed', { reason: 'disabled' });
    throw new DomainError('account_disabled', {
      zh: '账号已停用，请联系上级管理员',
      en: 'This account is disabled; contact your administrator',
    });
  }
  if (account.lockedUntil && account.lockedUntil.getTime() > Date.now()) {
    await audit('auth.login_failed', { reason: 'locked' });
    throw lockedError(account.lockedUntil);
  }
  if (!(await verifyPassword(account.passwordHash, credentials.password))) {
    const [after] = await db
      .update(accounts)
      .set({ failedLogins: sql`${accounts.failedLogins} + 1` })
      .where(eq(accounts.id, account.id))
      .returning({ failedLogins: accounts.failedLogins });
    if (after.failedLogins >= config.loginMaxFailures) {
      const until = new Date(Date.now() + config.lockoutMinutes * 60_000);
      await db.transaction(async (tx) => {
        await tx.update(accounts).set({ lockedUntil: until, failedLogins: 0 }).where(eq(accounts.id, account.id));
        await recordAudit(tx, context, {
          action: 'account.locked',
          targetType: 'account',
          targetId: account.id,
          unitCode: account.unitCode,
          after: { lockedUntil: until.toISOString(), failures: after.failedLogins },
        });
      });
      throw lockedError(until);
    }
    await audit('auth.login_failed', { reason: 'wrong_password', failures: after.failedLogins });
    throw invalidCredentials();
  }
  return db.transaction(async (tx) => {
    await tx
      .update(accounts)
      .set({ failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() })
      .where(eq(accounts.id, account.id));
    const session = await createSession(tx, account.id, config.sessionHours, client);
    // Signed in, the account is the one acting: the log names it, not “the system”.
    await recordAudit(tx, { ...context, actor: { id: account.id, username: account.username, unit: { code: account.unitCode } } }, {
      action: 'auth.login',
      targetType: 'account',
      targetId: account.id,
      unitCode: account.unitCode,
    });
    return { accountId: account.id, ...session };
  });
}

export async function logout(db: Database, context: AuditContext, sessionId: string) {
  await db.transaction(async (tx) => {
    await deleteSession(tx, sessionId);
    if (context.actor) {
      await recordAudit(tx, context, {
        action: 'auth.logout',
        targetType: 'account',
        targetId: context.actor.id,
        unitCode: context.actor.unit.code,
      });
    }
  });
}

/** 修改密码: the current password must be right; other sessions of the account end. */
export async function changePassword(
  db: Database,
  context: AuditContext & { actor: Actor },
  currentSessionId: string,
  input: { currentPassword: string; newPassword: string },
) {
  const account = await findAccountByUsername(db, context.actor.username);
  if (!account || !(await verifyPassword(account.passwordHash, input.currentPassword))) {
    throw new DomainError('validation_failed', {
      zh: '当前密码不正确，密码未修改',
      en: 'The current password is wrong; the password was not changed',
    }, [{ field: 'currentPassword', code: 'wrong_password' }]);
  }
  if (input.currentPassword === input.newPassword) {
    throw new DomainError('validation_failed', {
      zh: '新密码不能与当前密码相同',
      en: 'The new password must differ from the current one',
    }, [{ field: 'newPassword', code: 'same_password' }]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(accounts)
      .set({ passwordHash, passwordChangedAt: new Date(), updatedAt: new Date(), version: sql`${accounts.version} + 1` })
      .where(eq(accounts.id, account.id));
    await deleteSessionsOf(tx, account.id, currentSessionId);
    await recordAudit(tx, context, {
      action: 'account.password_changed',
      targetType: 'account',
      targetId: account.id,
      unitCode: account.unitCode,
    });
  });
}
