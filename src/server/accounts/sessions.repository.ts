import { createHash, randomBytes } from 'node:crypto';
import { and, eq, lt, ne, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { accounts, sessions, units } from '../db/schema.ts';
import type { Actor } from '../policy/actor.ts';

export const sessionCookieName = 'rollcall_session';

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates a session; returns the cookie token (only its hash is stored) and the CSRF token. */
export async function createSession(
  executor: Executor,
  accountId: number,
  lifetimeHours: number,
  client: { ip?: string; userAgent?: string },
) {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await executor.insert(sessions).values({
    id: digest(token),
    accountId,
    csrfToken,
    expiresAt: new Date(Date.now() + lifetimeHours * 3_600_000),
    ip: client.ip ?? null,
    userAgent: client.userAgent?.slice(0, 500) ?? null,
  });
  return { token, csrfToken };
}

export type SessionLookup =
  | { state: 'none' }
  | { state: 'expired' }
  | { state: 'active'; sessionId: string; csrfToken: string; actor: Actor; lastSeenAt: Date; mustChangePassword: boolean };

const sessionQuery = (executor: Executor) =>
  executor
    .select({
      id: sessions.id,
      csrfToken: sessions.csrfToken,
      expiresAt: sessions.expiresAt,
      lastSeenAt: sessions.lastSeenAt,
      accountId: accounts.id,
      username: accounts.username,
      displayName: accounts.displayName,
      role: accounts.role,
      disabled: accounts.disabled,
      mustChangePassword: accounts.mustChangePassword,
      unitCode: units.code,
      unitName: units.name,
      unitKind: units.kind,
      unitPath: units.path,
    })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .innerJoin(units, eq(units.code, accounts.unitCode))
    .where(eq(sessions.id, sql.placeholder('id')))
    .limit(1)
    .prepare('find_session');

/** Every request looks its session up: the query is built once per database and prepared on the server. */
const preparedSessionQueries = new WeakMap<Executor, ReturnType<typeof sessionQuery>>();

/** Finds the session of a cookie token with its account and unit. */
export async function findSession(executor: Executor, token: string): Promise<SessionLookup> {
  const id = digest(token);
  let query = preparedSessionQueries.get(executor);
  if (!query) preparedSessionQueries.set(executor, (query = sessionQuery(executor)));
  const [row] = await query.execute({ id });
  if (!row) return { state: 'none' };
  if (row.expiresAt.getTime() <= Date.now() || row.disabled) {
    await executor.delete(sessions).where(eq(sessions.id, id));
    return { state: 'expired' };
  }
  return {
    state: 'active',
    sessionId: id,
    csrfToken: row.csrfToken,
    lastSeenAt: row.lastSeenAt,
    mustChangePassword: row.mustChangePassword,
    actor: {
      id: row.accountId,
      username: row.username,
      displayName: row.displayName,
      role: row.role,
      unit: { code: row.unitCode, name: row.unitName, kind: row.unitKind, path: row.unitPath },
    },
  };
}

/** Slides a session's expiry forward (called at most once a minute per session). */
export async function touchSession(executor: Executor, sessionId: string, lifetimeHours: number) {
  await executor
    .update(sessions)
    .set({ lastSeenAt: new Date(), expiresAt: new Date(Date.now() + lifetimeHours * 3_600_000) })
    .where(eq(sessions.id, sessionId));
}

export async function deleteSession(executor: Executor, sessionId: string) {
  await executor.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of an account, except `keepSessionId` when given. */
export async function deleteSessionsOf(executor: Executor, accountId: number, keepSessionId?: string) {
  await executor
    .delete(sessions)
    .where(and(eq(sessions.accountId, accountId), keepSessionId ? ne(sessions.id, keepSessionId) : undefined));
}

export async function deleteExpiredSessions(executor: Executor) {
  await executor.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}
