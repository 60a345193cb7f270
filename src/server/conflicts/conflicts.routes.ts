import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { maskIdNumber } from '../../standard/index.ts';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, errorSchema, unitCodeParams } from '../http/api-schemas.ts';
import { registerIdResolver } from '../http/auth-hooks.ts';
import { authorize, can } from '../policy/can.ts';
import { isWithin, type UnitRef } from '../../contract/unit-tree.ts';
import { releasePerson, withdrawClaim } from './conflicts.service.ts';
import { findConflict, listConflicts } from './conflicts.repository.ts';
import { conflictListQuerySchema, conflictListSchema, resolutionBodySchema, resolvedSchema } from '../../contract/conflicts.schema.ts';

const conflictIdParams = z.object({ conflictId: z.coerce.number().int().positive() });
type ScopedConflict = NonNullable<Awaited<ReturnType<typeof findConflict>>>;

declare module '../http/context.ts' {
  interface ScopedResources {
    conflictId: ScopedConflict;
  }
}

/** A conflict is visible to both schools and every unit above either of them (their nearest common unit too). */
registerIdResolver('conflictId', async (db, actor, id) => {
  const found = await findConflict(db, id);
  return found && (isWithin({ path: found.holderPath }, actor.unit) || isWithin({ path: found.claimantPath }, actor.unit)) ? found : undefined;
});

const schoolRef = (code: string, path: string): UnitRef => ({ code, kind: 'school', path });

export async function conflictRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;

  api.get('/api/units/:code/conflicts', {
    schema: {
      tags: ['conflicts'],
      summary: '辖区内的身份证件号冲突 / ID number conflicts touching the unit\'s subtree',
      params: unitCodeParams,
      querystring: conflictListQuerySchema,
      response: {
        200: conflictListSchema,
        ...errorResponses,
      },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', { code: unit.code, kind: unit.kind, path: unit.path });
    const rows = await listConflicts(db, unit, request.query.status);
    return {
      items: rows.map(({ conflict, holderName, holderPath, claimantName, claimantPath }) => {
        const fullIds = can(actor, 'staff.seeFullId', schoolRef(conflict.holderSchoolCode, holderPath)) || can(actor, 'staff.seeFullId', schoolRef(conflict.claimantSchoolCode, claimantPath));
        const open = conflict.status === 'open';
        return {
          id: conflict.id,
          idNumber: fullIds ? conflict.idNumber : maskIdNumber(conflict.idNumber),
          status: conflict.status,
          resolution: conflict.resolution,
          note: conflict.note,
          holder: { code: conflict.holderSchoolCode, name: holderName },
          claimant: { code: conflict.claimantSchoolCode, name: claimantName, personName: conflict.claimantName },
          createdAt: conflict.createdAt.toISOString(),
          abilities: {
            release: open && can(actor, 'staff.write', schoolRef(conflict.holderSchoolCode, holderPath)),
            withdraw: open && can(actor, 'staff.write', schoolRef(conflict.claimantSchoolCode, claimantPath)),
          },
        };
      }),
    };
  });

  api.post('/api/conflicts/:conflictId/release', {
    schema: { tags: ['conflicts'], summary: '调出：持有学校释放此人（保留历史）/ Transfer: the holding school releases the person', params: conflictIdParams, body: resolutionBodySchema, response: { 200: resolvedSchema, ...errorResponses, 409: errorSchema } },
  }, async (request) => {
    const actor = requireActor(request);
    const { conflict, holderPath } = scoped(request, 'conflictId');
    authorize(actor, 'staff.write', schoolRef(conflict.holderSchoolCode, holderPath));
    await releasePerson(db, { ...auditContext(request), actor }, conflict, request.body.note);
    return { status: 'resolved' as const };
  });

  api.post('/api/conflicts/:conflictId/withdraw', {
    schema: { tags: ['conflicts'], summary: '更正：申报学校撤回错误的申报 / Correction: the claiming school withdraws its claim', params: conflictIdParams, body: resolutionBodySchema, response: { 200: resolvedSchema, ...errorResponses, 409: errorSchema } },
  }, async (request) => {
    const actor = requireActor(request);
    const { conflict, claimantPath } = scoped(request, 'conflictId');
    authorize(actor, 'staff.write', schoolRef(conflict.claimantSchoolCode, claimantPath));
    await withdrawClaim(db, { ...auditContext(request), actor }, conflict, request.body.note);
    return { status: 'resolved' as const };
  });
}
