import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  campaignCreateSchema,
  campaignDetailSchema,
  campaignIdParams,
  campaignListSchema,
  campaignStatusLabels,
  campaignSummarySchema,
  planEditResultSchema,
  planEditSchema,
  type CampaignDetail,
  type CampaignSummary,
} from '../../contract/campaign.schema.ts';
import { unitRefOf } from '../../contract/unit-tree.ts';
import { weeklyPlanOf, withTaskRoles } from '../../standard/campaign.ts';
import type { Database } from '../db/client.ts';
import { forbidden } from '../errors.ts';
import { registerIdResolver } from '../http/auth-hooks.ts';
import { errorResponses, errorSchema } from '../http/api-schemas.ts';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { findUnit } from '../org/units.repository.ts';
import type { Actor } from '../policy/actor.ts';
import { can } from '../policy/can.ts';
import type { CampaignRow } from './campaign.service.ts';
import { campaignById, campaignList, closeCampaign, createCampaign, startCampaign } from './campaigns.service.ts';
import { planVersion, updatePlan } from './plan.service.ts';

declare module '../http/context.ts' {
  interface ScopedResources {
    campaignId: CampaignRow;
  }
}

// Campaigns are the province's, read by every unit: any signed-in caller sees every campaign.
registerIdResolver('campaignId', (db, _actor, id) => campaignById(db, id), 2_147_483_647);

/** Whether the caller is the province's admin, who makes, starts and closes campaigns and edits their plans. */
async function isPlanEditor(db: Database, actor: Actor): Promise<boolean> {
  const province = await findUnit(db, actor.unit.path.split('.')[0]);
  return province !== undefined && can(actor, 'campaign.plan', unitRefOf(province));
}

async function requirePlanEditor(db: Database, actor: Actor) {
  // Every unit reads the campaigns; only the province's admin changes them (403, not 404).
  if (!(await isPlanEditor(db, actor))) throw forbidden();
}

function summaryOf(row: CampaignRow, editor: boolean): CampaignSummary {
  return {
    id: row.id,
    name: row.name,
    year: row.year,
    status: row.status,
    statusLabel: campaignStatusLabels[row.status],
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    createdAt: row.createdAt.toISOString(),
    abilities: { start: editor && row.status === 'draft', close: editor && row.status === 'running', editPlan: editor && row.status !== 'closed' },
  };
}

function detailOf(row: CampaignRow, editor: boolean): CampaignDetail {
  const plan = withTaskRoles(row.plan);
  return { ...summaryOf(row, editor), levels: plan.levels, weekly: weeklyPlanOf(plan), planVersion: planVersion(plan) };
}

export async function campaignsRoutes(app: FastifyInstance, context: AppContext) {
  const db = context.database.db;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/campaigns', {
    schema: {
      tags: ['campaign'],
      summary: '全部采集工作（草稿、进行中、已结束）/ Every campaign: drafts, the running one and closed ones',
      response: { 200: campaignListSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const editor = await isPlanEditor(db, actor);
    const rows = await campaignList(db);
    return { campaigns: rows.map((row) => summaryOf(row, editor)), abilities: { create: editor } };
  });

  api.post('/api/campaigns', {
    schema: {
      tags: ['campaign'],
      summary: '省级按工作安排模板创建采集工作（草稿）：给开始日期整周平移，或逐项给出日期 / The province makes a draft campaign from the plan template, by its start date or every date by hand',
      body: campaignCreateSchema,
      response: { 201: campaignDetailSchema, ...errorResponses, 422: errorSchema },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    await requirePlanEditor(db, actor);
    const row = await createCampaign(db, auditContext(request), request.body);
    return reply.code(201).send(detailOf(row, true));
  });

  api.get('/api/campaigns/:campaignId', {
    schema: {
      tags: ['campaign'],
      summary: '一项采集工作及其完整工作安排（含周报表）/ One campaign with its whole plan and weekly report',
      params: campaignIdParams,
      response: { 200: campaignDetailSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const row = scoped(request, 'campaignId');
    return detailOf(row, await isPlanEditor(db, actor));
  });

  api.post('/api/campaigns/:campaignId/start', {
    schema: {
      tags: ['campaign'],
      summary: '开始采集工作（草稿 → 进行中；同时只能有一项进行中）/ Start a draft campaign; one runs at a time',
      params: campaignIdParams,
      response: { 200: campaignSummarySchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const row = scoped(request, 'campaignId');
    await requirePlanEditor(db, actor);
    return summaryOf(await startCampaign(db, auditContext(request), row.id), true);
  });

  api.post('/api/campaigns/:campaignId/close', {
    schema: {
      tags: ['campaign'],
      summary: '结束采集工作（进行中 → 已结束；之后只读）/ Close the running campaign; it is read-only from then on',
      params: campaignIdParams,
      response: { 200: campaignSummarySchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const row = scoped(request, 'campaignId');
    await requirePlanEditor(db, actor);
    return summaryOf(await closeCampaign(db, auditContext(request), row.id), true);
  });

  api.put('/api/campaigns/:campaignId/plan', {
    schema: {
      tags: ['campaign'],
      summary: '省级编辑草稿或进行中采集工作的工作安排与周报表 / The province edits the plan and weekly report of a draft or running campaign',
      params: campaignIdParams,
      body: planEditSchema,
      response: { 200: planEditResultSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const row = scoped(request, 'campaignId');
    await requirePlanEditor(db, actor);
    const result = await updatePlan(db, { ...auditContext(request), actor }, row, request.body);
    return { changes: result.changes, startsOn: result.campaign.startsOn, endsOn: result.campaign.endsOn };
  });
}
