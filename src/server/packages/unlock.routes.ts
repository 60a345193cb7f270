import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forbidden, notFound } from '../errors.ts';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, errorSchema, unitCodeParams } from '../http/api-schemas.ts';
import { registerIdResolver } from '../http/auth-hooks.ts';
import { authorize, can } from '../policy/can.ts';
import { findUnit, type UnitRow } from '../org/units.repository.ts';
import { isWithin, type UnitRef, unitRefOf } from '../../contract/unit-tree.ts';
import { unlockRequestBodySchema, unlockSchema, type UnlockRequest } from '../../contract/packages.schema.ts';
import { decideUnlock, requestUnlock } from './unlock.service.ts';
import { findUnlockRequest, unlockRequestsAround, type UnlockRow } from './unlock.repository.ts';

const unlockIdParams = z.object({ unlockId: z.coerce.number().int().positive() });
type ScopedUnlock = { request: UnlockRow; unit: UnitRow };

declare module '../http/context.ts' {
  interface ScopedResources {
    unlockId: ScopedUnlock;
  }
}

registerIdResolver('unlockId', async (db, actor, id) => {
  const request = await findUnlockRequest(db, id);
  const unit = request && (await findUnit(db, request.unitCode));
  return request && unit && isWithin(unit, actor.unit) ? { request, unit } : undefined;
});

export async function unlockRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;

  async function decide(request: FastifyRequest, grant: boolean, answer: string | undefined) {
    const actor = requireActor(request);
    const { request: unlock, unit } = scoped(request, 'unlockId');
    const parent = unit.parentCode ? await findUnit(db, unit.parentCode) : undefined;
    if (!parent) throw notFound();
    // The request is visible (its resolver): a caller who may not decide it, the asking school itself, hears 403.
    if (!can(actor, 'package.review', unitRefOf(parent))) throw forbidden();
    return decideUnlock(db, { ...auditContext(request), actor }, unlock, unit, grant, answer);
  }

  const present = (actorUnit: UnitRef, row: UnlockRow & { unitName: string }, decidable: boolean): UnlockRequest => ({
    id: row.id,
    unitCode: row.unitCode,
    unitName: row.unitName,
    reason: row.reason,
    status: row.status,
    answer: row.answer,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    abilities: { decide: decidable && row.status === 'pending' && row.unitCode !== actorUnit.code },
  });

  api.post('/api/units/:code/unlock-requests', {
    schema: {
      tags: ['packages'],
      summary: '过截止日期后申请解锁 / Ask the parent to unlock submitted data after the deadline',
      params: unitCodeParams,
      body: unlockRequestBodySchema,
      response: { 201: unlockSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'package.submit', unitRefOf(unit));
    const row = await requestUnlock(db, { ...auditContext(request), actor }, unit, request.body.reason);
    return reply.code(201).send(present(actor.unit, { ...row, unitName: unit.name }, false));
  });

  api.get('/api/units/:code/unlock-requests', {
    schema: {
      tags: ['packages'],
      summary: '本单位及下级的解锁申请 / Unlock requests of the unit and of the units reporting to it',
      params: unitCodeParams,
      response: { 200: z.object({ items: z.array(unlockSchema) }), ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', unitRefOf(unit));
    const rows = await unlockRequestsAround(db, unit.code);
    const decidable = can(actor, 'package.review', unitRefOf(unit));
    return { items: rows.map((row) => present(actor.unit, { ...row.request, unitName: row.unitName }, decidable && row.request.unitCode !== unit.code)) };
  });

  api.post('/api/unlock-requests/:unlockId/grant', {
    schema: { tags: ['packages'], summary: '批准解锁（3 天内可修改）/ Grant an unlock for three days', params: unlockIdParams, body: z.object({ answer: z.string().trim().max(500).optional() }), response: { 200: unlockSchema, ...errorResponses, 409: errorSchema } },
  }, async (request) => {
    const row = await decide(request, true, request.body.answer);
    return present(requireActor(request).unit, row, false);
  });

  api.post('/api/unlock-requests/:unlockId/refuse', {
    schema: { tags: ['packages'], summary: '不批准解锁（须说明）/ Refuse an unlock, with an answer', params: unlockIdParams, body: z.object({ answer: z.string().trim().min(1).max(500) }), response: { 200: unlockSchema, ...errorResponses, 409: errorSchema } },
  }, async (request) => {
    const row = await decide(request, false, request.body.answer);
    return present(requireActor(request).unit, row, false);
  });

}
