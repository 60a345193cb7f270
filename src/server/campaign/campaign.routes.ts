import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { forbidden, notFound } from '../errors.ts';
import {
  campaignSchema,
  markDoneBodySchema,
  markDoneResultSchema,
  overdueChildrenSchema,
  planEditResultSchema,
  planEditSchema,
  schoolTasksSchema,
  taskFileSchema,
  taskKeyParams,
  undoDoneResultSchema,
  unitTasksSchema,
  type Campaign,
} from '../../contract/campaign.schema.ts';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, errorSchema, unitCodeParams } from '../http/api-schemas.ts';
import { findUnit } from '../org/units.repository.ts';
import { unitRefOf } from '../../contract/unit-tree.ts';
import type { Database } from '../db/client.ts';
import { authorize, can } from '../policy/can.ts';
import { currentCampaign, planLevelOf, tasksFor } from './campaign.service.ts';
import { attachTaskFile, levelOfUnit, markTaskDone, overdueChildren, schoolTasks, taskFile, tasksOfUnit, taskUnitRef, undoTaskDone } from './tasks.service.ts';
import { planVersion, updatePlan } from './plan.service.ts';
import { readUpload, sendDownload } from '../files/transfer.ts';
import { chinaDate, dueThisWeek, taskStateLabels } from './tasks.ts';
import { weeklyPlanOf } from '../../standard/campaign.ts';

async function requireCurrentCampaign(db: Database) {
  const campaign = await currentCampaign(db);
  if (!campaign) throw notFound({ zh: '尚未创建采集工作', en: 'No campaign has been set up yet' });
  return campaign;
}

