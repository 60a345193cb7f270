import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { secretKeyOf, type Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import { can } from '../policy/can.ts';
import type { Actor } from '../policy/actor.ts';
import { roleLabels } from '../../contract/roles.ts';
import type { UnitRef } from '../../contract/unit-tree.ts';
import { listSubtreeAccounts, type UnitAccount } from './bulk.repository.ts';
import { openInitialPassword } from './initial-passwords.ts';

/** The server key for initial passwords, or a clear refusal when a PostgreSQL deployment has none set. */
export function requireServerKey(config: Config): Buffer {
  let key: Buffer | undefined;
  try {
    key = secretKeyOf(config);
  } catch (error) {
    throw new DomainError('internal', {
      zh: `无法读取或创建数据目录中的密钥文件（${error instanceof Error ? error.message : String(error)}），请联系系统管理员`,
      en: `The key file in the data folder cannot be read or created (${error instanceof Error ? error.message : String(error)})`,
    });
  }
  if (!key) {
    throw new DomainError('unprocessable', {
      zh: '服务器未配置 ROLLCALL_SECRET_KEY（32 字节 base64 密钥），无法保存初始密码，请联系系统管理员',
      en: 'ROLLCALL_SECRET_KEY (a 32-byte base64 key) is not set, so initial passwords cannot be kept; ask the operator',
    });
  }
  return key;
}

export type Credential = { unitCode: string; unitName: string; role: string; username: string; displayName: string; password: string };

/** Whether the actor may hand this account its password: an account it could reset (never its own unit's admins). */
const mayHandOut = (actor: Actor, account: UnitAccount) =>
  can(actor, 'account.update', { id: account.id, role: account.role, unit: { code: account.unit.code, kind: account.unit.kind, path: account.unit.path } });

/**
 * 初始账号: the accounts of `unit`'s subtree still holding the initial password the server made, with it, for the
 * admin to hand out; the download is audited with its unit and count (never a password).
 */
export async function initialCredentials(
  db: Database,
  context: AuditContext & { actor: Actor },
  serverKey: () => Buffer,
  unit: UnitRef,
  format: 'xlsx' | 'print',
) {
  const accounts = await listSubtreeAccounts(db, unit, { initialOnly: true });
  const credentials: Credential[] = [];
  // The key is needed (and a key file made) only when there is a password to open.
  let key: Buffer | undefined;
  for (const account of accounts) {
    if (!mayHandOut(context.actor, account) || account.initialPasswordCipher === null) continue;
    key ??= serverKey();
    const password = openInitialPassword(key, account.username, account.initialPasswordCipher);
    if (password === undefined) continue;
    credentials.push({
      unitCode: account.unit.code,
      unitName: account.unit.name,
      role: roleLabels[account.role].zh,
      username: account.username,
      displayName: account.displayName,
      password,
    });
  }
  await recordAudit(db, context, {
    action: 'account.credentials_exported',
    targetType: 'unit',
    targetId: unit.code,
    unitCode: unit.code,
    after: { count: credentials.length, format },
  });
  return credentials;
}

/** The credentials as a workbook, streamed: school code, name, role, username, initial password. */
export async function writeCredentialsWorkbook(output: Writable, credentials: Credential[]) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet('初始账号', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: '学校标识码', key: 'unitCode', width: 14, style: { numFmt: '@' } },
    { header: '学校名称', key: 'unitName', width: 36 },
    { header: '角色', key: 'role', width: 18 },
    { header: '用户名', key: 'username', width: 22, style: { numFmt: '@' } },
    { header: '初始密码', key: 'password', width: 14, style: { numFmt: '@', font: { name: 'Consolas' } } },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (const credential of credentials) sheet.addRow(credential).commit();
  sheet.commit();
  await workbook.commit();
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A printable page: one card per unit (A4, several to a page, never split), for cutting and handing out. */
export function credentialsPrintPage(title: string, credentials: Credential[], signInUrl: string): string {
  const byUnit = new Map<string, Credential[]>();
  for (const credential of credentials) byUnit.set(credential.unitCode, [...(byUnit.get(credential.unitCode) ?? []), credential]);
  const cards = [...byUnit.values()].map((list) => {
    const rows = list
      .map((c) => `<tr><td>${escapeHtml(c.role)}</td><td class="mono">${escapeHtml(c.username)}</td><td class="mono">${escapeHtml(c.password)}</td></tr>`)
      .join('');
    return `<section class="card"><h2>${escapeHtml(list[0].unitName)}</h2><p class="code">${list[0].unitCode.length === 10 ? '学校标识码' : '单位代码'}：${escapeHtml(list[0].unitCode)}</p>
<table><thead><tr><th>角色</th><th>用户名</th><th>初始密码</th></tr></thead><tbody>${rows}</tbody></table>
<p class="note">登录地址：${escapeHtml(signInUrl)}；首次登录须修改密码。请妥善保管，勿转发他人。</p></section>`;
  });
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
@page { size: A4; margin: 12mm; }
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; margin: 0; color: #000; }
h1 { font-size: 16pt; margin: 0 0 4mm; }
.card { border: 1px dashed #555; padding: 4mm 5mm; margin: 0 0 5mm; break-inside: avoid; page-break-inside: avoid; }
.card h2 { font-size: 13pt; margin: 0 0 1mm; }
.code, .note { font-size: 9pt; margin: 1mm 0; color: #333; }
table { border-collapse: collapse; width: 100%; font-size: 11pt; }
th, td { border: 1px solid #999; padding: 1.5mm 2mm; text-align: left; }
.mono { font-family: Consolas, "Courier New", monospace; font-size: 12pt; letter-spacing: 0.5pt; }
@media screen { body { max-width: 186mm; margin: 10mm auto; } }
@media print { h1 { display: none; } }
</style></head><body>
<h1>${escapeHtml(title)}（共 ${byUnit.size} 个单位、${credentials.length} 个账号）</h1>
${cards.join('\n')}
</body></html>`;
}
