import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { maskChanges, maskPersonalText, type FieldChanges } from '../../standard/index.ts';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, unitCodeParams } from '../http/api-schemas.ts';
import { authorize, can } from '../policy/can.ts';
import { confirmationKindOf } from '../../contract/record-states.ts';
import {
  bulkTransitionResultSchema,
  bulkTransitionSchema,
  staffHistorySchema,
  staffIdParams,
  staffSchema,
  staffTransitionSchema,
} from '../../contract/staff.schema.ts';
import { present, schoolOf, schoolRef } from '../staff/staff.routes.ts';
import { bulkTransition, recordHistory, transitionRecord } from './record-workflow.service.ts';

/** A record's steps (send, approve, return, confirm on paper) and its history, under the staff URLs. */
export async function workflowRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;

  api.post('/api/staff/:staffId/transitions', {
    schema: {
      tags: ['staff'],
      summary: '记录状态变更：发送确认、审核通过、退回（退回须填原因）/ A step on a record: send, approve, return (with a reason)',
      params: staffIdParams,
      body: staffTransitionSchema,
      response: { 200: staffSchema, ...errorResponses, 409: errorResponses[400] },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const found = scoped(request, 'staffId');
    authorize(actor, 'staff.write', schoolRef(found.school));
    const row = await transitionRecord(db, { ...auditContext(request), actor }, found.record, request.body);
    return present(actor, { record: row, school: found.school });
  });

  api.post('/api/schools/:code/staff/transitions', {
    schema: {
      tags: ['staff'],
      summary: '批量审核、退回或登记纸质确认（逐条返回结果；纸质确认为一个批次，原因即批次说明）/ The same step on many records, with a result per record (a paper registration is one batch)',
      params: unitCodeParams,
      body: bulkTransitionSchema,
      response: {
        200: bulkTransitionResultSchema,
        ...errorResponses,
      },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const school = schoolOf(scoped(request, 'code'));
    authorize(actor, 'staff.write', schoolRef(school));
    return bulkTransition(db, { ...auditContext(request), actor }, school.code, request.body);
  });

  api.get('/api/staff/:staffId/history', {
    schema: {
      tags: ['staff'],
      summary: '记录的全部历史（谁、何时、从何状态到何状态、原因、字段变化）/ A record\'s full history',
      params: staffIdParams,
      response: {
        200: staffHistorySchema,
        ...errorResponses,
      },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const found = scoped(request, 'staffId');
    authorize(actor, 'staff.read', schoolRef(found.school));
    const masked = !can(actor, 'staff.seeFullId', schoolRef(found.school));
    const items = await recordHistory(db, found.record.id);
    return {
      items: items.map((item) => {
        const changes = (item.changes as FieldChanges | null) ?? null;
        return {
          event: item.event,
          from: item.fromState,
          to: item.toState,
          actorKind: item.actorKind,
          actorId: item.actorId,
          reason: masked && item.reason ? maskPersonalText(item.reason) : item.reason,
          changes: masked && changes ? maskChanges(changes) : changes,
          confirmedVia: confirmationKindOf(item.event),
          batch: item.batch ? { ...item.batch, createdAt: item.batch.createdAt.toISOString() } : null,
          at: item.at.toISOString(),
        };
      }),
    };
  });
}
