import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditContext, requireActor, type AppContext } from '../http/context.ts';
import { errorResponses, errorSchema } from '../http/api-schemas.ts';
import { can, unitPages } from '../policy/can.ts';
import type { Actor } from '../policy/actor.ts';
import type { Database } from '../db/client.ts';
import { findUnit } from '../org/units.repository.ts';
import { loginBodySchema, meSchema, type Session } from '../../contract/auth.schema.ts';
import { changePasswordBodySchema } from '../../contract/accounts.schema.ts';
import { changePassword, login, logout } from './auth.service.ts';
import { passwordSchema } from './password-policy.ts';
import { findSession, sessionCookieName } from './sessions.repository.ts';
import { mustChangePassword } from './bulk.repository.ts';

async function presentMe(db: Database, actor: Actor, csrfToken: string): Promise<Session> {
  const unit = actor.unit.kind === 'school' ? await findUnit(db, actor.unit.code) : undefined;
  return {
    user: {
      id: actor.id,
      username: actor.username,
      displayName: actor.displayName,
      role: actor.role,
      unit: { code: actor.unit.code, name: actor.unit.name, kind: actor.unit.kind },
      abilities: {
        manageAccounts: can(actor, 'account.list', actor.unit),
        manageSchools: can(actor, 'school.create', actor.unit),
        askQuestions: actor.unit.kind !== 'province' && can(actor, 'question.ask', actor.unit),
        ...unitPages(actor, (unit?.schoolType) ?? null),
      },
    },
    csrfToken,
    mustChangePassword: await mustChangePassword(db, actor.id),
  };
}

export async function authRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: context.config.secureCookies,
  };

  api.post('/api/auth/login', {
    config: { public: true },
    schema: {
      tags: ['auth'],
      summary: '登录 / Sign in',
      body: loginBodySchema,
      response: { 200: meSchema, 400: errorSchema, 401: errorSchema, 429: errorSchema },
    },
  }, async (request, reply) => {
    const session = await login(db, context.config, request.body, { ip: request.ip, userAgent: request.headers['user-agent'] });
    reply.setCookie(sessionCookieName, session.token, { ...cookieOptions, maxAge: context.config.sessionHours * 3600 });
    const found = await findSession(db, session.token);
    if (found.state !== 'active') throw new Error('session vanished after login');
    return presentMe(db, found.actor, session.csrfToken);
  });

  api.post('/api/auth/logout', {
    schema: { tags: ['auth'], summary: '退出登录 / Sign out', response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    requireActor(request);
    await logout(db, auditContext(request), request.sessionId!);
    reply.clearCookie(sessionCookieName, { path: '/' });
    return reply.code(204).send(null);
  });

  api.get('/api/auth/me', {
    schema: { tags: ['auth'], summary: '当前用户 / The signed-in user', response: { 200: meSchema, ...errorResponses } },
  }, async (request) => presentMe(db, requireActor(request), request.csrfToken!));

  api.post('/api/auth/password', {
    schema: {
      tags: ['auth'],
      summary: '修改本人密码 / Change my password',
      body: changePasswordBodySchema.extend({ newPassword: passwordSchema }),
      response: { 204: z.null(), ...errorResponses },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    await changePassword(db, { ...auditContext(request), actor }, request.sessionId!, request.body);
    return reply.code(204).send(null);
  });
}
