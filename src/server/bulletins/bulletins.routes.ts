import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound, forbidden } from '../errors.ts';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, errorSchema } from '../http/api-schemas.ts';
import { registerIdResolver } from '../http/auth-hooks.ts';
import { can } from '../policy/can.ts';
import type { Actor } from '../policy/actor.ts';
import type { Database } from '../db/client.ts';
import { findBulletin, listBulletins } from './bulletin.repository.ts';
import { findUnit } from '../org/units.repository.ts';
import { unitRefOf } from '../../contract/unit-tree.ts';
import { currentCampaign } from '../campaign/campaign.service.ts';
import {
  bulletinListSchema,
  bulletinSchema,
  draftBulletinBodySchema,
  publishBulletinBodySchema,
  updateBulletinBodySchema,
} from '../../contract/bulletins.schema.ts';
import { deleteDraft, draftBulletin, publishBulletin, settingsOf, storedRows, updateDraft, type BulletinRecord } from './bulletin.service.ts';
import { bulletinWorkbook } from './bulletin.export.ts';
import { reportsToProvince } from '../../contract/units.ts';

/** Who reads bulletins: the province (drafts too); prefectures and universities (published ones). */
async function readerKind(db: Database, actor: Actor): Promise<'province' | 'ranked' | null> {
  if (actor.unit.kind === 'province') return 'province';
  if (actor.unit.kind === 'prefecture') return 'ranked';
  if (actor.unit.kind === 'school') {
    const unit = await findUnit(db, actor.unit.code);
    if (reportsToProvince(unit?.schoolType)) return 'ranked';
  }
  return null;
}

declare module '../http/context.ts' {
  interface ScopedResources {
    bulletinId: BulletinRecord;
  }
}

registerIdResolver('bulletinId', async (db, actor, id) => {
  const reader = await readerKind(db, actor);
  if (!reader) return undefined;
  const row = await findBulletin(db, id);
  if (!row || (reader !== 'province' && row.status !== 'published')) return undefined;
  return row;
});

const bulletinIdParams = z.object({ bulletinId: z.coerce.number().int().positive() });

const summary = (row: BulletinRecord) => ({
  id: row.id,
  title: row.title,
  asOf: row.asOf,
  status: row.status,
  computedAt: row.computedAt.toISOString(),
  publishedAt: row.publishedAt?.toISOString() ?? null,
  previousId: row.previousId,
  version: row.version,
});

export async function bulletinRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;

  const provinceOf = async (actor: Actor) => {
    const province = await findUnit(db, actor.unit.path.split('.')[0]);
    if (!province) throw notFound();
    return unitRefOf(province);
  };
  /** Bulletins are the province's own (403 to anyone else, who knows they exist). */
  const assertManager = async (actor: Actor) => {
    if (!can(actor, 'bulletin.manage', await provinceOf(actor))) throw forbidden();
  };
  const requireCampaign = async () => {
    const campaign = await currentCampaign(db);
    if (!campaign) throw notFound({ zh: '尚未创建采集工作', en: 'No campaign has been set up yet' });
    return campaign;
  };
  const present = async (actor: Actor, row: BulletinRecord) => {
    const manage = can(actor, 'bulletin.manage', await provinceOf(actor));
    const previous = row.previousId ? await findBulletin(db, row.previousId) : undefined;
    return {
      ...summary(row),
      ...settingsOf(row),
      remarks: row.remarks,
      previous: previous ? { id: previous.id, title: previous.title, asOf: previous.asOf } : null,
      rows: storedRows(row),
      abilities: { edit: manage && row.status === 'draft', publish: manage && row.status === 'draft', delete: manage && row.status === 'draft' },
    };
  };

  api.get('/api/bulletins', {
    schema: {
      tags: ['bulletins'],
      summary: '通报列表（省级含草稿）/ Bulletins (the province sees drafts too)',
      response: { 200: bulletinListSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const reader = await readerKind(db, actor);
    if (!reader) throw forbidden();
    const campaign = await requireCampaign();
    const rows = await listBulletins(db, campaign.id, reader === 'province');
    return { items: rows.map(summary), abilities: { draft: can(actor, 'bulletin.manage', await provinceOf(actor)) } };
  });

  api.post('/api/bulletins', {
    schema: {
      tags: ['bulletins'],
      summary: '起草通报（按日期计算排名）/ Draft a bulletin for a date',
      body: draftBulletinBodySchema,
      response: { 201: bulletinSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    await assertManager(actor);
    const campaign = await requireCampaign();
    const row = await draftBulletin(db, { ...auditContext(request), actor }, campaign, request.body);
    return reply.code(201).send(await present(actor, row));
  });

  api.get('/api/bulletins/:bulletinId', {
    schema: { tags: ['bulletins'], summary: '通报内容 / A bulletin with its rows', params: bulletinIdParams, response: { 200: bulletinSchema, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request);
    return present(actor, scoped(request, 'bulletinId'));
  });

  api.patch('/api/bulletins/:bulletinId', {
    schema: {
      tags: ['bulletins'],
      summary: '修改草稿（权重、约谈规则、日期、备注）并重新计算 / Change a draft and compute it again',
      params: bulletinIdParams,
      body: updateBulletinBodySchema,
      response: { 200: bulletinSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const actor = requireActor(request);
    await assertManager(actor);
    const campaign = await requireCampaign();
    const row = await updateDraft(db, { ...auditContext(request), actor }, campaign, scoped(request, 'bulletinId'), request.body);
    return present(actor, row);
  });

  api.post('/api/bulletins/:bulletinId/publish', {
    schema: {
      tags: ['bulletins'],
      summary: '发布通报（冻结数据，市州与高校可见）/ Publish: freeze the figures; prefectures and universities see it',
      params: bulletinIdParams,
      body: publishBulletinBodySchema,
      response: { 200: bulletinSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const actor = requireActor(request);
    await assertManager(actor);
    const campaign = await requireCampaign();
    const row = await publishBulletin(db, { ...auditContext(request), actor }, campaign, scoped(request, 'bulletinId'), request.body.version);
    return present(actor, row);
  });

  api.delete('/api/bulletins/:bulletinId', {
    schema: { tags: ['bulletins'], summary: '删除草稿 / Delete a draft', params: bulletinIdParams, response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses, 409: errorSchema } },
  }, async (request) => {
    const actor = requireActor(request);
    await assertManager(actor);
    await deleteDraft(db, { ...auditContext(request), actor }, scoped(request, 'bulletinId'));
    return { ok: true as const };
  });

  api.get('/api/bulletins/:bulletinId/export', {
    schema: { tags: ['bulletins'], summary: '导出通报（.xlsx）/ The bulletin as a workbook', params: bulletinIdParams },
  }, async (request, reply) => {
    requireActor(request);
    const bulletin = scoped(request, 'bulletinId');
    const buffer = await bulletinWorkbook(bulletin);
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${bulletin.title}.xlsx`)}`)
      .send(buffer);
  });
}
