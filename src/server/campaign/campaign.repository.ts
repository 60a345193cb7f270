import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { CampaignPlan } from '../../standard/campaign.ts';
import type { Executor } from '../db/client.ts';
import { campaigns, taskCompletions } from '../db/schema.ts';

export type CampaignRow = typeof campaigns.$inferSelect;
type CampaignValues = typeof campaigns.$inferInsert;

/** The newest active campaign, as stored. */
export async function findActiveCampaign(executor: Executor): Promise<CampaignRow | undefined> {
  const [row] = await executor.select().from(campaigns).where(eq(campaigns.active, true)).orderBy(desc(campaigns.id)).limit(1);
  return row;
}

export async function insertCampaign(executor: Executor, values: CampaignValues): Promise<CampaignRow> {
  const [row] = await executor.insert(campaigns).values(values).returning();
  return row;
}

/** The stored plan of a campaign, locked until the transaction ends (the plan editor's guard against a concurrent save). */
export async function lockCampaignPlan(executor: Executor, campaignId: number): Promise<CampaignPlan | undefined> {
  const [row] = await executor.select({ plan: campaigns.plan }).from(campaigns).where(eq(campaigns.id, campaignId)).for('update');
  return row?.plan;
}

/** Saves a campaign's plan with the first and last day its tasks span. */
export async function updateCampaignPlan(executor: Executor, campaignId: number, values: { plan: CampaignPlan; startsOn: string; endsOn: string }): Promise<CampaignRow> {
  const [row] = await executor
    .update(campaigns)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(campaigns.id, campaignId))
    .returning();
  return row;
}

/** How many units marked each of `taskKeys` done in a campaign (only the keys someone marked). */
export function completionCounts(executor: Executor, campaignId: number, taskKeys: string[]) {
  return executor
    .select({ taskKey: taskCompletions.taskKey, units: sql<number>`count(*)`.mapWith(Number) })
    .from(taskCompletions)
    .where(and(eq(taskCompletions.campaignId, campaignId), inArray(taskCompletions.taskKey, taskKeys)))
    .groupBy(taskCompletions.taskKey);
}
