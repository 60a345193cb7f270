import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor, type AppContext } from '../http/context.ts';
import { errorResponses } from '../http/api-schemas.ts';
import { listNotifications, markRead } from './notifications.service.ts';
import { markReadBodySchema, notificationListSchema } from '../../contract/notifications.schema.ts';

export async function notificationRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;

  api.get('/api/notifications', {
    schema: {
      tags: ['notifications'],
      summary: '本单位的通知 / Notifications of my unit',
      response: {
        200: notificationListSchema,
        ...errorResponses,
      },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { items, unread } = await listNotifications(db, actor.unit.code);
    return { unread, items: items.map((item) => ({ id: item.id, kind: item.kind, title: item.title, body: item.body, link: item.link, read: item.readAt !== null, createdAt: item.createdAt.toISOString() })) };
  });

  api.post('/api/notifications/read', {
    schema: {
      tags: ['notifications'],
      summary: '标为已读（不带 id 则全部）/ Mark one or all as read',
      body: markReadBodySchema,
      response: { 204: z.null(), ...errorResponses },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    await markRead(db, actor.unit.code, request.body.id);
    return reply.code(204).send(null);
  });
}
