import campaignData from './data/campaign-2013.json' with { type: 'json' };

/**
 * The 2013 Hunan plan (湘教通〔2013〕441号) as data: each level's tasks with month-day due dates.
 * A campaign stores a dated copy of it, so next year's campaign is configured, not coded.
 */
export type PlanLevel = 'province' | 'prefecture' | 'county' | 'higher_ed' | 'school';
export type PlanTask = { task: string; due?: string; reportTo?: string; observable?: string };
export type DatedTask = { key: string; task: string; due: string | null; reportTo?: string; observable?: string };
export type CampaignPlan = { source: string; goal: string; levels: Record<PlanLevel, { label: string; tasks: DatedTask[] }> };

export const plan2013 = campaignData as unknown as {
  source: string;
  name: string;
  goal: string;
  year: number;
  levels: Record<PlanLevel, { label: string; tasks: PlanTask[]; appliesTo?: string[] }>;
};


function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Dates the 2013 plan so that `anchor` (a 2013 month-day) falls on `today`: every due date moves by the
 * same number of days, keeping the plan's order and spacing.
 */
export function datedPlan(today: Date, anchor = '10-21'): { plan: CampaignPlan; startsOn: string; endsOn: string; year: number } {
  const at = (monthDay: string) => {
    const [month, day] = monthDay.split('-').map(Number);
    return Date.UTC(2013, month - 1, day);
  };
  const todayUtc = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const offset = todayUtc - at(anchor);
  const shift = (monthDay: string) => isoDate(new Date(at(monthDay) + offset));
  const levels = {} as CampaignPlan['levels'];
  let first = Infinity;
  let last = -Infinity;
  for (const [level, data] of Object.entries(plan2013.levels) as [PlanLevel, (typeof plan2013.levels)[PlanLevel]][]) {
    levels[level] = {
      label: data.label,
      tasks: data.tasks.map((task, index) => {
        if (task.due) {
          first = Math.min(first, at(task.due));
          last = Math.max(last, at(task.due));
        }
        return {
          key: `${level}-${index + 1}`,
          task: task.task,
          due: task.due ? shift(task.due) : null,
          ...(task.reportTo ? { reportTo: task.reportTo } : {}),
          ...(task.observable ? { observable: task.observable } : {}),
        };
      }),
    };
  }
  return {
    plan: { source: plan2013.source, goal: plan2013.goal, levels },
    startsOn: isoDate(new Date(first + offset)),
    endsOn: isoDate(new Date(last + offset)),
    year: new Date(first + offset).getUTCFullYear(),
  };
}
