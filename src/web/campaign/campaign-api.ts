import { queryOptions } from '@tanstack/react-query';
import { apiRequest, apiUpload, apiUrl } from '../shared/api-client';
import type {
  Campaign,
  CampaignCreate,
  CampaignDetail,
  CampaignList,
  CampaignSummary,
  MarkDoneBody,
  MarkDoneResult,
  OverdueChild,
  PlanEdit,
  PlanEditResult,
  SchoolTasks,
  TaskFile,
  UndoDoneResult,
  UnitTasks,
} from '../../contract/campaign.schema';

export type { Campaign, CampaignDetail, CampaignSummary, CampaignTask, OverdueChild, PlanEdit, SchoolTasks, TaskRole, TaskState, UnitTask, UnitTasks, WeeklyPlan } from '../../contract/campaign.schema';

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

export const unitTasksQuery = (code: string) =>
  queryOptions({
    queryKey: ['tasks', code] as const,
    queryFn: ({ signal }) => apiRequest<UnitTasks>(`/api/units/${code}/tasks`, { signal }),
  });

/** 学校任务: the tasks the schools reporting to a unit mark by hand, school by school (GET /api/units/:code/tasks/schools). */
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

export const markTaskDone = (code: string, taskKey: string, body: MarkDoneBody) =>
  apiRequest<MarkDoneResult>(`/api/units/${code}/tasks/${taskKey}/done`, { method: 'POST', body });

export const undoTaskDone = (code: string, taskKey: string) => apiRequest<UndoDoneResult>(`/api/units/${code}/tasks/${taskKey}/done`, { method: 'DELETE' });

/** Every campaign (草稿、进行中、已结束), newest first (GET /api/campaigns). */
export const campaignsQuery = queryOptions({
  queryKey: ['campaign', 'list'] as const,
  queryFn: ({ signal }) => apiRequest<CampaignList>('/api/campaigns', { signal }),
});

/** One campaign with its whole plan and weekly report (GET /api/campaigns/:id). */
export const campaignDetailQuery = (id: number) =>
  queryOptions({
    queryKey: ['campaign', 'detail', id] as const,
    queryFn: ({ signal }) => apiRequest<CampaignDetail>(`/api/campaigns/${id}`, { signal }),
  });

/** A draft campaign from the plan template, dated from its start (POST /api/campaigns). */
export const createCampaign = (body: CampaignCreate) => apiRequest<CampaignDetail>('/api/campaigns', { method: 'POST', body });
export const startCampaign = (id: number) => apiRequest<CampaignSummary>(`/api/campaigns/${id}/start`, { method: 'POST', body: {} });
export const closeCampaign = (id: number) => apiRequest<CampaignSummary>(`/api/campaigns/${id}/close`, { method: 'POST', body: {} });

/** The province's edit of a draft or running campaign's plan and weekly report (PUT /api/campaigns/:id/plan). */
export const updateCampaignPlan = (id: number, body: PlanEdit) => apiRequest<PlanEditResult>(`/api/campaigns/${id}/plan`, { method: 'PUT', body });

/** Attaches a document to a task marked done (multipart field "file"). */
export function attachTaskFile(code: string, taskKey: string, file: File) {
  const form = new FormData();
  form.append('file', file);
  return apiUpload<TaskFile>(apiUrl(`/api/units/${code}/tasks/${taskKey}/file`), form, () => undefined);
}

export const taskFileUrl = (code: string, taskKey: string) => apiUrl(`/api/units/${code}/tasks/${taskKey}/file`);
