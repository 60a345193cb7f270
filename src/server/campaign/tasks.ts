import type { DatedTask } from '../../standard/campaign.ts';
import { deadlineState } from './deadlines.ts';
import { chinaDay as chinaDate } from '../../standard/normalize.ts';

import type { TaskState } from '../../contract/campaign.schema.ts';

export type { TaskState };

export const taskStateLabels: Record<TaskState, { zh: string; en: string }> = {
  done: { zh: '已完成', en: 'Done' },
  open: { zh: '未到期', en: 'Open' },
  due_soon: { zh: '即将到期', en: 'Due soon' },
  late: { zh: '已逾期', en: 'Late' },
  ongoing: { zh: '日常工作', en: 'Ongoing' },
};

/** The calendar day in China (UTC+8) of an instant: the standard's calendar. */
export { chinaDate };

/** Adds days to an ISO date. */
export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(isoDate) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A task's state from its due date and the day it was done (null: not yet). */
export function taskState(due: string | null, doneOn: string | null, now: Date): TaskState {
  if (doneOn) return 'done';
  return deadlineState(due, now) ?? 'ongoing';
}

/** True when a task with a due date was done on or before it. */
export function doneOnTime(due: string | null, doneOn: string | null): boolean | null {
  if (!due || !doneOn) return null;
  return doneOn <= due;
}

/** Whole days past the due date (0 when not late). */
export function daysLate(due: string | null, now: Date): number {
  if (!due) return 0;
  return Math.max(0, Math.round((Date.parse(chinaDate(now)) - Date.parse(due)) / 86_400_000));
}

/** 本周到期: not done and due within the seven days from today. */
export function dueThisWeek(task: Pick<DatedTask, 'due'>, state: TaskState, now: Date): boolean {
  if (!task.due || state === 'done' || state === 'late') return false;
  const today = chinaDate(now);
  return task.due >= today && task.due <= addDays(today, 6);
}

/** A task is marked done by hand unless the system observes it from the data. */
export function isManual(task: Pick<DatedTask, 'observable'>, observed: ReadonlySet<string>): boolean {
  return !task.observable || !observed.has(task.observable);
}
