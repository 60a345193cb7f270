import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiRequest, apiUpload, type Paged } from '../shared/api-client';
import type { ImportCounts, ImportIssue, ImportMode, ImportPreview, ImportRow, issueQuerySchema, RowAction, StaffImport } from '../../contract/imports.schema';

export type { ImportCounts, ImportIssue, ImportMode, ImportPreview, ImportRow, ImportStatus, RowAction, StaffImport } from '../../contract/imports.schema';
export const countKeys = ['new', 'changed', 'unchanged', 'invalid', 'conflicts'] as const satisfies readonly (keyof ImportCounts)[];

export type FieldChange = { before: string | null; after: string | null };
export type ConflictHolder = { schoolCode: string; schoolName: string; countyName: string | null };

export type IssueQuery = z.infer<typeof issueQuerySchema> & { page: number; pageSize: number };

export const importKeys = {
  all: ['imports'] as const,
  history: (schoolCode: string, page: number, pageSize: number) => ['imports', 'history', schoolCode, page, pageSize] as const,
  progress: (schoolCode: string, uploadToken: string) => ['imports', 'progress', schoolCode, uploadToken] as const,
  one: (id: number) => ['imports', id] as const,
  issues: (id: number, query: IssueQuery) => ['imports', id, 'issues', query] as const,
  rows: (id: number, action: RowAction, page: number, pageSize: number) => ['imports', id, 'rows', action, page, pageSize] as const,
};

const schoolPath = (code: string) => `/api/schools/${encodeURIComponent(code)}`;

export const importHistoryQuery = (schoolCode: string, page: number, pageSize: number) =>
  queryOptions({
    queryKey: importKeys.history(schoolCode, page, pageSize),
    queryFn: ({ signal }) => apiRequest<Paged<StaffImport>>(`${schoolPath(schoolCode)}/imports`, { query: { page, pageSize }, signal }),
    placeholderData: keepPreviousData,
  });

/** The import an upload with `uploadToken` created, polled while the server reads the file (`rows` so far). */
export const importProgressQuery = (schoolCode: string, uploadToken: string) =>
  queryOptions({
    queryKey: importKeys.progress(schoolCode, uploadToken),
    queryFn: async ({ signal }) =>
      (await apiRequest<Paged<StaffImport>>(`${schoolPath(schoolCode)}/imports`, { query: { uploadToken, pageSize: 1 }, signal })).items[0] ?? null,
  });

export const importQuery = (id: number) =>
  queryOptions({ queryKey: importKeys.one(id), queryFn: ({ signal }) => apiRequest<StaffImport>(`/api/imports/${id}`, { signal }) });

export const issuesQuery = (id: number, query: IssueQuery) =>
  queryOptions({
    queryKey: importKeys.issues(id, query),
    queryFn: ({ signal }) => apiRequest<Paged<ImportIssue>>(`/api/imports/${id}/issues`, { query, signal }),
    placeholderData: keepPreviousData,
  });

export const rowsQuery = (id: number, action: RowAction, page: number, pageSize: number) =>
  queryOptions({
    queryKey: importKeys.rows(id, action, page, pageSize),
    queryFn: ({ signal }) => apiRequest<Paged<ImportRow>>(`/api/imports/${id}/rows`, { query: { action, page, pageSize }, signal }),
    placeholderData: keepPreviousData,
  });

/** A random token (hex) that names an upload, so its progress can be polled before the answer arrives. */
export function newUploadToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Uploads a staff file for preview; `mode` and `uploadToken` go before `file`, as the server reads them first. */
export function uploadImport(
  schoolCode: string,
  input: { file: File; mode: ImportMode; uploadToken: string },
  onProgress: (sent: number, total: number) => void,
  signal?: AbortSignal,
): Promise<ImportPreview> {
  const formData = new FormData();
  formData.append('mode', input.mode);
  formData.append('uploadToken', input.uploadToken);
  formData.append('file', input.file, input.file.name);
  return apiUpload<ImportPreview>(`${schoolPath(schoolCode)}/imports`, formData, onProgress, signal);
}

export function commitImport(id: number): Promise<ImportCounts> {
  return apiRequest<ImportCounts>(`/api/imports/${id}/commit`, { method: 'POST' });
}

export const templateUrl = (schoolCode: string) => `${schoolPath(schoolCode)}/template`;
export const annotatedUrl = (id: number) => `/api/imports/${id}/annotated`;
export const originalUrl = (id: number) => `/api/imports/${id}/original`;

/** A file size in KB or MB. */
export function fileSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The conflicting school of a conflict row (`changes.holder`), if the server named one. */
export function holderOf(row: ImportRow): ConflictHolder | null {
  const holder = row.changes?.holder;
  if (typeof holder !== 'object' || holder === null || !('schoolName' in holder) || typeof holder.schoolName !== 'string') return null;
  const schoolCode = 'schoolCode' in holder && typeof holder.schoolCode === 'string' ? holder.schoolCode : '';
  const countyName = 'countyName' in holder && typeof holder.countyName === 'string' ? holder.countyName : null;
  return { schoolCode, schoolName: holder.schoolName, countyName };
}

/** The field changes of a changed row (`changes`: field → { before, after }). */
export function fieldChangesOf(row: ImportRow): [string, FieldChange][] {
  return Object.entries(row.changes ?? {}).filter(
    (entry): entry is [string, FieldChange] => typeof entry[1] === 'object' && entry[1] !== null && 'after' in entry[1],
  );
}
