import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, notFound } from '../errors.ts';
import type { Actor } from '../policy/actor.ts';
import type { AppContext, ScopedParam, ScopedResources } from './context.ts';
import type { Database } from '../db/client.ts';

const mutating = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const csrfHeader = 'x-csrf-token';

/**
 * Resolves a route parameter to the resource it names, or undefined when it does not exist or lies
 * outside the actor's subtree (both answer 404, so ids from elsewhere reveal nothing).
 */
export type ScopeResolver<P extends ScopedParam> = (db: Database, actor: Actor, value: string) => Promise<ScopedResources[P] | undefined>;
const scopeResolvers: { [P in ScopedParam]?: ScopeResolver<P> } = {};

/** Declares how a route parameter of this name is resolved and scoped, for every route that has it. */
export function registerScopeResolver<P extends ScopedParam>(param: P, resolver: ScopeResolver<P>) {
  const resolvers: { [K in P]?: ScopeResolver<K> } = scopeResolvers;
  resolvers[param] = resolver;
}

/**
 * A scope resolver for a numeric id: a value that is not a positive whole number (up to `max`, the id
 * column's range) names nothing and answers 404 before the resolver runs.
 */
export function registerIdResolver<P extends ScopedParam>(
  param: P,
  resolver: (db: Database, actor: Actor, id: number) => Promise<ScopedResources[P] | undefined>,
  max = Number.MAX_SAFE_INTEGER,
) {
  registerScopeResolver(param, async (db, actor, value) => {
    const id = Number(value);
    return Number.isSafeInteger(id) && id > 0 && id <= max ? resolver(db, actor, id) : undefined;
  });
}

/**
 * Where the hooks look sessions up: `accounts/sessions.repository.ts`, handed in by `app.ts` so that this
 * plumbing imports no domain folder.
 */
export type SessionStore = {
  cookieName: string;
  findSession: (
    db: Database,
    token: string,
  ) => Promise<
    | { state: 'none' }
    | { state: 'expired' }
    | { state: 'active'; sessionId: string; csrfToken: string; actor: Actor; lastSeenAt: Date; mustChangePassword?: boolean }
  >;
  touchSession: (db: Database, sessionId: string, lifetimeHours: number) => Promise<unknown>;
};

function hasResolver(name: string): name is ScopedParam {
  return Object.hasOwn(scopeResolvers, name);
}

/** Resolves one route parameter into `scoped`, or answers 404 when its resolver finds nothing. */
async function resolveParam<P extends ScopedParam>(db: Database, actor: Actor, scoped: Partial<ScopedResources>, param: P, value: string) {
  const resolver: ScopeResolver<P> | undefined = scopeResolvers[param];
  if (!resolver) return;
  const resource = await resolver(db, actor, value);
  if (resource === undefined) throw notFound();
  scoped[param] = resource;
}

function sameToken(a: string, b: string) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** What an account whose password was given by someone else may still do: sign out, read itself, change the password. */
const beforePasswordChange = new Set(['POST /api/auth/logout', 'GET /api/auth/me', 'POST /api/auth/password']);

const passwordChangeRequired = () =>
  new DomainError('password_change_required', {
    zh: '请先修改初始密码，修改后才能继续使用',
    en: 'Change your initial password before going on',
  });

function isPublic(request: FastifyRequest) {
  const url = request.url;
  return (
    request.routeOptions.config?.public === true ||
    !url.startsWith('/api/') ||
    url === '/api/docs' ||
    url.startsWith('/api/docs/') ||
    url.startsWith('/api/docs?')
  );
}

/**
 * Authentication (session cookie → actor), CSRF on state-changing requests, and scope resolution of
 * route parameters before any body is validated: authenticate → scope → validate → handler.
 */
export function installAuthHooks(app: FastifyInstance, context: AppContext, sessions: SessionStore) {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);
  // an object cannot be a decoration's shared default: every request gets its own `{}` in the hook below
  app.decorateRequest('scoped');

  app.addHook('onRequest', async (request) => {
    request.scoped = {};
    const token = request.cookies[sessions.cookieName];
    let expired = false;
    let mustChangePassword = false;
    if (token) {
      const found = await sessions.findSession(context.database.db, token);
      if (found.state === 'active') {
        request.actor = found.actor;
        request.sessionId = found.sessionId;
        request.csrfToken = found.csrfToken;
        mustChangePassword = found.mustChangePassword === true;
        if (Date.now() - found.lastSeenAt.getTime() > 60_000) {
          await sessions.touchSession(context.database.db, found.sessionId, context.config.sessionHours);
        }
      } else expired = found.state === 'expired';
    }
    if (isPublic(request)) return;
    if (!request.actor) {
      throw expired
        ? new DomainError('session_expired', { zh: '会话已过期，请重新登录', en: 'Your session has expired; sign in again' })
        : new DomainError('unauthenticated', { zh: '请先登录', en: 'Please sign in' });
    }
    if (mutating.has(request.method)) {
      const sent = request.headers[csrfHeader];
      if (typeof sent !== 'string' || !request.csrfToken || !sameToken(sent, request.csrfToken)) {
        throw new DomainError('csrf_failed', {
          zh: '安全校验失败（CSRF），请刷新页面后重试',
          en: 'Security check failed (CSRF); reload the page and try again',
        });
      }
    }
    if (mustChangePassword && !beforePasswordChange.has(`${request.method} ${request.routeOptions.url ?? ''}`)) throw passwordChangeRequired();
  });

  app.addHook('preValidation', async (request) => {
    if (!request.actor) return;
    const params: unknown = request.params;
    if (typeof params !== 'object' || params === null) return;
    for (const [name, value] of Object.entries(params)) {
      if (typeof value === 'string' && hasResolver(name)) await resolveParam(context.database.db, request.actor, request.scoped, name, value);
    }
  });
}
