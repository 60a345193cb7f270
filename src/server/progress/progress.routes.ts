import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, unitCodeParams } from '../http/api-schemas.ts';
import { authorize } from '../policy/can.ts';
import { unitChain } from '../org/units.repository.ts';
import { isWithin, unitRefOf } from '../../contract/unit-tree.ts';
import { requireCampaign } from '../packages/package.service.ts';
import { unitProgress, unitTrend } from './progress.service.ts';
import { completion, funnel, percentages, type Progress } from './progress.ts';
import { progressPageSchema, trendSchema } from '../../contract/progress.schema.ts';

const figures = (progress: Progress) => ({ progress, percentages: percentages(progress), completion: completion(progress) });

export async function progressRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;

  // The trend's past days are stored by the server's housekeeping (start.command.ts) after each midnight;
  // a request finding them missing stores them itself.

  api.get('/api/units/:code/progress', {
    schema: {
      tags: ['progress'],
      summary: '进度：本单位合计、各下级单位（滞后在前）与漏斗；已撤销、已合并的学校不计 / Progress: totals, each child unit (lagging first) and the funnel; closed schools do not count',
      params: unitCodeParams,
      response: { 200: progressPageSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', unitRefOf(unit));
    const campaign = await requireCampaign(db);
    const [progress, chain] = await Promise.all([unitProgress(db, campaign, unit), unitChain(db, unit)]);
    return {
      unit: { code: unit.code, name: unit.name, kind: unit.kind, schoolType: unit.schoolType, closedOn: unit.closedOn },
      chain: chain.map((link) => ({ ...link, reachable: isWithin({ path: unit.path.slice(0, unit.path.indexOf(`${link.code}.`) + link.code.length + 1) }, actor.unit) })),
      totals: figures(progress.totals),
      funnel: funnel(progress.totals.staff),
      children: progress.children.map(({ progress: childProgress, ...child }) => ({ ...child, ...figures(childProgress) })),
      asOf: new Date().toISOString(),
    };
  });

  api.get('/api/units/:code/progress/trend', {
    schema: {
      tags: ['progress'],
      summary: '进度趋势：采集期每天的已录入、已确认、已审核人数 / Progress over the campaign\'s days',
      params: unitCodeParams,
      response: { 200: trendSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', unitRefOf(unit));
    const campaign = await requireCampaign(db);
    const { totals, points } = await unitTrend(db, campaign, unit);
    return { expectedStaff: totals.staff.expected, startsOn: campaign.startsOn, endsOn: campaign.endsOn, days: points };
  });
}
