import { and, asc, eq, inArray, isNotNull, like, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { accounts, sessions, throttles, units } from '../db/schema.ts';
import type { Role } from '../../contract/roles.ts';
import type { UnitKind, UnitRef } from '../../contract/unit-tree.ts';

type AccountValues = typeof accounts.$inferInsert;

/** The statement's parameters stay far below PostgreSQL's 65,535 at this many rows. */
const chunkSize = 1_000;

function chunks<T>(items: T[]): T[][] {
  const list: T[][] = [];
  for (let start = 0; start < items.length; start += chunkSize) list.push(items.slice(start, start + chunkSize));
  return list;
}

/** Inserts accounts, skipping any whose username is taken; returns those inserted. */
export async function insertAccounts(executor: Executor, values: AccountValues[]) {
  const inserted: { id: number; username: string; unitCode: string }[] = [];
  for (const chunk of chunks(values)) {
    inserted.push(
      ...(await executor
        .insert(accounts)
        .values(chunk)
        .onConflictDoNothing()
        .returning({ id: accounts.id, username: accounts.username, unitCode: accounts.unitCode })),
    );
  }
  return inserted;
}

/** The usernames (compared without case) already in use among these. */
export async function takenUsernames(executor: Executor, usernames: string[]): Promise<string[]> {
  const taken: string[] = [];
  for (const chunk of chunks(usernames.map((name) => name.toLowerCase()))) {
    const rows = await executor
      .select({ username: accounts.username })
      .from(accounts)
      .where(inArray(sql`lower(${accounts.username})`, chunk));
    taken.push(...rows.map((row) => row.username));
  }
  return taken;
}

export type UnitAccount = {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  mustChangePassword: boolean;
  lastLoginAt: Date | null;
  initialPasswordCipher: string | null;
  unit: { code: string; name: string; kind: UnitKind; path: string };
};

const unitAccountColumns = {
  id: accounts.id,
  username: accounts.username,
  displayName: accounts.displayName,
  role: accounts.role,
  disabled: accounts.disabled,
  mustChangePassword: accounts.mustChangePassword,
  lastLoginAt: accounts.lastLoginAt,
  initialPasswordCipher: accounts.initialPasswordCipher,
  unitCode: units.code,
  unitName: units.name,
  unitKind: units.kind,
  unitPath: units.path,
};

const roleOrder = sql`case ${accounts.role} when 'admin' then 1 when 'operator' then 2 when 'leader' then 3 else 4 end`;

function unitAccount(row: {
  id: number; username: string; displayName: string; role: Role; disabled: boolean; mustChangePassword: boolean;
  lastLoginAt: Date | null; initialPasswordCipher: string | null; unitCode: string; unitName: string; unitKind: UnitKind; unitPath: string;
}): UnitAccount {
  const { unitCode, unitName, unitKind, unitPath, ...account } = row;
  return { ...account, unit: { code: unitCode, name: unitName, kind: unitKind, path: unitPath } };
}

/** The accounts of `within`'s subtree, by unit and role; `initialOnly`: only those still holding an initial password. */
export async function listSubtreeAccounts(executor: Executor, within: UnitRef, options: { initialOnly?: boolean } = {}) {
  const rows = await executor
    .select(unitAccountColumns)
    .from(accounts)
    .innerJoin(units, eq(units.code, accounts.unitCode))
    .where(and(like(units.path, `${within.path}%`), options.initialOnly ? isNotNull(accounts.initialPasswordCipher) : undefined))
    .orderBy(asc(units.path), roleOrder, asc(accounts.username));
  return rows.map(unitAccount);
}

/** The accounts of these units themselves (not their subtrees). */
export async function listAccountsOfUnits(executor: Executor, unitCodes: string[]) {
  const found: UnitAccount[] = [];
  for (const chunk of chunks(unitCodes)) {
    const rows = await executor
      .select(unitAccountColumns)
      .from(accounts)
      .innerJoin(units, eq(units.code, accounts.unitCode))
      .where(inArray(accounts.unitCode, chunk))
      .orderBy(asc(units.path), roleOrder, asc(accounts.username));
    found.push(...rows.map(unitAccount));
  }
  return found;
}

/** Gives accounts new initial passwords: they must change them, their sessions end and their locks lift. */
export async function setInitialPasswords(executor: Executor, changes: { id: number; passwordHash: string; initialPasswordCipher: string }[]) {
  for (const chunk of chunks(changes)) {
    const values = sql.join(chunk.map((change) => sql`(${change.id}::integer, ${change.passwordHash}::text, ${change.initialPasswordCipher}::text)`), sql`, `);
    await executor.execute(sql`update ${accounts} set password_hash = v.hash, initial_password_cipher = v.cipher, must_change_password = true,
      password_changed_at = now(), updated_at = now(), version = ${accounts.version} + 1
      from (values ${values}) as v(id, hash, cipher) where ${accounts.id} = v.id`);
    const ids = chunk.map((change) => change.id);
    await executor.delete(sessions).where(inArray(sessions.accountId, ids));
    await clearThrottles(executor, ids);
  }
}

/** Lifts every block and count of these accounts' sign-in keys; returns the accounts that had any. */
export async function clearThrottles(executor: Executor, accountIds: number[]): Promise<number[]> {
  const lifted = new Set<number>();
  for (const chunk of chunks(accountIds)) {
    const rows = await executor
      .update(throttles)
      .set({ count: 0, blockedUntil: null })
      .where(and(inArray(throttles.accountId, chunk), sql`(${throttles.count} > 0 or ${throttles.blockedUntil} is not null)`))
      .returning({ accountId: throttles.accountId });
    for (const row of rows) if (row.accountId !== null) lifted.add(row.accountId);
  }
  return [...lifted];
}

/** Counts a change (an unlock) in these accounts' versions. */
export async function bumpVersions(executor: Executor, accountIds: number[]) {
  for (const chunk of chunks(accountIds)) {
    await executor.update(accounts).set({ version: sql`${accounts.version} + 1` }).where(inArray(accounts.id, chunk));
  }
}

/** Whether the account must change its password before anything else. */
export async function mustChangePassword(executor: Executor, accountId: number): Promise<boolean> {
  const [row] = await executor.select({ flag: accounts.mustChangePassword }).from(accounts).where(eq(accounts.id, accountId)).limit(1);
  return row?.flag ?? false;
}
