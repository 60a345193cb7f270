import type { FastifyRequest } from 'fastify';
import type { DatabaseHandle } from '../db/client.ts';
import type { Config } from '../config.ts';
import { DomainError } from '../errors.ts';
import type { Actor } from '../policy/actor.ts';
import type { AuditContext } from '../audit/audit.ts';

/** What a route needs from the running application. */
export type AppContext = { config: Config; database: DatabaseHandle };

/**
 * The resource each scoped route parameter resolves to, by parameter name. Each domain's routes file adds
 * the parameters it resolves (`declare module '../http/context.ts'`), next to its `registerIdResolver`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ScopedResources {}
export type ScopedParam = keyof ScopedResources;

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
    csrfToken: string | null;
    /** Resources resolved from route parameters by the scope hook, already known to be in scope. */
    scoped: Partial<ScopedResources>;
  }
  interface FastifyContextConfig {
    /** Routes open without a session (health, login, the docs). */
    public?: boolean;
  }
}

/** The signed-in actor; throws 401 when there is none. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) {
    throw new DomainError('unauthenticated', { zh: '请先登录', en: 'Please sign in' });
  }
  return request.actor;
}

/**
 * The resource that the scope hook resolved from the route parameter `param` (in scope, else the request got
 * 404 already). A route without that parameter asking for it is a programming error.
 */
export function scoped<P extends ScopedParam>(request: FastifyRequest, param: P): ScopedResources[P] {
  const resource = request.scoped[param];
  if (resource === undefined) throw new Error(`Route parameter ${param} was not resolved for ${request.routeOptions.url}`);
  return resource;
}

export function auditContext(request: FastifyRequest): AuditContext {
  return { actor: request.actor, ip: request.ip };
}

/** The language of messages for this request: `zh` unless the client asks for English. */
export function languageOf(request: FastifyRequest): 'zh' | 'en' {
  const header = request.headers['x-rollcall-lang'] ?? request.headers['accept-language'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^en\b/i.test(value) ? 'en' : 'zh';
}
