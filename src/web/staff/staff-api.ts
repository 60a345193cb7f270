import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiRequest, ApiError } from '../shared/api-client';
import type { Finding } from '../../standard/index.ts';
import type { ConfirmedVia, RecordState } from '../../contract/record-states';
import type { RevealedNumbers, StaffListPage, StaffRecord } from '../../contract/staff.schema';
import type { FormValues } from './staff-form-model';

export type { RevealedNumbers, StaffListItem, StaffListPage, StaffRecord } from '../../contract/staff.schema';

export type StaffListQuery = {
  q?: string;
  status?: RecordState;
  hasWarnings?: 'true' | 'false';
  pendingCorrection?: 'true';
  changedSinceApproval?: 'true';
  confirmedVia?: ConfirmedVia;
  /** A paper confirmation batch's number. */
  batch?: string;
  page: number;
  pageSize: number;
};

export const staffKeys = {
  all: ['staff'] as const,
  list: (schoolCode: string, query: StaffListQuery) => ['staff', 'list', schoolCode, query] as const,
  one: (id: number) => ['staff', id] as const,
};

export const staffListQuery = (schoolCode: string, query: StaffListQuery) =>
  queryOptions({
    queryKey: staffKeys.list(schoolCode, query),
    queryFn: ({ signal }) => apiRequest<StaffListPage>(`/api/schools/${encodeURIComponent(schoolCode)}/staff`, { query, signal }),
    placeholderData: keepPreviousData,
  });

export const staffQuery = (id: number) =>
  queryOptions({
    queryKey: staffKeys.one(id),
    queryFn: ({ signal }) => apiRequest<StaffRecord>(`/api/staff/${id}`, { signal }),
  });

export function createStaff(schoolCode: string, values: FormValues): Promise<StaffRecord> {
  return apiRequest<StaffRecord>(`/api/schools/${encodeURIComponent(schoolCode)}/staff`, { method: 'POST', body: { values } });
}

export function updateStaff(id: number, version: number, values: FormValues): Promise<StaffRecord> {
  return apiRequest<StaffRecord>(`/api/staff/${id}`, { method: 'PATCH', body: { version, values } });
}

export function deleteStaff(id: number, version: number, reason: string): Promise<void> {
  return apiRequest<void>(`/api/staff/${id}`, { method: 'DELETE', query: { version, reason } });
}

export function revealIdNumber(id: number): Promise<RevealedNumbers> {
  return apiRequest<RevealedNumbers>(`/api/staff/${id}/reveal`, { method: 'POST' });
}

/** The findings of a refused save (422 `details.findings`), the same shape as checkRecord's. */
export function findingsOf(error: unknown): Finding[] | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const details = error.details as { findings?: unknown } | undefined;
  return Array.isArray(details?.findings) ? (details.findings as Finding[]) : null;
}
