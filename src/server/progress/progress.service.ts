import { currentCampaign, type CampaignRow } from '../campaign/campaign.service.ts';
import type { Executor } from '../db/client.ts';
import type { UnitRow } from '../org/units.repository.ts';
import { childUnits, fillDays, fillSchoolDays, progressByChild, storedDays } from './progress.repository.ts';
import { addDays, addProgress, campaignDays, chinaDay, completion, emptyProgress, laggingFirst, type Progress } from './progress.ts';

/**
 * A unit's progress now: its own totals and one row per unit reporting to it (every child, with or without
 * activity), lagging first. A school has no children; its records are its drill-down.
 */
export async function unitProgress(executor: Executor, campaign: CampaignRow, unit: UnitRow) {
  const [byChild, children] = await Promise.all([
    progressByChild(executor, campaign.id, unit),
    unit.kind === 'school' ? Promise.resolve([]) : childUnits(executor, unit),
  ]);
  const totals = addProgress(...byChild.values());
  const rows = children.map((child) => ({
    code: child.code,
    name: child.name,
    kind: child.kind,
    schoolType: child.schoolType,
    progress: byChild.get(child.code) ?? emptyProgress(),
  }));
  return { totals, completion: completion(totals), children: laggingFirst(rows) };
}

export type TrendPoint = { day: string; entered: number; confirmed: number; approved: number };

/**
 * 进度趋势: per campaign day, the unit's live, confirmed and approved records at the end of that day; today's
 * point is the figure now, from the live counters. Past days are stored: for all area units at once, and for
 * a school when its trend is first asked for after a day has passed. Also answers the unit's totals now.
 */
export async function unitTrend(executor: Executor, campaign: CampaignRow, unit: UnitRow, now = new Date()) {
  const today = chinaDay(now);
  const days = campaignDays(campaign.startsOn, campaign.endsOn, today);
  const lastStored = lastPastDay(campaign, today);
  const [totals] = await Promise.all([
    progressByChild(executor, campaign.id, unit).then((byChild) => addProgress(...byChild.values())),
    unit.kind === 'school'
      ? fillSchoolDays(executor, campaign.id, unit.code, campaign.startsOn, lastStored)
      : fillDays(executor, campaign.id, campaign.startsOn, lastStored),
  ]);
  const stored = await storedDays(executor, campaign.id, unit.code);
  const points = days.map((day): TrendPoint => {
    if (day === today) return { day, ...staffFigures(totals) };
    return { day, ...(stored.get(day) ?? { entered: 0, confirmed: 0, approved: 0 }) };
  });
  return { totals, points };
}

/** The last campaign day that is over (yesterday in China, or the campaign's end). */
function lastPastDay(campaign: CampaignRow, today: string) {
  const yesterday = addDays(today, -1);
  return yesterday < campaign.endsOn ? yesterday : campaign.endsOn;
}

/** Stores the area units' past days of the running campaign, if a day has passed since they were stored. */
export async function storePastDays(executor: Executor, now = new Date()) {
  const campaign = await currentCampaign(executor);
  if (campaign) await fillDays(executor, campaign.id, campaign.startsOn, lastPastDay(campaign, chinaDay(now)));
}

const staffFigures = (progress: Progress) => ({ entered: progress.staff.entered, confirmed: progress.staff.confirmed, approved: progress.staff.approved });
