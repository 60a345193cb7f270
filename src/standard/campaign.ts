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

/** The levels that file the weekly report (周报表, attachment 3), each to the level above. */
export const weeklyReportLevels = ['province', 'prefecture', 'county'] as const;
export type WeeklyReportLevel = (typeof weeklyReportLevels)[number];
/** Whom a level's weekly report goes to (the template: county → prefecture → province → ministry). */
export const weeklyAddressees = ['ministry', 'province', 'prefecture'] as const;
export type WeeklyAddressee = (typeof weeklyAddressees)[number];

export type PlanTask = { task: string; due?: string; reportTo?: string; observable?: string; role?: TaskRole };
export type DatedTask = { key: string; task: string; due: string | null; reportTo?: string; observable?: string; role?: TaskRole };
/** A level's weekly report: to whom (`to`), on which weekday (0 Sunday … 5 Friday) and by what time (HH:MM, China time). */
export type WeeklyRule = { to: WeeklyAddressee; weekday: number; time: string };
/** One issue of the weekly report: its date in the campaign and what it reports. */
export type WeeklyIssuePlan = { date: string; content: string };
/** The weekly report of a campaign: its issues in order (issue 1 first) and each level's rule. */
export type WeeklyPlan = { issues: WeeklyIssuePlan[]; levels: Record<WeeklyReportLevel, WeeklyRule> };
/**
 * A campaign's plan. `weekly` is stored by campaigns made since the weekly report became part of the plan; an
 * older plan has none and reads the template's, shifted as its tasks were (`weeklyPlanOf`).
 */
export type CampaignPlan = { source: string; goal: string; levels: Record<PlanLevel, { label: string; tasks: DatedTask[] }>; weekly?: WeeklyPlan };

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
  levels: z.record(
    z.enum(planLevels),
    z.object({
      label: z.string(),
      tasks: z.array(planTaskSchema),
      appliesTo: z.array(z.string()).optional(),
      weeklyReport: z.object({ to: z.enum(weeklyAddressees), weekday: z.number(), time: z.string() }).optional(),
    }),
  ),
  weeklyReportForm: z.object({ issues: z.array(z.object({ issue: z.number(), date: z.string(), content: z.string() })) }),
});

export const plan2013 = planFileSchema.parse(campaignData);

/** The template's weekly rule of each level that files the report; a level without one fails at load. */
const templateWeeklyRules = recordOf(weeklyReportLevels, (level): WeeklyRule => {
  const rule = plan2013.levels[level].weeklyReport;
  if (!rule) throw new Error(`campaign-2013.json: level ${level} has no weeklyReport`);
  return rule;
});

const dayMs = 86_400_000;
const weekMs = 7 * dayMs;

/** A calendar day held as its UTC midnight, back to YYYY-MM-DD. */
function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A 2013 month-day as the UTC midnight of that day. */
function at2013(monthDay: string): number {
  const [month, day] = monthDay.split('-').map(Number);
  return Date.UTC(2013, month - 1, day);
}

/** The 2013 plan with every date (tasks and weekly issues) moved by `offset` milliseconds (whole days). */
/** A plan dated for a campaign, with its first and last due date and the year it starts in. */
export type DatedPlan = { plan: CampaignPlan & { weekly: WeeklyPlan }; startsOn: string; endsOn: string; year: number };

