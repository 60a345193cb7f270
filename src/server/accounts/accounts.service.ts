import type { Database } from '../db/client.ts';
import { DomainError, notFound, staleVersion } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import { authorize } from '../policy/can.ts';
import type { Actor } from '../policy/actor.ts';
import type { Role } from '../../contract/roles.ts';
import { findUnit } from '../org/units.repository.ts';
import { bumpAccountVersion, findAccountByUsername, findAccountView, insertAccount, setPasswordHash, updateAccountAt } from './accounts.repository.ts';
import { clearAccount } from '../throttle/throttle.ts';
import { assertPasswordAllowed } from './password-policy.ts';
import { hashPassword } from './password.ts';
import { deleteSessionsOf } from './sessions.repository.ts';

type ActorContext = AuditContext & { actor: Actor };

const usernameTaken = (username: string) =>
  new DomainError('conflict', { zh: `用户名“${username}”已被使用`, en: `The username "${username}" is taken` }, [
    { field: 'username', code: 'taken' },
  ]);

async function visibleUnit(db: Database, actor: Actor, code: string) {
  const unit = await findUnit(db, code);
  if (!unit) throw notFound({ zh: `单位 ${code} 不存在或不在您的管辖范围内`, en: `Unit ${code} not found or out of scope` });
  return { code: unit.code, kind: unit.kind, path: unit.path };
}

const auditView = (view: Awaited<ReturnType<typeof findAccountView>>) =>
  view && { username: view.username, displayName: view.displayName, role: view.role, unitCode: view.unit.code, disabled: view.disabled };

/** 新建账号: an admin creates an account for a unit in its subtree. */
export async function createAccount(
  db: Database,
  context: ActorContext,
  input: { username: string; displayName: string; role: Role; unitCode: string; password: string },
) {
  const unit = await visibleUnit(db, context.actor, input.unitCode);
  authorize(context.actor, 'account.create', { unit, role: input.role });
  if (await findAccountByUsername(db, input.username)) throw usernameTaken(input.username);
  await assertPasswordAllowed(db, input.password, { username: input.username, field: 'password' });
  const passwordHash = await hashPassword(input.password);
  const id = await db.transaction(async (tx) => {
    const accountId = await insertAccount(tx, { username: input.username, displayName: input.displayName, role: input.role, unitCode: unit.code, passwordHash });
    if (accountId === undefined) throw usernameTaken(input.username);
    await recordAudit(tx, context, {
      action: 'account.created',
      targetType: 'account',
      targetId: accountId,
      unitCode: unit.code,
      after: { username: input.username, displayName: input.displayName, role: input.role, unitCode: unit.code },
    });
    return accountId;
  });
  return (await findAccountView(db, id))!;
}

/** 修改账号: display name, role, unit or standing, with optimistic locking on `version`. */
export async function updateAccount(
  db: Database,
  context: ActorContext,
  accountId: number,
  input: { version: number; displayName?: string; role?: Role; unitCode?: string; disabled?: boolean },
) {
  const before = await findAccountView(db, accountId);
  if (!before) throw notFound();
  authorize(context.actor, 'account.update', { id: before.id, role: before.role, unit: before.unitRef });
  const newUnit = input.unitCode && input.unitCode !== before.unit.code ? await visibleUnit(db, context.actor, input.unitCode) : null;
  // The account as it will be must be one the actor may create: no admin of the actor's own unit by promotion.
  if (newUnit || (input.role && input.role !== before.role)) authorize(context.actor, 'account.create', { unit: newUnit ?? before.unitRef, role: input.role ?? before.role });
  await db.transaction(async (tx) => {
    const updated = await updateAccountAt(tx, accountId, input.version, {
      displayName: input.displayName ?? before.displayName,
      role: input.role ?? before.role,
      unitCode: newUnit?.code ?? before.unit.code,
      disabled: input.disabled ?? before.disabled,
    });
    if (!updated) throw staleVersion();
    if (input.disabled || newUnit || (input.role && input.role !== before.role)) await deleteSessionsOf(tx, accountId);
    const after = await findAccountView(tx, accountId);
    await recordAudit(tx, context, {
      action: 'account.updated',
      targetType: 'account',
      targetId: accountId,
      unitCode: after!.unit.code,
      before: auditView(before),
      after: auditView(after),
    });
  });
  return (await findAccountView(db, accountId))!;
}

/** 重置密码: an admin sets a new password, to be changed at next sign-in; the account's sessions end and a lock is lifted. */
export async function resetPassword(db: Database, context: ActorContext, accountId: number, password: string) {
  const before = await findAccountView(db, accountId);
  if (!before) throw notFound();
  authorize(context.actor, 'account.update', { id: before.id, role: before.role, unit: before.unitRef });
  await assertPasswordAllowed(db, password, { username: before.username, field: 'password' });
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    // The admin chose this password and tells it: the user must replace it with one only they know.
    await setPasswordHash(tx, accountId, { passwordHash, passwordChangedAt: new Date(), mustChangePassword: true, initialPasswordCipher: null });
    await clearAccount(tx, accountId);
    await deleteSessionsOf(tx, accountId);
    await recordAudit(tx, context, {
      action: 'account.password_reset',
      targetType: 'account',
      targetId: accountId,
      unitCode: before.unit.code,
    });
  });
  return (await findAccountView(db, accountId))!;
}

/**
 * 解锁: lifts the locks of every address and the account's waits after repeated wrong passwords. An admin
 * account is unlocked only from a level above it (see `account.update`).
 */
export async function unlockAccount(db: Database, context: ActorContext, accountId: number) {
  const before = await findAccountView(db, accountId);
  if (!before) throw notFound();
  authorize(context.actor, 'account.update', { id: before.id, role: before.role, unit: before.unitRef });
  await db.transaction(async (tx) => {
    const lifted = await clearAccount(tx, accountId);
    await bumpAccountVersion(tx, accountId);
    await recordAudit(tx, context, {
      action: 'account.unlocked',
      targetType: 'account',
      targetId: accountId,
      unitCode: before.unit.code,
      before: { lockedUntil: before.lockedUntil, keys: lifted.length },
    });
  });
  return (await findAccountView(db, accountId))!;
}
