import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { recordAudit, type AuditContext, type AuditEvent } from '../audit/audit.ts';
import { notify } from '../notifications/notifications.service.ts';
import type { Actor } from '../policy/actor.ts';
import { addressKey, fail, minutesUntil } from '../throttle/throttle.ts';
import { findAccountByUsername, recordSignIn, setPasswordHash } from './accounts.repository.ts';
import { assertPasswordAllowed } from './password-policy.ts';
import { hashPassword, verifyNothing, verifyPassword } from './password.ts';
import { createSession, deleteSession, deleteSessionsOf } from './sessions.repository.ts';
import { admitFromAddress, admitSignIn, lockedForAddress, signInFailed, signInRules, signInSucceeded, type SignInFailure, type SignInRules } from './sign-in-limits.ts';

const invalidCredentials = () =>
  new DomainError('invalid_credentials', { zh: '用户名或密码错误', en: 'Wrong username or password' });

type AccountRow = NonNullable<Awaited<ReturnType<typeof findAccountByUsername>>>;

/**
 * 登录: checks the password and opens a server-side session. Every attempt is admitted by the sign-in limits
 * before its password is checked (see sign-in-limits.ts), so a burst checks no more passwords than the limits
 * allow; checked failures are audited, and a lock or an attack is told to the account's unit.
 */
export async function login(
  db: Database,
  config: Config,
  credentials: { username: string; password: string },
  client: { ip?: string; userAgent?: string },
) {
  const rules = signInRules(config);
  const address = addressKey(client.ip);
  const account = await findAccountByUsername(db, credentials.username.trim());
  const context: AuditContext = { actor: null, ip: client.ip };
  if (!account || account.disabled) {
    const reservation = await admitFromAddress(db, rules, address);
    if (!account) await verifyNothing(credentials.password);
    await db.transaction(async (tx) => {
      const failed = await fail(tx, reservation, rules.address);
      await recordAudit(tx, context, {
        action: 'auth.login_failed',
        targetType: 'account',
        targetId: account?.id ?? null,
        unitCode: account?.unitCode ?? null,
        after: account ? { reason: 'disabled' } : { username: credentials.username.slice(0, 64), reason: 'unknown_user' },
      });
      await recordAddressHeld(tx, context, address, failed.blockedUntil);
    });
    if (!account) throw invalidCredentials();
    throw new DomainError('account_disabled', {
      zh: '账号已停用，请联系上级管理员',
      en: 'This account is disabled; contact your administrator',
    });
  }
  const gate = await admitSignIn(db, rules, account.id, address);
  if (!(await verifyPassword(account.passwordHash, credentials.password))) {
    const failure = await db.transaction(async (tx) => {
      const counted = await signInFailed(tx, rules, gate);
      await recordWrongPassword(tx, context, rules, account, address, counted);
      return counted;
    });
    throw failure.lockedUntil ? lockedForAddress(failure.lockedUntil) : invalidCredentials();
  }
  return db.transaction(async (tx) => {
    await signInSucceeded(tx, rules, gate);
    await recordSignIn(tx, account.id, new Date());
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

/** Audits a checked wrong password and the blocks its failure set; a lock or a spread attack is told to the unit. */
async function recordWrongPassword(tx: Database, context: AuditContext, rules: SignInRules, account: AccountRow, address: string, failure: SignInFailure) {
  const about = { targetType: 'account', targetId: account.id, unitCode: account.unitCode };
  const events: AuditEvent[] = [{ ...about, action: 'auth.login_failed', after: { reason: 'wrong_password', failures: failure.failures } }];
  const notices: Parameters<typeof notify>[1] = [];
  if (failure.lockedUntil) {
    const minutes = minutesUntil(failure.lockedUntil);
    events.push({ ...about, action: 'account.locked', after: { address, lockedUntil: failure.lockedUntil.toISOString(), failures: failure.failures } });
    notices.push({
      unitCode: account.unitCode,
      kind: 'sign_in_locked',
      title: `账号 ${account.username} 在地址 ${address} 密码错误 ${failure.failures} 次，该地址已锁定 ${minutes} 分钟`,
      body: '其他地址的登录不受影响。如非本人操作，请留意账号安全；需要提前解锁请联系上级管理员。',
    });
  }
  if (failure.account?.blockedUntil) {
    events.push({ ...about, action: 'account.sign_in_throttled', after: { blockedUntil: failure.account.blockedUntil.toISOString(), failures: failure.account.failures } });
    // Told once, when the waits begin; later failures only lengthen them.
    if (failure.account.failures === rules.account.free) {
      notices.push({
        unitCode: account.unitCode,
        kind: 'sign_in_attack',
        title: `账号 ${account.username} 近期在多个地址登录失败 ${failure.account.failures} 次`,
        body: '新地址登录须稍候再试，曾经登录过的地址不受影响。如非本人操作，请联系上级管理员。',
      });
    }
  }
  await recordAudit(tx, context, events);
  await recordAddressHeld(tx, context, address, failure.addressHeldUntil);
  await notify(tx, notices);
}

/** Audits the moment an address is held across accounts. */
async function recordAddressHeld(tx: Database, context: AuditContext, address: string, blockedUntil: Date | null) {
  if (!blockedUntil) return;
  await recordAudit(tx, context, { action: 'auth.address_throttled', targetType: 'address', targetId: address, after: { blockedUntil: blockedUntil.toISOString() } });
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
  await assertPasswordAllowed(db, input.newPassword, { username: account.username, field: 'newPassword' });
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await setPasswordHash(tx, account.id, { passwordHash, passwordChangedAt: new Date(), updatedAt: new Date(), mustChangePassword: false, initialPasswordCipher: null });
    await deleteSessionsOf(tx, account.id, currentSessionId);
    await recordAudit(tx, context, {
      action: 'account.password_changed',
      targetType: 'account',
      targetId: account.id,
      unitCode: account.unitCode,
    });
  });
}
