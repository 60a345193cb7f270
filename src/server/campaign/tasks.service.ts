import { withTaskRoles, type CampaignPlan, type DatedTask, type PlanLevel } from '../../standard/campaign.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import type { Database, Executor } from '../db/client.ts';
import { readStoredFile, storeFile } from '../files/stored-files.ts';
import { checkUpload } from '../files/uploads.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import { DomainError, notFound } from '../errors.ts';
import type { UnitKind } from '../../contract/unit-tree.ts';
import { unitKinds } from '../../contract/units.ts';
import type { Actor } from '../policy/actor.ts';
import type { TaskUnitRef } from '../policy/can.ts';
import { planLevelOf, type CampaignRow } from './campaign.service.ts';
import { loadTaskFacts, observeTask, observedKinds, type TaskFacts } from './task-observer.ts';
import { addDays, chinaDate, daysLate, doneOnTime, isManual, taskState, type TaskState } from './tasks.ts';
import {
  childUnits,
  deleteCompletion,
  findCompletion,
  hasActiveAdmin,
  insertCompletion,
  loadCompletions,
  openChildSchools,
  setCompletionFile,
  type Completion,
} from './tasks.repository.ts';

type ActorContext = AuditContext & { actor: Actor };
type TaskUnit = { code: string; name: string; kind: UnitKind; schoolType: SchoolType | null };

/** A plan task as one unit stands with it. */
export type UnitTask = DatedTask & {
  manual: boolean;
  state: TaskState;
  doneOn: string | null;
  /**
   * Done by the due date: a task marked by hand by the day it was marked in China (not the day typed, which
   * may be earlier), an observed one by the day the data show.
   */
  onTime: boolean | null;
  daysLate: number;
  note: string | null;
  doneByName: string | null;
  /** 代为标记: the unit that marked it on this unit's behalf (the county for its school), null when the unit itself did. */
  markedBy: { code: string; name: string } | null;
  /** The document attached to a manual completion (实施方案、培训通知), if any. */
  file: { name: string; size: number } | null;
};

export function levelOfUnit(unit: { kind: string; schoolType: string | null }): PlanLevel {
  const kind = unitKinds.find((candidate) => candidate === unit.kind);
  if (!kind) throw new Error(`not a unit kind: ${unit.kind}`);
  return planLevelOf(kind, unit.schoolType);
}

/** The campaign's plan with every task's role (see `withTaskRoles`). */
export function planOf(campaign: CampaignRow): CampaignPlan {
  return withTaskRoles(campaign.plan);
}

/**
 * A unit as the policy weighs the marking of its tasks (`task.complete`): the unit it reports to, and whether
 * it has an admin account in use (a school without one has its tasks marked by its operator).
 */
export async function taskUnitRef(executor: Executor, unit: { code: string; kind: UnitKind; path: string; parentCode: string | null }): Promise<TaskUnitRef> {
  return { unit: { code: unit.code, kind: unit.kind, path: unit.path }, reportsTo: unit.parentCode, hasAdmin: await hasActiveAdmin(executor, unit.code) };
}

/** One unit's tasks with their states, from facts and completions already loaded. */
export function unitTasks(
  campaign: CampaignRow,
  unit: TaskUnit,
  facts: TaskFacts,
  completions: Map<string, Completion>,
  now: Date,
): UnitTask[] {
  const level = planOf(campaign).levels[levelOfUnit(unit)];
  return (level?.tasks ?? []).map((task) => {
    const manual = isManual(task, observedKinds);
    const completion = manual ? completions.get(`${unit.code}/${task.key}`) : undefined;
    const doneOn = manual ? (completion?.doneOn ?? null) : (observeTask(task.observable, unit.code, facts) ?? null);
    const state = taskState(task.due, doneOn, now);
    return {
      ...task,
      manual,
      state,
      doneOn,
      onTime: doneOnTime(task.due, completion ? chinaDate(completion.doneAt) : doneOn),
      daysLate: state === 'late' ? daysLate(task.due, now) : 0,
      note: completion?.note ?? null,
      doneByName: completion?.doneByName ?? null,
      markedBy: completion?.markedByUnitCode ? { code: completion.markedByUnitCode, name: completion.markedByName ?? completion.markedByUnitCode } : null,
      file: completion?.fileId && completion.fileName ? { name: completion.fileName, size: completion.fileSize ?? 0 } : null,
    };
  });
}

