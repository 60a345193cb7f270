import { apiRequest } from '../shared/api-client';
import type { z } from 'zod';
import type { InboxItem, Package, PackageChanges, PackageItem, ReturnInput, signOffResultSchema, Submission, UnlockRequest } from '../../contract/packages.schema';

export { returnCategories } from '../../contract/packages.schema';
export type { PackageStatus } from '../../contract/package-states';
export type { Deadline, InboxItem, Package, PackageChanges, PackageItem, ReturnCategory, ReturnInput, Submission, UnlockRequest } from '../../contract/packages.schema';

export const packageKeys = {
  all: ['packages'] as const,
  submission: (code: string) => ['packages', 'submission', code] as const,
  inbox: (code: string) => ['packages', 'inbox', code] as const,
  package: (id: number) => ['packages', id] as const,
  items: (id: number, page: number, pageSize: number) => ['packages', id, 'items', page, pageSize] as const,
  changes: (id: number) => ['packages', id, 'changes'] as const,
  unlocks: (code: string) => ['packages', 'unlocks', code] as const,
};

const unitPath = (code: string) => `/api/units/${encodeURIComponent(code)}`;

export const getSubmission = (code: string, signal?: AbortSignal) => apiRequest<Submission>(`${unitPath(code)}/submission`, { signal });

export const signOff = (code: string, explanation?: string) =>
  apiRequest<z.infer<typeof signOffResultSchema>>(`${unitPath(code)}/signoff`, { method: 'POST', body: explanation ? { explanation } : {} });

export const submitPackage = (code: string) => apiRequest<Package>(`${unitPath(code)}/packages`, { method: 'POST', body: {} });

export const getInbox = (code: string, signal?: AbortSignal) => apiRequest<{ items: InboxItem[] }>(`${unitPath(code)}/inbox`, { signal });

export const getPackage = (id: number, signal?: AbortSignal) => apiRequest<Package>(`/api/packages/${id}`, { signal });

export const listPackageItems = (id: number, page: number, pageSize: number, signal?: AbortSignal) =>
  apiRequest<{ total: number; items: PackageItem[] }>(`/api/packages/${id}/items`, { query: { page, pageSize }, signal });

export const getPackageChanges = (id: number, signal?: AbortSignal) => apiRequest<PackageChanges>(`/api/packages/${id}/changes`, { signal });

/** 审核通过; a short package is approved only with `acceptShortfall` (and a note, recorded with the approval). */
export const approvePackage = (id: number, input: { acceptShortfall?: boolean; shortfallNote?: string } = {}) =>
  apiRequest<Package>(`/api/packages/${id}/approve`, { method: 'POST', body: input });

export const returnPackage = (id: number, input: ReturnInput) => apiRequest<Package>(`/api/packages/${id}/return`, { method: 'POST', body: input });

export const reopenPackage = (id: number, reason: string) => apiRequest<Package>(`/api/packages/${id}/reopen`, { method: 'POST', body: { reason } });

export const listUnlockRequests = (code: string, signal?: AbortSignal) =>
  apiRequest<{ items: UnlockRequest[] }>(`${unitPath(code)}/unlock-requests`, { signal });

export const requestUnlock = (code: string, reason: string) =>
  apiRequest<UnlockRequest>(`${unitPath(code)}/unlock-requests`, { method: 'POST', body: { reason } });

export const grantUnlock = (id: number, answer?: string) =>
  apiRequest<UnlockRequest>(`/api/unlock-requests/${id}/grant`, { method: 'POST', body: answer ? { answer } : {} });

export const refuseUnlock = (id: number, answer: string) => apiRequest<UnlockRequest>(`/api/unlock-requests/${id}/refuse`, { method: 'POST', body: { answer } });
