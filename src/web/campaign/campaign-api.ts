import { queryOptions } from '@tanstack/react-query';
import { apiRequest, apiUpload, apiUrl } from '../shared/api-client';

/** What a task is to the system (the weekly report reads it), kept whatever its words. */
export type TaskRole = 'implementation_plan' | 'training';

export type CampaignTask = { key: string; task: string; due: string | null; reportTo?: string; observable?: string; role?: TaskRole };

/** The running campaign and the tasks of the user's level (GET /api/campaigns/current). */
export type Campaign = {
  id: number;
  name: string;
  year: number;
  startsOn: string;
  endsOn: string;
  level: string;
  levelLabel: string;
  tasks: CampaignTask[];
  /** Every level's tasks, for the province's plan editor. */
  levels?: Record<string, { label: string; tasks: CampaignTask[] }>;
  /** The plan's version, sent back with an edit (a stale one is refused with 409). */
  planVersion?: string;
  abilities: { editPlan: boolean };
};

export const campaignQuery = queryOptions({
  queryKey: ['campaign', 'current'] as const,
  queryFn: ({ signal }) => apiRequest<Campaign>('/api/campaigns/current', { signal }),
  staleTime: 5 * 60_000,
});

export type DueStatus = { kind: 'ongoing' } | { kind: 'late'; days: number } | { kind: 'today' } | { kind: 'soon'; days: number } | { kind: 'due'; days: number };

/**
 * Where a task stands against its due date: past due, due today, due within 3 days, or later. `today` is the
 * day in China's calendar as the server gives it (YYYY-MM-DD), never the browser's own date.
 */
export function dueStatus(due: string | null, today: string): DueStatus {
  if (!due) return { kind: 'ongoing' };
  const days = Math.round((Date.parse(due) - Date.parse(today)) / 86_400_000);
  if (days < 0) return { kind: 'late', days: -days };
  if (days === 0) return { kind: 'today' };
  if (days <= 3) return { kind: 'soon', days };
  return { kind: 'due', days };
}

export type TaskState = 'done' | 'open' | 'due_soon' | 'late' | 'ongoing';

/** A plan task as the unit stands with it (GET /api/units/:code/tasks). */
export type UnitTask = CampaignTask & {
  manual: boolean;
  state: TaskState;
  stateLabel: { zh: string; en: string };
  doneOn: string | null;
  onTime: boolean | null;
  daysLate: number;
  dueThisWeek: boolean;
  note: string | null;
  doneByName: string | null;
  /** 代为标记: the unit that marked it on this unit's behalf, null when the unit itself did. */
  markedBy: { code: string; name: string } | null;
  file: { name: string; size: number } | null;
};

export type UnitTasks = {
  unit: { code: string; name: string; level: string; levelLabel: string };
  today: string;
  tasks: UnitTask[];
  abilities: { complete: boolean };
};

export type OverdueChild = { code: string; name: string; kind: string; tasks: { key: string; task: string; due: string | null; daysLate: number }[] };

export const unitTasksQuery = (code: string) =>
  queryOptions({
    queryKey: ['tasks', code] as const,
    queryFn: ({ signal }) => apiRequest<UnitTasks>(`/api/units/${code}/tasks`, { signal }),
  });

/** 学校任务: the tasks the schools reporting to a unit mark by hand, school by school (GET /api/units/:code/tasks/schools). */
export type SchoolTasks = {
  today: string;
  tasks: { level: string; key: string; task: string; due: string | null }[];
  schools: { code: string; name: string; schoolType: string | null; level: string; tasks: Omit<UnitTask, 'dueThisWeek'>[]; canMark: boolean }[];
};

export const schoolTasksQuery = (code: string) =>
  queryOptions({
    queryKey: ['tasks', code, 'schools'] as const,
    queryFn: ({ signal }) => apiRequest<SchoolTasks>(`/api/units/${code}/tasks/schools`, { signal }),
  });

export const overdueChildrenQuery = (code: string) =>
  queryOptions({
    queryKey: ['tasks', code, 'overdue-children'] as const,
    queryFn: ({ signal }) => apiRequest<{ children: OverdueChild[] }>(`/api/units/${code}/tasks/overdue-children`, { signal }),
  });

export const markTaskDone = (code: string, taskKey: string, body: { doneOn: string; note: string }) =>
  apiRequest<{ taskKey: string; doneOn: string; note: string }>(`/api/units/${code}/tasks/${taskKey}/done`, { method: 'POST', body });

export const undoTaskDone = (code: string, taskKey: string) => apiRequest<{ ok: true }>(`/api/units/${code}/tasks/${taskKey}/done`, { method: 'DELETE' });

/** The province's edit of the plan (PUT /api/campaigns/current/plan); a task without key is new. */
export type PlanEdit = { levels: Record<string, { tasks: { key?: string; task: string; due: string | null }[] }>; version?: string };

export const updatePlan = (body: PlanEdit) =>
  apiRequest<{ changes: number; startsOn: string; endsOn: string }>('/api/campaigns/current/plan', { method: 'PUT', body });

/** Attaches a document to a task marked done (multipart field "file"). */
export function attachTaskFile(code: string, taskKey: string, file: File) {
  const form = new FormData();
  form.append('file', file);
  return apiUpload<{ name: string; size: number }>(apiUrl(`/api/units/${code}/tasks/${taskKey}/file`), form, () => undefined);
}

export const taskFileUrl = (code: string, taskKey: string) => apiUrl(`/api/units/${code}/tasks/${taskKey}/file`);
