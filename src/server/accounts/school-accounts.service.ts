import type { Executor } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Role } from '../../contract/roles.ts';
import { insertAccounts, takenUsernames } from './bulk.repository.ts';
import { makeInitialPassword, sealInitialPassword } from './initial-passwords.ts';
import { hashInitialPasswords } from './password.ts';

/**
 * 学校账号命名规则: a school's accounts are named by its 10-digit code (学校标识码) and a role suffix —
 * `<code>-admin` (管理员), `<code>-op` (操作员/人事专干) and `<code>-leader` (负责人), e.g. `2430102001-op`.
 * The code is unique in the province, so the names are too; the code is the one number every school knows.
 */
export const schoolAccountRoles: { role: Role; suffix: string; label: string }[] = [
  { role: 'admin', suffix: 'admin', label: '管理员' },
  { role: 'operator', suffix: 'op', label: '操作员' },
  { role: 'leader', suffix: 'leader', label: '负责人' },
];

export const schoolUsername = (schoolCode: string, suffix: string) => `${schoolCode}-${suffix}`;

export type PreparedAccount = {
  username: string;
  displayName: string;
  role: Role;
  unitCode: string;
  passwordHash: string;
  initialPasswordCipher: string;
};

/**
 * The three accounts of each new school, with random initial passwords hashed (outside any transaction: the
 * hashing is the slow part) and sealed under the server key for the credentials download.
 */
export async function prepareSchoolAccounts(key: Buffer, schools: { code: string; name: string }[]): Promise<PreparedAccount[]> {
  const drafts = schools.flatMap((school) =>
    schoolAccountRoles.map(({ role, suffix, label }) => ({
      username: schoolUsername(school.code, suffix),
      displayName: `${school.name}${label}`.slice(0, 50),
      role,
      unitCode: school.code,
      password: makeInitialPassword(),
    })),
  );
  const hashes = await hashInitialPasswords(drafts.map((draft) => draft.password));
  return drafts.map(({ password, ...draft }, index) => ({
    ...draft,
    passwordHash: hashes[index],
    initialPasswordCipher: sealInitialPassword(key, draft.username, password),
  }));
}

const usernamesTaken = (taken: string[]) =>
  new DomainError('conflict', {
    zh: `以下账号名已被使用，未导入任何数据：${taken.slice(0, 20).join('、')}${taken.length > 20 ? ` 等 ${taken.length} 个` : ''}`,
    en: `These usernames are taken; nothing was imported: ${taken.slice(0, 20).join(', ')}${taken.length > 20 ? ` and ${taken.length - 20} more` : ''}`,
  }, { taken });

/** Refuses before any hashing or write when a new school's account name is in use (an account made by hand). */
export async function assertUsernamesFree(executor: Executor, schools: { code: string }[]) {
  const taken = await takenUsernames(executor, schools.flatMap((school) => schoolAccountRoles.map(({ suffix }) => schoolUsername(school.code, suffix))));
  if (taken.length > 0) throw usernamesTaken(taken);
}

/**
 * Writes the prepared accounts in the caller's transaction, each to change its password at first sign-in,
 * audited one by one; a name taken meanwhile fails the whole transaction.
 */
export async function insertSchoolAccounts(tx: Executor, context: AuditContext, prepared: PreparedAccount[]) {
  const inserted = await insertAccounts(tx, prepared.map((account) => ({ ...account, mustChangePassword: true })));
  if (inserted.length < prepared.length) {
    const made = new Set(inserted.map((account) => account.username));
    throw usernamesTaken(prepared.filter((account) => !made.has(account.username)).map((account) => account.username));
  }
  const byName = new Map(prepared.map((account) => [account.username, account]));
  await recordAudit(
    tx,
    context,
    inserted.map((account) => {
      const values = byName.get(account.username);
      return {
        action: 'account.created',
        targetType: 'account',
        targetId: account.id,
        unitCode: account.unitCode,
        after: { username: account.username, displayName: values?.displayName, role: values?.role, unitCode: account.unitCode, initialPassword: true },
      };
    }),
  );
  return inserted.length;
}
