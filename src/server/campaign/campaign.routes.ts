import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../errors.ts';
import { requireActor, type AppContext } from '../http/context.ts';
import { errorResponses } from '../http/api-schemas.ts';
import { findUnit } from '../org/units.repository.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import { currentCampaign, planLevelOf, tasksFor } from './campaign.service.ts';

const campaignSchema = z.object({
  id: z.number(),
  name: z.string(),
  year: z.number(),
  startsOn: z.string(),
  endsOn: z.string(),
  level: z.string(),
  levelLabel: z.string(),
  tasks: z.array(
    z.object({ key: z.string(), task: z.string(), due: z.string().nullable(), reportTo: z.string().optional(), observable: z.string().optional() }),
  ),
});

export async function campaignRoutes(app: FastifyInstance, context: AppContext) {
  app.withTypeProvider<ZodTypeProvider>().get('/api/campaigns/current', {
    schema: {
      tags: ['campaign'],
      summary: '当前采集工作及本单位任务 / The running campaign and my unit\'s tasks',
      response: { 200: campaignSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const campaign = await currentCampaign(context.database.db);
    if (!campaign) throw notFound({ zh: '尚未创建采集工作', en: 'No campaign has been set up yet' });
    const unit = await findUnit(context.database.db, actor.unit.code);
    const level = planLevelOf(actor.unit.kind, (unit?.schoolType as SchoolType | null) ?? null);
    const tasks = tasksFor(campaign, level);
    return {
      id: campaign.id,
      name: campaign.name,
      year: campaign.year,
      startsOn: campaign.startsOn,
      endsOn: campaign.endsOn,
      level,
      levelLabel: tasks.label,
      tasks: tasks.tasks,
    };
  });
}
