import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { CampaignPlan } from '../../standard/campaign.ts';
import type { Executor } from '../db/client.ts';
import type { CampaignStatus } from '../../contract/campaign.schema.ts';
import { campaigns, taskCompletions } from '../db/schema.ts';

export type CampaignRow = typeof campaigns.$inferSelect;
type CampaignValues = typeof campaigns.$inferInsert;

/** The running campaign, as stored (a unique index keeps it to one). */
export async function findRunningCampaign(executor: Executor): Promise<CampaignRow | undefined> {
  const [row] = await executor.select().from(campaigns).where(eq(campaigns.status, 'running')).orderBy(desc(campaigns.id)).limit(1);
  return row;
}

/** Every campaign, newest first. */
export function listCampaigns(executor: Executor): Promise<CampaignRow[]> {
  return executor.select().from(campaigns).orderBy(desc(campaigns.year), desc(campaigns.id));
}

export async function findCampaign(executor: Executor, campaignId: number): Promise<CampaignRow | undefined> {
  const [row] = await executor.select().from(campaigns).where(eq(campaigns.id, campaignId));
  return row;
}

/** A campaign, locked until the transaction ends (a start, a close or a plan edit waits for the one before). */
export async function lockCampaign(executor: Executor, campaignId: number): Promise<CampaignRow | undefined> {
  const [row] = await executor.select().from(campaigns).where(eq(campaigns.id, campaignId)).for('update');
  return row;
}

/**
 * Moves a campaign from `from` to `to`; undefined when it no longer stands at `from`. A second running
 * campaign is refused by the unique index `campaigns_one_running_idx` (SQLSTATE 23505).
 */
export async function setCampaignStatus(executor: Executor, campaignId: number, from: CampaignStatus, to: CampaignStatus): Promise<CampaignRow | undefined> {
  const [row] = await executor
    .update(campaigns)
    .set({ status: to, updatedAt: new Date() })
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.status, from)))
    .returning();
  return row;
}

export async function insertCampaign(executor: Executor, values: CampaignValues): Promise<CampaignRow> {
  const [row] = await executor.insert(campaigns).values(values).returning();
  return row;
}

/** The stored plan and status of a campaign, locked until the transaction ends (the plan editor's guard against a concurrent save or close). */
export async function lockCampaignPlan(executor: Executor, campaignId: number): Promise<{ plan: CampaignPlan; status: CampaignStatus } | undefined> {
  const [row] = await executor.select({ plan: campaigns.plan, status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaignId)).for('update');
  return row;
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
