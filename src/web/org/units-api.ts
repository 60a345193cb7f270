import { apiRequest, type Paged } from '../shared/api-client';
import type { UnitKind } from '../auth/auth-api';
import type { SchoolType } from '../../standard/school-types';
import type { CreateSchoolInput, SchoolImportResult, SchoolListRowError, UpdateSchoolInput } from '../../contract/schools.schema';
import type { CloseSchoolInput, Unit, UnitListItem } from '../../contract/org.schema';

export type { Unit, UnitListItem } from '../../contract/org.schema';

export type UnitListQuery = {
  kind?: UnitKind;
  schoolType?: SchoolType;
  q?: string;
  page?: number;
  pageSize?: number;
};

export type SchoolInput = CreateSchoolInput;
export type SchoolPatch = UpdateSchoolInput;
export type ImportResult = SchoolImportResult;
/** One finding of a rejected school list (nothing was written). */
export type ImportRowError = SchoolListRowError;

/** A unit code is 6 digits (a division) or 10 digits (a school). */
export const isUnitCode = (code: string) => /^\d{6}$|^\d{10}$/.test(code);

export const unitKeys = {
  all: ['units'] as const,
  unit: (code: string) => ['units', code] as const,
  children: (code: string, query: UnitListQuery) => ['units', code, 'children', query] as const,
  schools: (code: string, query: UnitListQuery) => ['units', code, 'schools', query] as const,
};

export function getUnit(code: string, signal?: AbortSignal): Promise<Unit> {
  return apiRequest<Unit>(`/api/units/${encodeURIComponent(code)}`, { signal });
}

export function listChildren(code: string, query: UnitListQuery, signal?: AbortSignal): Promise<Paged<UnitListItem>> {
  return apiRequest<Paged<UnitListItem>>(`/api/units/${encodeURIComponent(code)}/children`, { query, signal });
}

export function listSchools(code: string, query: Omit<UnitListQuery, 'kind'>, signal?: AbortSignal): Promise<Paged<UnitListItem>> {
  return apiRequest<Paged<UnitListItem>>(`/api/units/${encodeURIComponent(code)}/schools`, { query, signal });
}

export function createSchool(input: SchoolInput): Promise<Unit> {
  return apiRequest<Unit>('/api/schools', { method: 'POST', body: input });
}

export function updateSchool(code: string, patch: SchoolPatch): Promise<Unit> {
  return apiRequest<Unit>(`/api/schools/${encodeURIComponent(code)}`, { method: 'PATCH', body: patch });
}

/** Uploads a school list; `createAccounts`: each added school also gets its admin, operator and leader. */
export function importSchools({ file, createAccounts }: { file: File; createAccounts: boolean }): Promise<ImportResult> {
  const formData = new FormData();
  formData.append('createAccounts', String(createAccounts));
  formData.append('file', file, file.name);
  return apiRequest<ImportResult>('/api/schools/import', { method: 'POST', formData });
}

export const schoolTemplateUrl = '/api/schools/import-template';

/** True when `code` is in the chain at or below `scopeCode` (the user's unit), so a link to it will open. */
export function isInScope(chain: { code: string }[], scopeCode: string, code: string | null): boolean {
  const scopeIndex = chain.findIndex((link) => link.code === scopeCode);
  const index = chain.findIndex((link) => link.code === code);
  return scopeIndex >= 0 && index >= scopeIndex;
}

export type { CloseSchoolInput } from '../../contract/org.schema';

/** 撤销学校 (a school that holds no records). */
export function closeSchool(code: string, input: CloseSchoolInput): Promise<Unit> {
  return apiRequest<Unit>(`/api/schools/${encodeURIComponent(code)}/close`, { method: 'POST', body: input });
}

/** 合并学校: its records move to `into` with their history, and it closes. */
export function mergeSchool(code: string, input: CloseSchoolInput & { into: string }): Promise<Unit & { moved: number }> {
  return apiRequest<Unit & { moved: number }>(`/api/schools/${encodeURIComponent(code)}/merge`, { method: 'POST', body: input });
}
