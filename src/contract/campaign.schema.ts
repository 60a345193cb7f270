import { z } from 'zod';
import { planLevels, taskRoles, weeklyAddressees, weeklyReportLevels } from '../standard/campaign.ts';
import { schoolTypeSchema } from '../standard/school-types.ts';
import { labelSchema, unitCodeParams } from './api.schema.ts';
import { unitKindSchema } from './auth.schema.ts';

/** The plan's levels, in the order the 2013 plan lists them (a university's tasks are `higher_ed`'s). */
export { planLevels, weeklyAddressees };
export const planLevelSchema = z.enum(planLevels);

/**
 * A campaign's life: 草稿 (draft: made, its plan still being set, nobody works to it), 进行中 (running: the one
 * campaign every unit works to; at most one at a time) and 已结束 (closed: read-only, still readable).
 */
export const campaignStatuses = ['draft', 'running', 'closed'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];
export const campaignStatusSchema = z.enum(campaignStatuses);
export const campaignStatusLabels: Record<CampaignStatus, string> = { draft: '草稿', running: '进行中', closed: '已结束' };

/**
 * Where a plan task stands for one unit: 已完成 (done), 未到期 (open), 即将到期 (due soon), 已逾期 (late), or
 * 日常 (ongoing: a standing duty with no due date, such as answering questions from below).
 */
export const taskStates = ['done', 'open', 'due_soon', 'late', 'ongoing'] as const;
export type TaskState = (typeof taskStates)[number];
export const taskStateSchema = z.enum(taskStates);

/** What a task is to the system (the weekly report reads it by role), kept whatever its words. */
export const taskRoleSchema = z.enum(taskRoles);

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 YYYY-MM-DD / dates are YYYY-MM-DD');

export const planTaskSchema = z.object({
  key: z.string(),
  task: z.string(),
  due: z.string().nullable(),
  reportTo: z.string().optional(),
  observable: z.string().optional(),
  /** What the task is to the system (implementation_plan, training): kept whatever its words. */
  role: taskRoleSchema.optional(),
});

export const weeklyReportLevelSchema = z.enum(weeklyReportLevels);
const hourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式为 HH:MM / times are HH:MM');
/** A level's weekly report: to whom, on which weekday (0 周日 … 5 周五 … 6 周六), by what time (China time). */
export const weeklyRuleSchema = z.object({ to: z.enum(weeklyAddressees), weekday: z.number().int().min(0).max(6), time: hourMinute });
/** The weekly report of a campaign: its four issues (date, what it reports) and each level's rule. */
export const weeklyPlanSchema = z.object({
  issues: z.array(z.object({ date: z.string(), content: z.string() })),
  levels: z.record(weeklyReportLevelSchema, weeklyRuleSchema),
});

/** GET /api/campaigns/current: the running campaign and the tasks of the caller's level. */
export const campaignSchema = z.object({
  id: z.number(),
  name: z.string(),
  year: z.number(),
  startsOn: z.string(),
  endsOn: z.string(),
  level: planLevelSchema,
  levelLabel: z.string(),
  tasks: z.array(planTaskSchema),
  /** Every level's tasks, for the province's plan editor. */
  levels: z.partialRecord(planLevelSchema, z.object({ label: z.string(), tasks: z.array(planTaskSchema) })).optional(),
  /** The weekly report's issues and rules, for the province's plan editor. */
  weekly: weeklyPlanSchema.optional(),
  /** The plan's version, sent back with an edit so that a stale one is refused. */
  planVersion: z.string().optional(),
  status: campaignStatusSchema,
  abilities: z.object({ editPlan: z.boolean() }),
});

const markedBySchema = z.object({ code: z.string(), name: z.string() }).nullable().describe('代为标记: the unit that marked the task on this unit\'s behalf');

/** A plan task as one unit stands with it. */
export const unitTaskSchema = planTaskSchema.extend({
  manual: z.boolean(),
  state: taskStateSchema,
  stateLabel: labelSchema,
  doneOn: z.string().nullable(),
  onTime: z.boolean().nullable(),
  daysLate: z.number(),
  dueThisWeek: z.boolean(),
  note: z.string().nullable(),
  doneByName: z.string().nullable(),
  markedBy: markedBySchema,
  /** The document attached to a manual completion (实施方案、培训通知), if any. */
  file: z.object({ name: z.string(), size: z.number() }).nullable(),
});

/** GET /api/units/{code}/tasks: the unit's tasks; `abilities.complete`: the caller may mark them. */
export const unitTasksSchema = z.object({
  unit: z.object({ code: z.string(), name: z.string(), level: planLevelSchema, levelLabel: z.string() }),
  today: z.string(),
  tasks: z.array(unitTaskSchema),
  abilities: z.object({ complete: z.boolean() }),
});

export const taskKeyParams = unitCodeParams.extend({ taskKey: z.string().regex(/^[a-z_]+-\d{1,3}$/, 'task key such as county-3') });

export const markDoneBodySchema = z.object({ doneOn: isoDay, note: z.string().trim().min(2, '请填写完成情况说明 / describe what was done').max(1000) });
export const markDoneResultSchema = z.object({ taskKey: z.string(), doneOn: z.string(), note: z.string() });
export const undoDoneResultSchema = z.object({ ok: z.literal(true) });

/** A document attached to a task. */
export const taskFileSchema = z.object({ name: z.string(), size: z.number() });

