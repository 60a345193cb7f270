import { z } from 'zod';
import campaignData from './data/campaign-2013.json' with { type: 'json' };
import { chinaDay } from './normalize.ts';
import { recordOf } from './record-of.ts';

/**
 * The 2013 Hunan plan (湘教通〔2013〕441号) as data: each level's tasks with month-day due dates.
 * A campaign stores a dated copy of it, so next year's campaign is configured, not coded.
 */
export const planLevels = ['province', 'prefecture', 'county', 'higher_ed', 'school'] as const;
export type PlanLevel = (typeof planLevels)[number];

/**
 * What a task is to the system, whatever its words say: the weekly report (issue 1) and the bulletins read the
 * task of a level by its role, never by its text, which the province may reword. 制定工作实施方案 is the
 * `implementation_plan`; 开展工作部署（会）与业务技术培训 is the `training`.
 */
export const taskRoles = ['implementation_plan', 'training'] as const;
export type TaskRole = (typeof taskRoles)[number];

export type PlanTask = { task: string; due?: string; reportTo?: string; observable?: string; role?: TaskRole };
export type DatedTask = { key: string; task: string; due: string | null; reportTo?: string; observable?: string; role?: TaskRole };
export type CampaignPlan = { source: string; goal: string; levels: Record<PlanLevel, { label: string; tasks: DatedTask[] }> };

const planTaskSchema = z.object({
  task: z.string(),
  due: z.string().optional(),
  reportTo: z.string().optional(),
  observable: z.string().optional(),
  role: z.enum(taskRoles).optional(),
}) satisfies z.ZodType<PlanTask>;

/** The plan file's parts this module reads; checked when the module loads, so a bad edit fails at once. */
const planFileSchema = z.object({
  source: z.string(),
  name: z.string(),
  goal: z.string(),
  year: z.number(),
  levels: z.record(z.enum(planLevels), z.object({ label: z.string(), tasks: z.array(planTaskSchema), appliesTo: z.array(z.string()).optional() })),
});

export const plan2013 = planFileSchema.parse(campaignData);

const dayMs = 86_400_000;
const weekMs = 7 * dayMs;

/** A calendar day held as its UTC midnight, back to YYYY-MM-DD. */
function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Dates the 2013 plan for a campaign started at the instant `today`: every date moves by the same whole number
 * of weeks, so each task keeps its weekday and the weekly report's Fridays stay Fridays. The number of weeks
 * is the one that brings `anchor` (a 2013 month-day; by default 10-23, the schools' entry deadline) to today
 * or one of the six days after it, counting days in China's calendar (UTC+8), so that today lies in the
 * schools' entry week (between 10-17 and 10-23 of 2013) whatever the hour or the weekday.
 */
export function datedPlan(today: Date, anchor = '10-23'): { plan: CampaignPlan; startsOn: string; endsOn: string; year: number } {
  const at = (monthDay: string) => {
    const [month, day] = monthDay.split('-').map(Number);
    return Date.UTC(2013, month - 1, day);
  };
  const todayChina = Date.parse(`${chinaDay(today)}T00:00:00Z`);
  const offset = Math.ceil((todayChina - at(anchor)) / weekMs) * weekMs;
  const shift = (monthDay: string) => isoDate(new Date(at(monthDay) + offset));
  let first = Infinity;
  let last = -Infinity;
  const levels = recordOf(planLevels, (level): CampaignPlan['levels'][PlanLevel] => {
    const data = plan2013.levels[level];
    return {
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
          ...(task.role ? { role: task.role } : {}),
        };
      }),
    };
  });
  return {
    plan: { source: plan2013.source, goal: plan2013.goal, levels },
    startsOn: isoDate(new Date(first + offset)),
    endsOn: isoDate(new Date(last + offset)),
    year: new Date(first + offset).getUTCFullYear(),
  };
}

/**
 * A stored plan with every task's role. Plans dated before tasks carried roles have none: a task's key
 * (`county-3`) is its place in the 2013 plan, and keys never change (the editor rewords and re-dates a task,
 * never re-keys it, and new tasks get new keys), so the role of such a task is the role of the 2013 task at
 * that place. A level that already holds a role keeps it where it is. Pure: the stored plan is not changed.
 */
export function withTaskRoles(plan: CampaignPlan): CampaignPlan {
  let changed = false;
  const levels = { ...plan.levels };
  for (const [level, data] of Object.entries(plan.levels)) {
    // a level the 2013 plan does not have gets no roles; its tasks stay as they are
    if (!isPlanLevel(level)) continue;
    const source = plan2013.levels[level].tasks;
    const held = new Set(data.tasks.map((task) => task.role).filter((role) => role !== undefined));
    const tasks = data.tasks.map((task) => {
      if (task.role) return task;
      const place = /^([a-z_]+)-(\d+)$/.exec(task.key);
      if (!place || place[1] !== level) return task;
      const role = source[Number(place[2]) - 1]?.role;
      if (!role || held.has(role)) return task;
      held.add(role);
      changed = true;
      return { ...task, role };
    });
    levels[level] = { ...data, tasks };
  }
  return changed ? { ...plan, levels } : plan;
}

const planLevelSet: ReadonlySet<string> = new Set(planLevels);

function isPlanLevel(value: string): value is PlanLevel {
  return planLevelSet.has(value);
}

/** The key of a level's task with `role`, or null when the plan has none (the province removed it). */
export function taskKeyByRole(plan: CampaignPlan, level: PlanLevel, role: TaskRole): string | null {
  return withTaskRoles(plan).levels[level]?.tasks.find((task) => task.role === role)?.key ?? null;
}
