import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { and, desc, eq, or } from 'drizzle-orm';
import { z } from 'zod';
import { DomainError, forbidden, notFound } from '../errors.ts';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, errorSchema, unitCodeParams } from '../http/api-schemas.ts';
import { registerIdResolver } from '../http/auth-hooks.ts';
import { recordAudit } from '../audit/audit.ts';
import { authorize, can } from '../policy/can.ts';
import { findUnit, unitRefOf, type UnitRow } from '../org/units.repository.ts';
import { isWithin, type UnitRef } from '../org/tree.ts';
import { unlockRequests, units } from '../db/schema.ts';
import { notify } from '../notifications/notifications.service.ts';
import { requireCampaign } from './package.service.ts';

const grantDays = 3;
const unlockIdParams = z.object({ unlockId: z.coerce.number().int().positive() });
type UnlockRow = typeof unlockRequests.$inferSelect;
type ScopedUnlock = { request: UnlockRow; unit: UnitRow };

declare module '../http/context.ts' {
  interface ScopedResources {
    unlockId: ScopedUnlock;
  }
}

registerIdResolver('unlockId', async (db, actor, id) => {
  const [request] = await db.select().from(unlockRequests).where(eq(unlockRequests.id, id)).limit(1);
  const unit = request && (await findUnit(db, request.unitCode));
  return request && unit && isWithin(unit, actor.unit) ? { request, unit } : undefined;
});

const unlockSchema = z.object({
  id: z.number(),
  unitCode: z.string(),
  unitName: z.string(),
  reason: z.string(),
  status: z.string(),
  answer: z.string().nullable(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  abilities: z.object({ decide: z.boolean() }),
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
    if (unlock.status !== 'pending') throw new DomainError('conflict', { zh: '该申请已处理', en: 'This request has already been decided' });
    return db.transaction(async (tx) => {
      const [row] = await tx
        .update(unlockRequests)
        .set({ status: grant ? 'granted' : 'refused', answer: answer ?? null, decidedBy: actor.id, decidedAt: new Date(), expiresAt: grant ? new Date(Date.now() + grantDays * 86_400_000) : null })
        .where(and(eq(unlockRequests.id, unlock.id), eq(unlockRequests.status, 'pending')))
        .returning();
      if (!row) throw new DomainError('conflict', { zh: '该申请已处理', en: 'This request has already been decided' });
      await notify(tx, [{ unitCode: unit.code, kind: grant ? 'package_approved' : 'package_returned', title: grant ? `解锁申请已批准，${grantDays} 天内可修改数据` : '解锁申请未获批准', body: answer }]);
      await recordAudit(tx, { ...auditContext(request), actor }, { action: grant ? 'unlock.granted' : 'unlock.refused', targetType: 'unlock_request', targetId: unlock.id, unitCode: unit.code, reason: answer ?? null });
      return { ...row, unitName: unit.name };
    });
  }

  const present = (actorUnit: UnitRef, row: UnlockRow & { unitName: string }, decidable: boolean) => ({
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
      body: z.object({ reason: z.string().trim().min(1, '请填写原因 / give a reason').max(500) }),
      response: { 201: unlockSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'package.submit', unitRefOf(unit));
    const campaign = await requireCampaign(db);
    const [pending] = await db.select({ id: unlockRequests.id }).from(unlockRequests).where(and(eq(unlockRequests.unitCode, unit.code), eq(unlockRequests.status, 'pending'))).limit(1);
    if (pending) throw new DomainError('conflict', { zh: '已有一份待处理的解锁申请', en: 'An unlock request is already pending' });
    const row = await db.transaction(async (tx) => {
      const [created] = await tx.insert(unlockRequests).values({ campaignId: campaign.id, unitCode: unit.code, reason: request.body.reason, createdBy: actor.id }).returning();
      if (unit.parentCode) await notify(tx, [{ unitCode: unit.parentCode, kind: 'package_received', title: `${unit.name} 申请解锁已报送的数据`, body: request.body.reason }]);
      await recordAudit(tx, { ...auditContext(request), actor }, { action: 'unlock.requested', targetType: 'unlock_request', targetId: created.id, unitCode: unit.code, reason: request.body.reason });
      return created;
    });
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
    const rows = await db
      .select({ request: unlockRequests, unitName: units.name })
      .from(unlockRequests)
      .innerJoin(units, eq(units.code, unlockRequests.unitCode))
      .where(or(eq(unlockRequests.unitCode, unit.code), eq(units.parentCode, unit.code)))
      .orderBy(desc(unlockRequests.id))
      .limit(200);
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
