import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Database } from '../db/client.ts';
import { notFound } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import { authorize, can } from '../policy/can.ts';
import type { Actor } from '../policy/actor.ts';
import { findUnits } from '../org/units.repository.ts';
import { roleLabels } from '../../contract/roles.ts';
import { isWithin, type UnitRef } from '../../contract/unit-tree.ts';
import { bumpVersions, clearThrottles, listAccountsOfUnits, listSubtreeAccounts, setInitialPasswords, type UnitAccount } from './bulk.repository.ts';
import { makeInitialPassword, sealInitialPassword } from './initial-passwords.ts';
import { hashInitialPasswords } from './password.ts';

type ActorContext = AuditContext & { actor: Actor };

const unitRefOf = (account: UnitAccount): UnitRef => ({ code: account.unit.code, kind: account.unit.kind, path: account.unit.path });

/**
 * The accounts of the listed units (each must exist in the actor's subtree, else 404 naming none) that the actor
 * may change: its own unit's admins and itself are left to the level above.
 */
async function changeableAccounts(db: Database, actor: Actor, unitCodes: string[]) {
  const codes = [...new Set(unitCodes)];
  const found = await findUnits(db, codes);
  if (found.length !== codes.length || found.some((unit) => !isWithin(unit, actor.unit))) throw notFound();
  const accounts = await listAccountsOfUnits(db, codes);
  const changeable = accounts.filter((account) => can(actor, 'account.update', { id: account.id, role: account.role, unit: unitRefOf(account) }));
  return { units: codes.length, accounts: changeable, skipped: accounts.length - changeable.length };
}

/**
 * 批量重置密码: every account of the listed units gets a new random initial password (downloadable from the
 * credentials of its unit), must change it at next sign-in, and its sessions and locks end.
 */
export async function bulkResetPasswords(db: Database, context: ActorContext, unitCodes: string[], serverKey: () => Buffer) {
  const { units, accounts, skipped } = await changeableAccounts(db, context.actor, unitCodes);
  const key = serverKey();
  const passwords = accounts.map(() => makeInitialPassword());
  const hashes = await hashInitialPasswords(passwords);
  await db.transaction(async (tx) => {
    await setInitialPasswords(
      tx,
      accounts.map((account, index) => ({
        id: account.id,
        passwordHash: hashes[index],
        initialPasswordCipher: sealInitialPassword(key, account.username, passwords[index]),
      })),
    );
    await recordAudit(
      tx,
      context,
      accounts.map((account) => ({ action: 'account.password_reset', targetType: 'account', targetId: account.id, unitCode: account.unit.code, after: { bulk: true } })),
    );
  });
  return { units, accounts: accounts.length, skipped };
}

/** 批量解锁: lifts every sign-in lock of the listed units' accounts. */
export async function bulkUnlock(db: Database, context: ActorContext, unitCodes: string[]) {
  const { units, accounts, skipped } = await changeableAccounts(db, context.actor, unitCodes);
  const lifted = await db.transaction(async (tx) => {
    const ids = await clearThrottles(tx, accounts.map((account) => account.id));
    await bumpVersions(tx, ids);
    const liftedIds = new Set(ids);
    await recordAudit(
      tx,
      context,
      accounts
        .filter((account) => liftedIds.has(account.id))
        .map((account) => ({ action: 'account.unlocked', targetType: 'account', targetId: account.id, unitCode: account.unit.code, after: { bulk: true } })),
    );
    return ids.length;
  });
  return { units, accounts: accounts.length, unlocked: lifted, skipped };
}

/** 导出账号: the accounts of `unit`'s subtree as a workbook (never a password), audited with the count. */
export async function exportAccounts(db: Database, context: ActorContext, unit: UnitRef) {
  authorize(context.actor, 'account.list', unit);
  const accounts = await listSubtreeAccounts(db, unit);
  await recordAudit(db, context, { action: 'account.exported', targetType: 'unit', targetId: unit.code, unitCode: unit.code, after: { count: accounts.length } });
  return accounts;
}

const chinaTime = (at: Date | null) =>
  at ? new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : '';

export async function writeAccountsWorkbook(output: Writable, accounts: UnitAccount[]) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet('账号', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: '单位代码', key: 'unitCode', width: 14, style: { numFmt: '@' } },
    { header: '单位名称', key: 'unitName', width: 36 },
    { header: '用户名', key: 'username', width: 22, style: { numFmt: '@' } },
    { header: '姓名/名称', key: 'displayName', width: 28 },
    { header: '角色', key: 'role', width: 18 },
    { header: '状态', key: 'state', width: 10 },
    { header: '仍为初始密码', key: 'mustChange', width: 14 },
    { header: '最近登录（北京时间）', key: 'lastLoginAt', width: 20 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (const account of accounts) {
    sheet
      .addRow({
        unitCode: account.unit.code,
        unitName: account.unit.name,
        username: account.username,
        displayName: account.displayName,
        role: roleLabels[account.role].zh,
        state: account.disabled ? '停用' : '正常',
        mustChange: account.mustChangePassword ? '是' : '否',
        lastLoginAt: chinaTime(account.lastLoginAt),
      })
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}
