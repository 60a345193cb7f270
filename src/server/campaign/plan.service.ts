import { createHash } from 'node:crypto';
import { weeklyDateProblems, weeklyPlanOf, weeklyReportLevels, withTaskRoles, type CampaignPlan, type DatedTask, type PlanLevel, type TaskRole, type WeeklyPlan } from '../../standard/campaign.ts';
import { recordOf } from '../../standard/record-of.ts';
import type { Database } from '../db/client.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import { DomainError, notFound } from '../errors.ts';
import type { Actor } from '../policy/actor.ts';
import { completionCounts, lockCampaignPlan, updateCampaignPlan, type CampaignRow } from './campaign.repository.ts';
import { addDays } from './tasks.ts';
import { planLevels, type PlanEdit } from '../../contract/campaign.schema.ts';

/**
 * A short fingerprint of the stored plan: it changes whenever anyone saves a change to it. Taken of the plan
 * with its tasks' roles, as every reader sees it, so a plan stored without them has the same version read
 * either way.
 */
export function planVersion(plan: CampaignPlan): string {
  return createHash('sha256').update(JSON.stringify(withTaskRoles(plan))).digest('hex').slice(0, 16);
}

const roleLabels: Record<TaskRole, string> = { implementation_plan: '实施方案', training: '部署与培训' };

/** A closed campaign's plan is read-only. */
export const closedCampaign = () =>
  new DomainError('conflict', { zh: '该采集工作已结束，工作安排只读，不能再修改', en: 'The campaign is closed; its plan is read-only' });

/**
 * The weekly report after an edit: the issues given (all four, in order) and the rules of the levels given,
 * the rest as they stand. Each issue lies in the plan's window, and each is a week after the one before.
 */
function editedWeekly(current: WeeklyPlan, edit: PlanEdit['weekly'], window: { earliest: string; latest: string }, problems: string[]): WeeklyPlan {
  if (!edit) return current;
  const issues = edit.issues ?? current.issues;
  const levels = recordOf(weeklyReportLevels, (level) => edit.levels?.[level] ?? current.levels[level]);
  issues.forEach((issue, index) => {
    if (issue.date < window.earliest || issue.date > window.latest) problems.push(`周报表第 ${index + 1} 期：日期 ${issue.date} 须在 ${window.earliest} 至 ${window.latest} 之间`);
  });
  const next = { issues, levels };
  problems.push(...weeklyDateProblems(next));
  return next;
}

/** Whether two weekly reports say the same (a stored one's keys come back from jsonb in another order). */
function sameWeekly(a: WeeklyPlan, b: WeeklyPlan): boolean {
  const sameIssues = a.issues.length === b.issues.length && a.issues.every((issue, index) => issue.date === b.issues[index]?.date && issue.content === b.issues[index]?.content);
  return sameIssues && weeklyReportLevels.every((level) => {
    const [x, y] = [a.levels[level], b.levels[level]];
    return x.to === y.to && x.weekday === y.weekday && x.time === y.time;
  });
}

type Change = { level: PlanLevel; key: string; before?: { task: string; due: string | null }; after?: { task: string; due: string | null } };

/**
 * Applies the province's edit to the running campaign's plan. Keeps what the system relies on: a task keeps
 * its key, what the system observes of it and its role whatever its new words (the edit carries only key,
 * words and due date); tasks the data observe (submission, review), tasks the weekly report reads by role
 * (实施方案、培训) and tasks a unit already marked done cannot be removed; and every due date lies within a
 * year after the campaign's first day (and at most 60 days before it). The weekly report's issues (dates,
 * what each reports) and each level's rule (addressee, weekday, cut-off time) are edited with it, the issues
 * in the same window and a week apart. A plan stored without roles, or without its weekly report, is saved
 * with them. A closed campaign's plan is refused (409).
 */