/** The tasks of one unit, loading what it needs. */
export async function tasksOfUnit(executor: Executor, campaign: CampaignRow, unit: TaskUnit, now = new Date()) {
  const [facts, completions] = await Promise.all([
    loadTaskFacts(executor, campaign.id, [unit.code], unit.kind === 'school'),
    loadCompletions(executor, campaign.id, [unit.code]),
  ]);
  return unitTasks(campaign, unit, facts, completions, now);
}

/** 下级逾期: the units reporting to `unit` that have late tasks, most overdue first. */
export async function overdueChildren(executor: Executor, campaign: CampaignRow, unitCode: string, now = new Date()) {
  const children = await childUnits(executor, unitCode);
  const codes = children.map((child) => child.code);
  const [facts, completions] = await Promise.all([
    loadTaskFacts(executor, campaign.id, codes, children.some((child) => child.kind === 'school')),
    loadCompletions(executor, campaign.id, codes),
  ]);
  return children
    .map((child) => ({ ...child, tasks: unitTasks(campaign, child, facts, completions, now).filter((task) => task.state === 'late') }))
    .filter((child) => child.tasks.length > 0)
    .sort((a, b) => Math.max(...b.tasks.map((t) => t.daysLate)) - Math.max(...a.tasks.map((t) => t.daysLate)) || a.code.localeCompare(b.code));
}

/**
 * 学校任务: the tasks the schools reporting to `unitCode` mark by hand (a county's schools; the province's
 * universities), each school with where it stands on each of them. Closed schools are left out.
 */
export async function schoolTasks(executor: Executor, campaign: CampaignRow, unitCode: string, now = new Date()) {
  const schools = await openChildSchools(executor, unitCode);
  const plan = planOf(campaign);
  const levels = [...new Set(schools.map((school) => levelOfUnit(school)))].sort();
  const tasks = levels.flatMap((level) =>
    (plan.levels[level]?.tasks ?? []).filter((task) => task.due && isManual(task, observedKinds)).map((task) => ({ level, key: task.key, task: task.task, due: task.due })),
  );
  const completions = await loadCompletions(executor, campaign.id, schools.map((school) => school.code));
  const noFacts: TaskFacts = { packages: new Map(), children: new Map(), schools: new Map(), contacts: new Map() };
  return {
    tasks,
    schools: schools.map((school) => ({
      ...school,
      level: levelOfUnit(school),
      tasks: unitTasks(campaign, school, noFacts, completions, now).filter((task) => task.manual && task.due),
    })),
  };
}

function findTask(campaign: CampaignRow, unit: TaskUnit, taskKey: string): DatedTask {
  const task = planOf(campaign).levels[levelOfUnit(unit)]?.tasks.find((candidate) => candidate.key === taskKey);
  if (!task) throw notFound({ zh: `本单位没有任务 ${taskKey}`, en: `The unit has no task ${taskKey}` });
  return task;
}

/**
 * Marks a manual task done with the day and a note (标记完成), audited. When the actor's unit is not the
 * unit (its county marking a school's task, 代为标记), the completion keeps the marking unit's code.
 */