/** GET /api/units/{code}/tasks/overdue-children: 下级逾期. */
export const overdueChildrenSchema = z.object({
  children: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      kind: unitKindSchema,
      tasks: z.array(z.object({ key: z.string(), task: z.string(), due: z.string().nullable(), daysLate: z.number() })),
    }),
  ),
});

/** GET /api/units/{code}/tasks/schools: 学校任务, the tasks the schools reporting here mark by hand. */
export const schoolTasksSchema = z.object({
  today: z.string(),
  tasks: z.array(z.object({ level: planLevelSchema, key: z.string(), task: z.string(), due: z.string().nullable() })),
  schools: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      schoolType: schoolTypeSchema.nullable(),
      level: planLevelSchema,
      tasks: z.array(unitTaskSchema.omit({ dueThisWeek: true })),
      /** 代为标记: the caller may mark this school's tasks on its behalf. */
      canMark: z.boolean(),
    }),
  ),
});

const isoDate = isoDay.refine((value) => !Number.isNaN(Date.parse(value)) && new Date(value).toISOString().startsWith(value), '不是有效日期 / not a real date');

/** The province's edit of the plan: every level's task list (texts, due dates); a task without key is new. */
export const planEditSchema = z.object({
  levels: z.partialRecord(
    planLevelSchema,
    z.object({
      tasks: z
        .array(
          z.object({
            key: z.string().regex(/^[a-z_]+-\d{1,3}$/).optional(),
            task: z.string().trim().min(2, '任务内容至少 2 个字 / at least 2 characters').max(200),
            due: isoDate.nullable(),
          }),
        )
        .max(40),
    }),
  ),
  /** The weekly report: its four issues (date, what each reports) and the rules of the levels given. */
  weekly: z
    .object({
      issues: z
        .array(z.object({ date: isoDate, content: z.string().trim().min(2, '周报内容至少 2 个字 / at least 2 characters').max(200) }))
        .length(4, '周报表共 4 期 / the weekly report has 4 issues')
        .optional(),
      levels: z.partialRecord(weeklyReportLevelSchema, weeklyRuleSchema).optional(),
    })
    .optional(),
  /** The plan's version as the editor read it (GET /api/campaigns/current `planVersion`): a stale edit is refused. */
  version: z.string().max(64).optional(),
});
export const planEditResultSchema = z.object({ changes: z.number(), startsOn: z.string(), endsOn: z.string() });

export const campaignIdParams = z.object({ campaignId: z.coerce.number().int().positive().max(2_147_483_647) });

/**
 * POST /api/campaigns: a draft campaign from the plan template, dated by its start (`startsOn`: every date moves
 * by whole weeks so weekdays stay, the first task on that day or within the six after it) or by hand (`dates`:
 * each dated task's day by key, `weeklyDates` the four issues' days).
 */
export const campaignCreateSchema = z.union([
  z.object({
    year: z.number().int().min(2000).max(2100),
    name: z.string().trim().min(2).max(100).optional(),
    startsOn: isoDate,
  }),
  z.object({
    year: z.number().int().min(2000).max(2100),
    name: z.string().trim().min(2).max(100).optional(),
    dates: z.record(z.string().regex(/^[a-z_]+-\d{1,3}$/, 'task key such as county-3'), isoDate),
    weeklyDates: z.array(isoDate).max(10),
  }),
]);

/** A campaign as the list shows it, with what the caller may do to it. */
export const campaignSummarySchema = z.object({
  id: z.number(),
  name: z.string(),
  year: z.number(),
  status: campaignStatusSchema,
  statusLabel: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  createdAt: z.string(),
  abilities: z.object({ start: z.boolean(), close: z.boolean(), editPlan: z.boolean() }),
});
/** GET /api/campaigns: every campaign, newest first. */
export const campaignListSchema = z.object({ campaigns: z.array(campaignSummarySchema), abilities: z.object({ create: z.boolean() }) });

/** GET /api/campaigns/{campaignId}: one campaign with its whole plan. */
export const campaignDetailSchema = campaignSummarySchema.extend({
  levels: z.record(planLevelSchema, z.object({ label: z.string(), tasks: z.array(planTaskSchema) })),
  weekly: weeklyPlanSchema,
  planVersion: z.string(),
});

export type TaskRole = z.infer<typeof taskRoleSchema>;
export type CampaignTask = z.infer<typeof planTaskSchema>;
export type Campaign = z.infer<typeof campaignSchema>;
export type UnitTask = z.infer<typeof unitTaskSchema>;
export type UnitTasks = z.infer<typeof unitTasksSchema>;
export type MarkDoneBody = z.infer<typeof markDoneBodySchema>;
export type MarkDoneResult = z.infer<typeof markDoneResultSchema>;
export type UndoDoneResult = z.infer<typeof undoDoneResultSchema>;
export type TaskFile = z.infer<typeof taskFileSchema>;
export type OverdueChild = z.infer<typeof overdueChildrenSchema>['children'][number];
export type SchoolTasks = z.infer<typeof schoolTasksSchema>;
export type PlanEdit = z.infer<typeof planEditSchema>;
export type PlanEditResult = z.infer<typeof planEditResultSchema>;
export type CampaignCreate = z.infer<typeof campaignCreateSchema>;
export type CampaignSummary = z.infer<typeof campaignSummarySchema>;
export type CampaignList = z.infer<typeof campaignListSchema>;
export type CampaignDetail = z.infer<typeof campaignDetailSchema>;
export type WeeklyPlan = z.infer<typeof weeklyPlanSchema>;