export async function updatePlan(db: Database, context: AuditContext & { actor: Actor }, campaign: CampaignRow, edit: PlanEdit) {
  if (campaign.status === 'closed') throw closedCampaign();
  const plan = withTaskRoles(campaign.plan);
  const earliest = addDays(campaign.startsOn, -60);
  const latest = addDays(campaign.startsOn, 365);
  const changes: Change[] = [];
  const levels = { ...plan.levels };
  const removedKeys: string[] = [];
  const problems: string[] = [];

  for (const level of planLevels) {
    const edited = edit.levels[level];
    if (!edited) continue;
    const current = plan.levels[level];
    const byKey = new Map(current.tasks.map((task) => [task.key, task]));
    const seen = new Set<string>();
    let next = Math.max(0, ...current.tasks.map((task) => Number(task.key.split('-').pop())));
    const tasks: DatedTask[] = [];
    edited.tasks.forEach((input, index) => {
      const where = `${current.label}第 ${index + 1} 项`;
      if (input.due && (input.due < earliest || input.due > latest)) problems.push(`${where}：截止日期 ${input.due} 须在 ${earliest} 至 ${latest} 之间`);
      if (input.key) {
        const existing = byKey.get(input.key);
        if (!existing) return problems.push(`${where}：任务 ${input.key} 不属于${current.label}`);
        if (seen.has(input.key)) return problems.push(`${where}：任务 ${input.key} 重复`);
        seen.add(input.key);
        if (existing.observable && !input.due && existing.due) problems.push(`${where}：「${existing.task}」由系统判断完成，须有截止日期`);
        tasks.push({ ...existing, task: input.task, due: input.due });
        if (existing.task !== input.task || existing.due !== input.due) {
          changes.push({ level, key: input.key, before: { task: existing.task, due: existing.due }, after: { task: input.task, due: input.due } });
        }
      } else {
        next += 1;
        const key = `${level}-${next}`;
        tasks.push({ key, task: input.task, due: input.due });
        changes.push({ level, key, after: { task: input.task, due: input.due } });
      }
    });
    for (const task of current.tasks) {
      if (seen.has(task.key)) continue;
      if (task.observable) problems.push(`「${task.task}」（${current.label}）由系统判断完成，不能删除`);
      else if (task.role) problems.push(`「${task.task}」（${current.label}）是周报表统计的${roleLabels[task.role]}任务，不能删除`);
      removedKeys.push(task.key);
      changes.push({ level, key: task.key, before: { task: task.task, due: task.due } });
    }
    levels[level] = { ...current, tasks };
  }
  // The weekly report is stored with the plan from the first save on, so re-dating tasks never moves it.
  const weeklyBefore = weeklyPlanOf(plan);
  const weekly = editedWeekly(weeklyBefore, edit.weekly, { earliest, latest }, problems);
  const weeklyChanged = !sameWeekly(weekly, weeklyBefore);

  return db.transaction(async (tx) => {
    // The edit was weighed against the plan read above (and the editor's against the plan it showed): another
    // save since then refuses this one, rather than silently undoing it.
    const locked = await lockCampaignPlan(tx, campaign.id);
    if (!locked) throw notFound();
    if (locked.status === 'closed') throw closedCampaign();
    const stored = planVersion(locked.plan);
    if (stored !== planVersion(campaign.plan) || (edit.version !== undefined && edit.version !== stored)) {
      throw new DomainError('stale_version', {
        zh: '工作安排已被他人修改，您的修改未保存。请刷新页面查看最新安排后再修改。',
        en: 'Someone else changed the plan; your change was not saved. Reload the page to see the current plan and edit again.',
      });
    }
    if (removedKeys.length > 0) {
      const used = await completionCounts(tx, campaign.id, removedKeys);
      for (const row of used) problems.push(`任务 ${row.taskKey} 已有 ${row.units} 个单位标记完成，不能删除`);
    }
    if (problems.length > 0) {
      throw new DomainError('validation_failed', { zh: `工作安排未保存：${problems.join('；')}`, en: `The plan was not saved: ${problems.length} problem(s)` }, { problems });
    }
    const dues = Object.values(levels).flatMap((level) => level.tasks.map((task) => task.due).filter((due): due is string => due !== null)).sort();
    const row = await updateCampaignPlan(tx, campaign.id, { plan: { ...plan, levels, weekly }, startsOn: dues[0] ?? campaign.startsOn, endsOn: dues.at(-1) ?? campaign.endsOn });
    if (changes.length > 0) {
      await recordAudit(tx, context, { action: 'campaign.plan_update', targetType: 'campaign', targetId: campaign.id, before: changes.map(({ level, key, before }) => ({ level, key, ...before })), after: changes.map(({ level, key, after }) => ({ level, key, ...after })) });
    }
    if (weeklyChanged) {
      await recordAudit(tx, context, { action: 'campaign.weekly_update', targetType: 'campaign', targetId: campaign.id, before: weeklyBefore, after: weekly });
    }
    return { campaign: row, changes: changes.length + (weeklyChanged ? 1 : 0) };
  });
}