export async function campaignRoutes(app: FastifyInstance, context: AppContext) {
  const db = context.database.db;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/units/:code/tasks', {
    schema: {
      tags: ['campaign'],
      summary: '本单位的工作任务及完成情况 / The unit\'s plan tasks and where each stands',
      params: unitCodeParams,
      response: { 200: unitTasksSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', unitRefOf(unit));
    const campaign = await requireCurrentCampaign(db);
    const now = new Date();
    const level = levelOfUnit(unit);
    const tasks = await tasksOfUnit(db, campaign, unit, now);
    return {
      unit: { code: unit.code, name: unit.name, level, levelLabel: tasksFor(campaign, level)?.label ?? level },
      today: chinaDate(now),
      tasks: tasks.map((task) => ({ ...task, stateLabel: taskStateLabels[task.state], dueThisWeek: dueThisWeek(task, task.state, now) })),
      abilities: { complete: can(actor, 'task.complete', await taskUnitRef(db, unit)) },
    };
  });

  api.post('/api/units/:code/tasks/:taskKey/done', {
    schema: {
      tags: ['campaign'],
      summary: '标记任务完成（日期与说明）/ Mark a manual task done with its date and a note',
      params: taskKeyParams,
      body: markDoneBodySchema,
      response: { 200: markDoneResultSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'task.complete', await taskUnitRef(db, unit));
    const campaign = await requireCurrentCampaign(db);
    const row = await markTaskDone(db, { ...auditContext(request), actor }, campaign, unit, request.params.taskKey, request.body);
    return { taskKey: row.taskKey, doneOn: row.doneOn, note: row.note };
  });

  api.delete('/api/units/:code/tasks/:taskKey/done', {
    schema: {
      tags: ['campaign'],
      summary: '撤销任务完成标记 / Undo a manual completion',
      params: taskKeyParams,
      response: { 200: undoDoneResultSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'task.complete', await taskUnitRef(db, unit));
    const campaign = await requireCurrentCampaign(db);
    await undoTaskDone(db, { ...auditContext(request), actor }, campaign, unit, request.params.taskKey);
    return { ok: true as const };
  });

  api.post('/api/units/:code/tasks/:taskKey/file', {
    schema: {
      tags: ['campaign'],
      summary: '为已完成的任务上传附件（如实施方案）/ Attach a document to a task marked done',
      params: taskKeyParams,
      consumes: ['multipart/form-data'],
      response: { 200: taskFileSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'task.complete', await taskUnitRef(db, unit));
    const campaign = await requireCurrentCampaign(db);
    const file = await readUpload(request);
    return attachTaskFile(db, { ...auditContext(request), actor }, campaign, unit, request.params.taskKey, file);
  });

  api.get('/api/units/:code/tasks/:taskKey/file', {
    schema: { tags: ['campaign'], summary: '下载任务附件 / The document attached to a task', params: taskKeyParams },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', unitRefOf(unit));
    const campaign = await requireCurrentCampaign(db);
    return sendDownload(reply, await taskFile(db, campaign, unit, request.params.taskKey));
  });

  api.get('/api/units/:code/tasks/overdue-children', {
    schema: {
      tags: ['campaign'],
      summary: '下级逾期：报送下级的逾期任务 / Late tasks of the units reporting here',
      params: unitCodeParams,
      response: { 200: overdueChildrenSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', unitRefOf(unit));
    const campaign = await requireCurrentCampaign(db);
    const children = await overdueChildren(db, campaign, unit.code);
    return {
      children: children.map((child) => ({
        code: child.code,
        name: child.name,
        kind: child.kind,
        tasks: child.tasks.map(({ key, task, due, daysLate }) => ({ key, task, due, daysLate })),
      })),
    };
  });

  api.get('/api/units/:code/tasks/schools', {
    schema: {
      tags: ['campaign'],
      summary: '学校任务：报送本单位的学校手动标记的任务及完成情况 / The tasks the schools reporting here mark by hand, school by school',
      params: unitCodeParams,
      response: { 200: schoolTasksSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', unitRefOf(unit));
    const campaign = await requireCurrentCampaign(db);
    const now = new Date();
    const result = await schoolTasks(db, campaign, unit.code, now);
    return {
      today: chinaDate(now),
      tasks: result.tasks,
      schools: result.schools.map((school) => ({
        code: school.code,
        name: school.name,
        schoolType: school.schoolType,
        level: school.level,
        tasks: school.tasks.map((task) => ({ ...task, stateLabel: taskStateLabels[task.state] })),
        // The caller is not the school here, so whether the school has an admin of its own does not matter.
        canMark: can(actor, 'task.complete', { unit: { code: school.code, kind: 'school', path: school.path }, reportsTo: unit.code, hasAdmin: true }),
      })),
    };
  });

  api.put('/api/campaigns/current/plan', {
    schema: {
      tags: ['campaign'],
      summary: '省级编辑工作安排（任务内容与截止日期）/ The province edits the plan\'s tasks and due dates',
      body: planEditSchema,
      response: { 200: planEditResultSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const province = await findUnit(db, actor.unit.path.split('.')[0]);
    if (!province) throw notFound();
    // Every unit sees the plan it works to; only the province's admin changes it (403, not 404).
    if (!can(actor, 'campaign.plan', unitRefOf(province))) throw forbidden();
    const campaign = await requireCurrentCampaign(db);
    const result = await updatePlan(db, { ...auditContext(request), actor }, campaign, request.body);
    return { changes: result.changes, startsOn: result.campaign.startsOn, endsOn: result.campaign.endsOn };
  });

  api.get('/api/campaigns/current', {
    schema: {
      tags: ['campaign'],
      summary: '当前采集工作及本单位任务 / The running campaign and my unit\'s tasks',
      response: { 200: campaignSchema, ...errorResponses },
    },
  }, async (request): Promise<Campaign> => {
    const actor = requireActor(request);
    const campaign = await requireCurrentCampaign(db);
    const unit = await findUnit(db, actor.unit.code);
    const level = planLevelOf(actor.unit.kind, unit?.schoolType ?? null);
    const tasks = tasksFor(campaign, level);
    const province = await findUnit(db, actor.unit.path.split('.')[0]);
    const editPlan = province !== undefined && can(actor, 'campaign.plan', unitRefOf(province));
    return {
      id: campaign.id,
      name: campaign.name,
      year: campaign.year,
      startsOn: campaign.startsOn,
      endsOn: campaign.endsOn,
      level,
      levelLabel: tasks.label,
      tasks: tasks.tasks,
      ...(editPlan ? { levels: campaign.plan.levels, weekly: weeklyPlanOf(campaign.plan), planVersion: planVersion(campaign.plan) } : {}),
      status: campaign.status,
      abilities: { editPlan },
    };
  });
}