export async function markTaskDone(
  db: Database,
  context: ActorContext,
  campaign: CampaignRow,
  unit: TaskUnit,
  taskKey: string,
  input: { doneOn: string; note: string },
  now = new Date(),
) {
  const task = findTask(campaign, unit, taskKey);
  if (!isManual(task, observedKinds)) {
    throw new DomainError('conflict', {
      zh: `「${task.task}」由系统根据数据自动判断完成，无需手动标记`,
      en: `"${task.task}" completes by itself from the data and cannot be marked by hand`,
    });
  }
  if (!task.due) {
    throw new DomainError('conflict', { zh: `「${task.task}」是日常工作，没有完成日期`, en: `"${task.task}" is a standing duty with no completion date` });
  }
  const today = chinaDate(now);
  const earliest = addDays(campaign.startsOn, -60);
  if (input.doneOn > today || input.doneOn < earliest) {
    throw new DomainError('validation_failed', {
      zh: `完成日期须在 ${earliest} 至今天（${today}）之间`,
      en: `The completion date must lie between ${earliest} and today (${today})`,
    });
  }
  const onBehalf = context.actor.unit.code === unit.code ? null : { code: context.actor.unit.code, name: context.actor.unit.name };
  return db.transaction(async (tx) => {
    const existing = await findCompletion(tx, campaign.id, unit.code, taskKey);
    if (existing) throw new DomainError('conflict', { zh: '该任务已标记完成；如需修改请先撤销', en: 'The task is already marked done; undo it first to change it' });
    const row = await insertCompletion(tx, { campaignId: campaign.id, unitCode: unit.code, taskKey, doneOn: input.doneOn, note: input.note, doneBy: context.actor.id, markedByUnitCode: onBehalf?.code ?? null });
    await recordAudit(tx, context, {
      action: 'task.done',
      targetType: 'task_completion',
      targetId: `${unit.code}/${taskKey}`,
      unitCode: unit.code,
      after: { task: task.task, due: task.due, doneOn: input.doneOn, note: input.note, ...(onBehalf ? { markedByUnit: onBehalf } : {}) },
    });
    return row;
  });
}

/** Undoes a manual completion (撤销), audited. */
export async function undoTaskDone(db: Database, context: ActorContext, campaign: CampaignRow, unit: TaskUnit, taskKey: string) {
  const task = findTask(campaign, unit, taskKey);
  await db.transaction(async (tx) => {
    const removed = await deleteCompletion(tx, campaign.id, unit.code, taskKey);
    if (!removed) throw notFound({ zh: '该任务尚未标记完成', en: 'The task has not been marked done' });
    await recordAudit(tx, context, {
      action: 'task.undone',
      targetType: 'task_completion',
      targetId: `${unit.code}/${taskKey}`,
      unitCode: unit.code,
      before: { task: task.task, doneOn: removed.doneOn, note: removed.note, ...(removed.markedByUnitCode ? { markedByUnitCode: removed.markedByUnitCode } : {}) },
    });
  });
}

/** Attaches a document to a task marked done (replacing an earlier one), audited. */
export async function attachTaskFile(
  db: Database,
  context: ActorContext,
  campaign: CampaignRow,
  unit: TaskUnit,
  taskKey: string,
  file: { name: string; content: Buffer },
) {
  findTask(campaign, unit, taskKey);
  if (file.content.length === 0) throw new DomainError('validation_failed', { zh: '文件是空的', en: 'The file is empty' });
  return db.transaction(async (tx) => {
    const completion = await findCompletion(tx, campaign.id, unit.code, taskKey);
    if (!completion) throw new DomainError('conflict', { zh: '请先标记任务完成，再上传附件', en: 'Mark the task done before attaching a file' });
    // The same checks as every other document: its bytes must be what its extension says, of the kinds allowed.
    const { contentType } = checkUpload(file.name, file.content);
    const stored = await storeFile(tx, { name: file.name, contentType, content: file.content });
    await setCompletionFile(tx, completion.id, stored.id);
    await recordAudit(tx, context, {
      action: 'task.file_attached',
      targetType: 'task_completion',
      targetId: `${unit.code}/${taskKey}`,
      unitCode: unit.code,
      before: completion.fileId ? { fileId: completion.fileId } : null,
      after: { fileId: stored.id, name: file.name, size: stored.size, sha256: stored.sha256 },
    });
    return { name: file.name, size: file.content.length };
  });
}

/** The document attached to a unit's completed task. */
export async function taskFile(executor: Executor, campaign: CampaignRow, unit: TaskUnit, taskKey: string) {
  findTask(campaign, unit, taskKey);
  const completion = await findCompletion(executor, campaign.id, unit.code, taskKey);
  if (!completion?.fileId) throw notFound({ zh: '该任务没有附件', en: 'The task has no attached file' });
  const file = await readStoredFile(executor, completion.fileId);
  if (!file) throw notFound();
  return file;
}
