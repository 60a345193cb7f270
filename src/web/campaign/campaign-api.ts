import { queryOptions } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { apiRequest } from '../app/api-client';

export type CampaignTask = { key: string; task: string; due: string | null; reportTo?: string; observable?: string };

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
};

export const campaignQuery = queryOptions({
  queryKey: ['campaign', 'current'] as const,
  queryFn: ({ signal }) => apiRequest<Campaign>('/api/campaigns/current', { signal }),
  staleTime: 5 * 60_000,
});

export type DueStatus = { kind: 'ongoing' } | { kind: 'late'; days: number } | { kind: 'today' } | { kind: 'soon'; days: number } | { kind: 'due'; days: number };

/** Where a task stands against its due date: past due, due today, due within 3 days, or later. */
export function dueStatus(due: string | null, today = dayjs()): DueStatus {
  if (!due) return { kind: 'ongoing' };
  const days = dayjs(due).startOf('day').diff(today.startOf('day'), 'day');
  if (days < 0) return { kind: 'late', days: -days };
  if (days === 0) return { kind: 'today' };
  if (days <= 3) return { kind: 'soon', days };
  return { kind: 'due', days };
}
