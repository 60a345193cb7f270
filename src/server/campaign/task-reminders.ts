import type { Executor } from '../db/client.ts';
import { notifiedTitles, notifyInBatches } from '../notifications/notifications.service.ts';
import type { CampaignRow } from './campaign.service.ts';
import { levelOfUnit, planOf, unitTasks } from './tasks.service.ts';
import { loadCompletions, unitsWithParent } from './tasks.repository.ts';
import { loadTaskFacts } from './task-observer.ts';
import { deadlineState } from './deadlines.ts';

export const lateChildrenKind = 'child_task_late' as const;

/** The title of the one reminder a parent gets per late task. */
export function lateChildrenTitle(task: { task: string; due: string | null }) {
  return `下级逾期：「${task.task}」已过截止日期 ${task.due}`;
}

/**
 * 下级逾期提醒: tells each parent which of the units reporting to it are late with a task, once per task
 * (a second pass writes nothing). Returns how many reminders it wrote.
 */
export async function remindLateChildren(executor: Executor, campaign: CampaignRow, now = new Date()): Promise<number> {
  const plan = planOf(campaign);
  const lateKeys = new Set(
    Object.values(plan.levels).flatMap((level) => level.tasks.filter((task) => deadlineState(task.due, now) === 'late').map((task) => task.key)),
  );
  if (lateKeys.size === 0) return 0;
  const schoolsLate = [...plan.levels.school.tasks, ...plan.levels.higher_ed.tasks].some((task) => lateKeys.has(task.key) && task.observable);
  const [allUnits, facts, completions] = await Promise.all([
    unitsWithParent(executor),
    loadTaskFacts(executor, campaign.id, null, schoolsLate),
    loadCompletions(executor, campaign.id, null),
  ]);
  // parent → task key → the late children's names
  const late = new Map<string, Map<string, { task: { task: string; due: string | null }; names: string[] }>>();
  for (const unit of allUnits) {
    const level = plan.levels[levelOfUnit(unit)];
    if (!level?.tasks.some((task) => lateKeys.has(task.key))) continue;
    for (const task of unitTasks(campaign, unit, facts, completions, now)) {
      if (task.state !== 'late') continue;
      const byTask = late.get(unit.parentCode!) ?? new Map();
      const entry = byTask.get(task.key) ?? { task, names: [] };
      entry.names.push(unit.name);
      byTask.set(task.key, entry);
      late.set(unit.parentCode!, byTask);
    }
  }
  const candidates = [...late.entries()].flatMap(([parentCode, byTask]) =>
    [...byTask.values()].map(({ task, names }) => ({
      unitCode: parentCode,
      kind: lateChildrenKind,
      title: lateChildrenTitle(task),
      body: `${names.length} 个下级单位逾期：${names.slice(0, 20).join('、')}${names.length > 20 ? ' 等' : ''}`,
      link: '/',
    })),
  );
  if (candidates.length === 0) return 0;
  const already = await notifiedTitles(executor, lateChildrenKind, [...late.keys()]);
  const fresh = candidates.filter((item) => !already.has(`${item.unitCode}/${item.title}`));
  await notifyInBatches(executor, fresh);
  return fresh.length;
}
