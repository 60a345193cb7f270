import { and, asc, eq, ilike, like, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { accounts, throttles, units } from '../db/schema.ts';
import type { Role } from '../../contract/roles.ts';
import type { UnitKind, UnitRef } from '../../contract/unit-tree.ts';
import type { Page } from '../org/units.repository.ts';

export type AccountRow = typeof accounts.$inferSelect;
type AccountValues = typeof accounts.$inferInsert;

/** An account as the API shows it (never its password hash). */
export type AccountView = {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unit: { code: string; name: string; kind: UnitKind };
  disabled: boolean;
  locked: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  version: number;
  createdAt: string;
};

const viewColumns = {
  id: accounts.id,
  username: accounts.username,
  displayName: accounts.displayName,
  role: accounts.role,
  disabled: accounts.disabled,
  // Locks live in the sign-in throttles (one per offending address): the account shows the latest.
  lockedUntil: sql<Date | null>`(select max(${throttles.blockedUntil}) from ${throttles} where ${throttles.accountId} = ${accounts.id} and ${throttles.blockedUntil} > now())`.mapWith(
    (value: Date | string | null) => (value === null ? null : new Date(value)),
  ),
  lastLoginAt: accounts.lastLoginAt,
  version: accounts.version,
  createdAt: accounts.createdAt,
  unitCode: units.code,
  unitName: units.name,
  unitKind: units.kind,
  unitPath: units.path,
};

type ViewRow = {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  version: number;
  createdAt: Date;
  unitCode: string;
  unitName: string;
  unitKind: UnitKind;
  unitPath: string;
};

function present(row: ViewRow): AccountView & { unitRef: UnitRef } {
  const locked = row.lockedUntil !== null && row.lockedUntil.getTime() > Date.now();
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    unit: { code: row.unitCode, name: row.unitName, kind: row.unitKind },
    disabled: row.disabled,
    locked,
    lockedUntil: locked ? row.lockedUntil!.toISOString() : null,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    unitRef: { code: row.unitCode, kind: row.unitKind, path: row.unitPath },
  };
}

export async function findAccountView(executor: Executor, id: number) {
  const [row] = await executor
    .select(viewColumns)
    .from(accounts)
    .innerJoin(units, eq(units.code, accounts.unitCode))
    .where(eq(accounts.id, id))
    .limit(1);
  return row ? present(row) : undefined;
}

export async function findAccountByUsername(executor: Executor, username: string): Promise<AccountRow | undefined> {
  const [row] = await executor
    .select()
    .from(accounts)
    .where(sql`lower(${accounts.username}) = lower(${username})`)
    .limit(1);
  return row;
}

export type AccountFilters = { q?: string; role?: Role; unitCode?: string };

/** Accounts whose unit lies in `within`'s subtree. */
export async function listAccounts(executor: Executor, within: UnitRef, filters: AccountFilters, page: Page) {
  const text = filters.q?.normalize('NFKC').trim().replace(/[\\%_]/g, (c) => `\\${c}`);
  const where: SQL | undefined = and(
    like(units.path, `${within.path}%`),
    filters.role ? eq(accounts.role, filters.role) : undefined,
    filters.unitCode ? eq(accounts.unitCode, filters.unitCode) : undefined,
    text
      ? or(ilike(accounts.username, `%${text}%`), ilike(accounts.displayName, `%${text}%`), ilike(units.name, `%${text}%`))
      : undefined,
  );
  const [rows, [{ total }]] = await Promise.all([
    executor
      .select(viewColumns)
      .from(accounts)
      .innerJoin(units, eq(units.code, accounts.unitCode))
      .where(where)
      .orderBy(asc(units.path), asc(accounts.username))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
    executor
      .select({ total: sql<number>`count(*)`.mapWith(Number) })
      .from(accounts)
      .innerJoin(units, eq(units.code, accounts.unitCode))
      .where(where),
  ]);
  return { items: rows.map((row) => present(row)), total };
}

/** Disables every account of a unit (a school closed or merged away). */
export async function disableAccountsOfUnit(tx: Executor, unitCode: string) {
  await tx.update(accounts).set({ disabled: true }).where(eq(accounts.unitCode, unitCode));
}

/** A new account; undefined when its username is taken (a concurrent creation came first). */
export async function insertAccount(executor: Executor, values: AccountValues): Promise<number | undefined> {
  const [row] = await executor.insert(accounts).values(values).onConflictDoNothing().returning({ id: accounts.id });
  return row?.id;
}

/** Changes an account only at `version`, counting the change: false when it changed since. */
export async function updateAccountAt(
  executor: Executor,
  accountId: number,
  version: number,
  change: Pick<AccountValues, 'displayName' | 'role' | 'unitCode' | 'disabled'>,
): Promise<boolean> {
  const updated = await executor
    .update(accounts)
    .set({ ...change, version: sql`${accounts.version} + 1`, updatedAt: new Date() })
    .where(and(eq(accounts.id, accountId), eq(accounts.version, version)))
    .returning({ id: accounts.id });
  return updated.length > 0;
}

/** Stores a new password hash (the initial one is then forgotten), counting the change in the account's version. */
export async function setPasswordHash(
  executor: Executor,
  accountId: number,
  change: { passwordHash: string; passwordChangedAt: Date; updatedAt?: Date; mustChangePassword: boolean; initialPasswordCipher: null },
) {
  await executor
    .update(accounts)
    .set({ ...change, version: sql`${accounts.version} + 1` })
    .where(eq(accounts.id, accountId));
}

/** Counts a change made elsewhere (a lock lifted) in the account's version. */
export async function bumpAccountVersion(executor: Executor, accountId: number) {
  await executor.update(accounts).set({ version: sql`${accounts.version} + 1` }).where(eq(accounts.id, accountId));
}

export async function recordSignIn(executor: Executor, accountId: number, at: Date) {
  await executor.update(accounts).set({ lastLoginAt: at }).where(eq(accounts.id, accountId));
}
