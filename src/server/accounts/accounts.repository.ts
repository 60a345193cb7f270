import { and, asc, eq, ilike, like, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { accounts, throttles, units } from '../db/schema.ts';
import type { Role } from '../../contract/roles.ts';
import type { UnitKind, UnitRef } from '../../contract/unit-tree.ts';
import type { Page } from '../org/units.repository.ts';

export type AccountRow = typeof accounts.$inferSelect;

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
  role: string;
  disabled: boolean;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  version: number;
  createdAt: Date;
  unitCode: string;
  unitName: string;
  unitKind: string;
  unitPath: string;
};

function present(row: ViewRow): AccountView & { unitRef: UnitRef } {
  const locked = row.lockedUntil !== null && row.lockedUntil.getTime() > Date.now();
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role as Role,
    unit: { code: row.unitCode, name: row.unitName, kind: row.unitKind as UnitKind },
    disabled: row.disabled,
    locked,
    lockedUntil: locked ? row.lockedUntil!.toISOString() : null,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    unitRef: { code: row.unitCode, kind: row.unitKind as UnitKind, path: row.unitPath },
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