function shiftedPlan(offset: number): DatedPlan {
  const shift = (monthDay: string) => isoDate(new Date(at2013(monthDay) + offset));
  let first = Infinity;
  let last = -Infinity;
  const levels = recordOf(planLevels, (level): CampaignPlan['levels'][PlanLevel] => {
    const data = plan2013.levels[level];
    return {
      label: data.label,
      tasks: data.tasks.map((task, index) => {
        if (task.due) {
          first = Math.min(first, at2013(task.due));
          last = Math.max(last, at2013(task.due));
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
  const weekly: WeeklyPlan = {
    issues: plan2013.weeklyReportForm.issues.map((issue) => ({ date: shift(issue.date), content: issue.content })),
    levels: { ...templateWeeklyRules },
  };
  return {
    plan: { source: plan2013.source, goal: plan2013.goal, levels, weekly },
    startsOn: isoDate(new Date(first + offset)),
    endsOn: isoDate(new Date(last + offset)),
    year: new Date(first + offset).getUTCFullYear(),
  };
}

/**
 * Dates the 2013 plan for a campaign started at the instant `today`: every date moves by the same whole number
 * of weeks, so each task keeps its weekday and the weekly report's Fridays stay Fridays. The number of weeks
 * is the one that brings `anchor` (a 2013 month-day; by default 10-23, the schools' entry deadline) to today
 * or one of the six days after it, counting days in China's calendar (UTC+8), so that today lies in the
 * schools' entry week (between 10-17 and 10-23 of 2013) whatever the hour or the weekday.
 */
export function datedPlan(today: Date, anchor = '10-23'): DatedPlan {
  const todayChina = Date.parse(`${chinaDay(today)}T00:00:00Z`);
  return shiftedPlan(Math.ceil((todayChina - at2013(anchor)) / weekMs) * weekMs);
}

/** The template's first due date (2013-09-27, a Friday), as a month-day. */
const templateFirstDue = planLevels
  .flatMap((level) => plan2013.levels[level].tasks)
  .map((task) => task.due)
  .filter((due): due is string => due !== undefined)
  .sort()[0];

/**
 * Dates the 2013 plan for a campaign starting on `startsOn` (YYYY-MM-DD): every date moves by the same whole
 * number of weeks, so each keeps its weekday; the plan's first task falls on `startsOn` or one of the six days
 * after it.
 */
export function planStartingOn(startsOn: string): DatedPlan {
  return shiftedPlan(Math.ceil((Date.parse(`${startsOn}T00:00:00Z`) - at2013(templateFirstDue)) / weekMs) * weekMs);
}

/**
 * The 2013 plan dated by hand: `dates` gives each dated task's day by key (`county-3`), `weeklyDates` each
 * weekly issue's day in order. A task or issue left out keeps no date (a task) or is reported by
 * `handDatingProblems`; this only builds.
 */
export function planDatedByHand(dates: Record<string, string>, weeklyDates: string[]): CampaignPlan {
  const { plan } = shiftedPlan(0);
  const levels = recordOf(planLevels, (level) => ({
    ...plan.levels[level],
    tasks: plan.levels[level].tasks.map((task) => ({ ...task, due: task.due === null ? null : (dates[task.key] ?? null) })),
  }));
  const weekly = plan.weekly;
  return { ...plan, levels, weekly: { ...weekly, issues: weekly.issues.map((issue, index) => ({ ...issue, date: weeklyDates[index] ?? issue.date })) } };
}

/** What a hand dating leaves out or names wrongly: every dated task of the template needs a day, and no other key. */
export function handDatingProblems(dates: Record<string, string>, weeklyDates: string[]): string[] {
  const { plan } = shiftedPlan(0);
  const problems: string[] = [];
  const dated = new Set<string>();
  for (const level of planLevels) {
    for (const task of plan.levels[level].tasks) {
      if (task.due === null) continue;
      dated.add(task.key);
      if (!dates[task.key]) problems.push(`${plan.levels[level].label}「${task.task}」（${task.key}）缺少截止日期`);
    }
  }
  for (const key of Object.keys(dates)) {
    if (!dated.has(key)) problems.push(`任务 ${key} 不是模板中有截止日期的任务`);
  }
  const issues = plan2013.weeklyReportForm.issues.length;
  if (weeklyDates.length !== issues) problems.push(`周报表须给出 ${issues} 期的日期，收到 ${weeklyDates.length} 个`);
  return problems;
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

/**
 * How many days a plan is shifted from the 2013 plan: the shift most of its tasks carry (`datedPlan` moves
 * every date by the same number of days; a task moved by hand later does not move the weekly report).
 */
export function planOffsetDays(plan: CampaignPlan): number {
  const votes = new Map<number, number>();
  for (const level of planLevels) {
    for (const [index, task] of plan2013.levels[level].tasks.entries()) {
      const dated = plan.levels[level]?.tasks[index]?.due;
      if (!task.due || !dated) continue;
      const offset = Math.round((Date.parse(dated) - at2013(task.due)) / dayMs);
      votes.set(offset, (votes.get(offset) ?? 0) + 1);
    }
  }
  let best = 0;
  let most = 0;
  for (const [offset, count] of votes) {
    if (count > most) [best, most] = [offset, count];
  }
  return best;
}

/**
 * The weekly report of a plan: the one it stores, or for a plan stored before the weekly report was part of
 * it, the template's issues shifted as the plan's tasks were (`planOffsetDays`) with the template's rules.
 */
export function weeklyPlanOf(plan: CampaignPlan): WeeklyPlan {
  if (plan.weekly) return plan.weekly;
  return shiftedPlan(planOffsetDays(plan) * dayMs).plan.weekly;
}

/** The order of the data's steps within a level: entry, confirmation, the school's check, the area's review, the submission. */
const stepRank: Record<string, number> = { entered: 1, confirmed: 2, reviewed: 3, review: 3, submit: 4 };
/** The days between two weekly issues at least: each lands in a week of its own. */
export const weeklyIssueGapDays = 7;

/**
 * Where a plan's dates are out of order, each problem naming the date: within a level, the data's steps in
 * their order (entry before confirmation before review before submission) and every dated task on or before
 * the level's submission; a level's submission on or before the review of the level it reports to; and the
 * weekly report's issues in order, each at least a week after the one before.
 */
export function planDateProblems(plan: CampaignPlan): string[] {
  const problems: string[] = [];
  const submitOf = new Map<string, DatedTask>();
  const reviewOf = new Map<string, DatedTask>();
  for (const level of planLevels) {
    const { label, tasks } = plan.levels[level];
    const steps = tasks.filter((task) => task.due !== null && task.observable !== undefined && stepRank[task.observable] !== undefined);
    for (const later of steps) {
      for (const earlier of steps) {
        const [a, b] = [stepRank[earlier.observable ?? ''], stepRank[later.observable ?? '']];
        if (a < b && earlier.due !== null && later.due !== null && later.due < earlier.due) {
          problems.push(`${label}「${later.task}」的截止日期 ${later.due} 早于「${earlier.task}」的 ${earlier.due}`);
        }
      }
    }
    const submit = steps.find((task) => task.observable === 'submit');
    const review = steps.find((task) => task.observable === 'review');
    if (submit) submitOf.set(level, submit);
    if (review) reviewOf.set(level, review);
    for (const task of tasks) {
      if (submit?.due && task.due && task.observable === undefined && task.due > submit.due) {
        problems.push(`${label}「${task.task}」的截止日期 ${task.due} 晚于本级「${submit.task}」的 ${submit.due}`);
      }
    }
  }
  for (const level of planLevels) {
    const submit = submitOf.get(level);
    const review = submit?.reportTo ? reviewOf.get(submit.reportTo) : undefined;
    if (submit?.due && review?.due && submit.reportTo && isPlanLevel(submit.reportTo) && review.due < submit.due) {
      problems.push(`${plan.levels[level].label}「${submit.task}」的截止日期 ${submit.due} 晚于${plan.levels[submit.reportTo].label}「${review.task}」的 ${review.due}`);
    }
  }
  return [...problems, ...weeklyDateProblems(weeklyPlanOf(plan))];
}

/** The weekly issues in order, each at least a week after the one before. */
export function weeklyDateProblems(weekly: WeeklyPlan): string[] {
  const problems: string[] = [];
  weekly.issues.forEach((issue, index) => {
    const before = weekly.issues[index - 1];
    if (!before) return;
    const gap = Math.round((Date.parse(issue.date) - Date.parse(before.date)) / dayMs);
    if (gap < weeklyIssueGapDays) {
      problems.push(`周报表第 ${index + 1} 期的日期 ${issue.date} 须比第 ${index} 期（${before.date}）晚至少 ${weeklyIssueGapDays} 天`);
    }
  });
  return problems;
}
