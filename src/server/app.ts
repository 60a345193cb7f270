import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountRoutes } from './accounts/accounts.routes.ts';
import { authRoutes } from './accounts/auth.routes.ts';
import { findSession, sessionCookieName, touchSession } from './accounts/sessions.repository.ts';
import { campaignRoutes } from './campaign/campaign.routes.ts';
import { campaignsRoutes } from './campaign/campaigns.routes.ts';
import { installAuthHooks } from './http/auth-hooks.ts';
import type { AppContext } from './http/context.ts';
import { apiNotFound, installErrorHandler } from './http/error-handler.ts';
import { installInputGuard } from './http/input-guard.ts';
import { loggerOptions, type LogStream } from './http/logging.ts';
import { installSecurityHeaders } from './http/security-headers.ts';
import { orgRoutes } from './org/org.routes.ts';
import { schoolLifeRoutes } from './school-life/school-life.routes.ts';
import { staffRoutes } from './staff/staff.routes.ts';
import { workflowRoutes } from './workflow/workflow.routes.ts';
import { importRoutes } from './imports/imports.routes.ts';
import { confirmationRoutes } from './confirmation/confirmation.routes.ts';
import { packageRoutes } from './packages/packages.routes.ts';
import { conflictRoutes } from './conflicts/conflicts.routes.ts';
import { notificationRoutes } from './notifications/notifications.routes.ts';
import { unlockRoutes } from './packages/unlock.routes.ts';
import { auditRoutes } from './audit/audit.routes.ts';
import { progressRoutes } from './progress/progress.routes.ts';
import { bulletinRoutes } from './bulletins/bulletins.routes.ts';
import { weeklyReportRoutes } from './reports/weekly-report.routes.ts';
import { helpdeskRoutes } from './helpdesk/helpdesk.routes.ts';
import { resourceRoutes } from './resources/resources.routes.ts';
import { coordinationRoutes } from './coordination/coordination.routes.ts';

export const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');
const version = z.object({ version: z.string() }).parse(JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))).version;

/**
 * Builds the HTTP application on an open database: the API under /api, its docs, and the web app. With `logger`,
 * requests and errors are logged (redacted, see http/logging.ts) to stdout, or to `logStream` when given.
 */
export async function buildApp(
  context: AppContext,
  options: { logger?: boolean; logStream?: LogStream } = {},
): Promise<FastifyInstance> {
  const { trustedProxies } = context.config;
  const app = Fastify({
    logger: options.logger ? loggerOptions(context.config, options.logStream) : false,
    bodyLimit: 1024 * 1024,
    // Only the named proxies may say who the client is: X-Forwarded-For from anyone else is ignored.
    trustProxy: trustedProxies.length > 0 ? trustedProxies : false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  installInputGuard(app);
  await installSecurityHeaders(app, context.config);

  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 10 } });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Rollcall 点名 API',
        description: '全省教职工基础信息采集 — API. Sign in with POST /api/auth/login; send the returned csrfToken as the x-csrf-token header on every POST, PATCH, PUT and DELETE.',
        version,
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  installAuthHooks(app, context, { cookieName: sessionCookieName, findSession, touchSession });

  app.withTypeProvider<ZodTypeProvider>().get('/api/health', {
    config: { public: true },
    schema: {
      tags: ['system'],
      summary: '健康检查 / Health check',
      response: { 200: z.object({ status: z.literal('ok'), engine: z.enum(['pglite', 'postgres']), version: z.string() }) },
    },
  }, async () => {
    await context.database.db.execute('select 1');
    return { status: 'ok' as const, engine: context.database.engine, version };
  });

  await authRoutes(app, context);
  await orgRoutes(app, context);
  await schoolLifeRoutes(app, context);
  await accountRoutes(app, context);
  await campaignRoutes(app, context);
  await campaignsRoutes(app, context);
  await staffRoutes(app, context);
  await workflowRoutes(app, context);
  await importRoutes(app, context);
  await confirmationRoutes(app, context);
  await packageRoutes(app, context);
  await conflictRoutes(app, context);
  await notificationRoutes(app, context);
  await unlockRoutes(app, context);
  await auditRoutes(app, context);
  await progressRoutes(app, context);
  await bulletinRoutes(app, context);
  await weeklyReportRoutes(app, context);
  await helpdeskRoutes(app, context);
  await resourceRoutes(app, context);
  await coordinationRoutes(app, context);

  const hasWeb = fs.existsSync(path.join(webRoot, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: false });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.url === '/api' || request.method !== 'GET' || !hasWeb) {
      return apiNotFound(request, reply);
    }
    // The web app routes in the browser: every other GET serves its page.
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
