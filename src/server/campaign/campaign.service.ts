import { datedPlan, plan2013, withTaskRoles, type PlanLevel } from '../../standard/campaign.ts';
import type { Executor } from '../db/client.ts';
import type { UnitKind } from '../../contract/unit-tree.ts';
import { reportsToProvince } from '../../contract/units.ts';
import { findRunningCampaign, insertCampaign, type CampaignRow } from './campaign.repository.ts';

export type { CampaignRow };

/**
 * The campaign now running (at most one runs). Its plan is read with every task's role (a plan stored
 * before tasks carried roles gets them from its keys, see `withTaskRoles`), so every reader finds the tasks
 * it needs by role; the plan editor saves them with its next change.
 */
export async function currentCampaign(executor: Executor): Promise<CampaignRow | undefined> {
  const row = await findRunningCampaign(executor);
  return row && { ...row, plan: withTaskRoles(row.plan) };
}

/**
 * Creates the running campaign from the 2013 plan, dated so that `today` (China's calendar) falls in the schools'
 * entry week (the demo, the seed and the tests). Refused by the database while another campaign runs.
 */
export async function createCampaignFromPlan(executor: Executor, today: Date, name?: string) {
  const dated = datedPlan(today);
  return insertCampaign(executor, { name: name ?? campaignName(dated.year), year: dated.year, startsOn: dated.startsOn, endsOn: dated.endsOn, plan: dated.plan, status: 'running' });
}

/** The default name of a year's campaign: the template's, with the year (2027年全国教职工基础信息采集). */
export function campaignName(year: number): string {
  return plan2013.name.replace(/^\d{4}年/, `${year}年`);
}

/** The plan level whose tasks a unit carries. */
export function planLevelOf(kind: UnitKind, schoolType: string | null): PlanLevel {
  if (kind === 'school') return reportsToProvince(schoolType) ? 'higher_ed' : 'school';
  return kind;
}

export function tasksFor(campaign: CampaignRow, level: PlanLevel) {
  const plan = campaign.plan;
  return plan.levels[level];
}
