import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiRequest, ApiError, type Paged } from '../app/api-client';
import type { Finding, StaffValues } from '../../standard/index.ts';
import type { ConfirmedVia, RecordState } from '../../contract/record-states';
import type { SessionUser } from '../auth/auth-api';
import type { FormValues } from './staff-form-model';

/** A row of a school's staff list (GET /api/schools/{code}/staff); the ID number is masked above the school. */
export type StaffListItem = {
  id: number;
  status: RecordState;
  /** How a confirmed or approved record was confirmed; null in other states. */
  confirmedVia: ConfirmedVia | null;
  name: string | null;
  sex: string | null;
  idType: string | null;
  idNumber: string | null;
  birthDate: string | null;
  staffCategory: string | null;
  onPayroll: string | null;
  warnings: number;
  version: number;
  updatedAt: string;
};

/** A page of the staff list; `idNumbersMasked` above the school, where an ID number is found by the whole number only. */
export type StaffListPage = Paged<StaffListItem> & { idNumbersMasked: boolean };

/** A staff record as GET /api/staff/{id} presents it: canonical values of all 40 fields and its warnings. */
export type StaffRecord = {
  id: number;
  schoolCode: string;
  schoolName: string;
  status: RecordState;
  /** How a confirmed or approved record was confirmed; null in other states. */
  confirmedVia: ConfirmedVia | null;
  version: number;
  values: StaffValues;
  /** Above the school: the ID number keeps its region only and the birth date its month. */
  idNumberMasked: boolean;
  findings: Finding[];
  createdAt: string;
  updatedAt: string;
  abilities: { update: boolean; delete: boolean; reveal: boolean; events: string[] };
};

export type StaffListQuery = {
  q?: string;
  status?: string;
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

/** What a reveal shows in full: the ID number and the birth date it holds. */
export type RevealedNumbers = { idNumber: string | null; birthDate: string | null };

export function revealIdNumber(id: number): Promise<RevealedNumbers> {
  return apiRequest<RevealedNumbers>(`/api/staff/${id}/reveal`, { method: 'POST' });
}

/** The findings of a refused save (422 `details.findings`), the same shape as checkRecord's. */
export function findingsOf(error: unknown): Finding[] | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const details = error.details as { findings?: unknown } | undefined;
  return Array.isArray(details?.findings) ? (details.findings as Finding[]) : null;
}

/**
 * Whether the user enters this school's records: the server's `staff.write` rule (the school's own
 * operator or admin). The record page uses the record's own `abilities` instead.
 */
export function writesStaffOf(user: SessionUser, schoolCode: string): boolean {
  return user.unit.code === schoolCode && (user.role === 'operator' || user.role === 'admin');
}
