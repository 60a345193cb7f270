import { apiRequest, type Messages } from '../shared/api-client';
import type { UnitKind } from '../auth/auth-api';

export type PackageStatus = 'submitted' | 'approved' | 'returned';
export type ReturnCategory = 'data_error' | 'missing_people' | 'count_mismatch' | 'other' | 'reopened';
export const returnCategories: readonly ReturnCategory[] = ['data_error', 'missing_people', 'count_mismatch', 'other'];
export type MissingState = 'not_started' | 'in_progress' | 'returned' | 'awaiting_review' | 'stale' | 'approved';
export type DeadlineState = 'open' | 'due_soon' | 'late';

/** A submitted package (报送包): frozen records of one unit, sent to the unit above. */
export type Package = {
  id: number;
  unitCode: string;
  unitName: string;
  receiverCode: string | null;
  receiverName: string | null;
  versionNo: number;
  status: PackageStatus;
  recordCount: number;
  expectedCount: number;
  explanation: string | null;
  contentHash: string;
  signedBy: number | null;
  signedAt: string | null;
  submittedBy: number | null;
  submittedAt: string;
  decidedAt: string | null;
  returnCategory: ReturnCategory | null;
  returnReason: string | null;
  /** 需重新审核: what changed below after it was signed, where and when; null while it stands. */
  stale: { at: string; cause: string; unitCode: string | null } | null;
  /** Fewer records than expected, and whether the receiver accepted it. */
  shortfall: { count: number; accepted: boolean; acceptedBy: number | null; note: string | null } | null;
  /** Confirmed by the person on the phone, and registered on paper by the school. */
  confirmations: { phone: number; paper: number };
  abilities: { approve: boolean; return: boolean; reopen: boolean };
};

/** GET /api/packages/{id}/changes: what a version changed since the one before it. */
export type PackageChanges = {
  previous: { id: number; versionNo: number; status: PackageStatus; recordCount: number } | null;
  total: number;
  changes: {
    kind: 'added' | 'removed' | 'changed' | 'child';
    staffId?: number;
    name?: string | null;
    idNumber?: string | null;
    fields?: { key: string; label: string; before: string | null; after: string | null }[];
    unitCode?: string;
    before?: { packageId: number; versionNo: number; recordCount: number } | null;
    after?: { packageId: number; versionNo: number; recordCount: number } | null;
  }[];
};

export type Deadline = { due: string | null; state: DeadlineState | null };

/** GET /api/units/{code}/submission: where a unit stands before it reports. */
export type Submission = {
  recordCount: number;
  expectedCount: number;
  /** What stops the submission, each with the page where it is dealt with. */
  blockers: (Messages & { link?: string })[];
  missing: { code: string; name: string; kind: UnitKind; state: MissingState; stateLabel: Messages; packageId: number | null; staleCause: string | null }[];
  latest: Package | null;
  deadline: Deadline;
  abilities: { signOff: boolean; submit: boolean };
};

export type InboxItem = { unit: { code: string; name: string; kind: UnitKind }; package: Package };
export type PackageItem = { staffId: number; name: string; idNumber: string; confirmedVia: 'phone' | 'paper' | null; status: string; returnReason: string | null };
export type ReturnInput = { category: ReturnCategory; reason: string; items?: { staffId: number; reason: string }[] };

export type UnlockRequest = {
  id: number;
  unitCode: string;
  unitName: string;
  reason: string;
  status: 'pending' | 'granted' | 'refused';
  answer: string | null;
  expiresAt: string | null;
  createdAt: string;
  abilities: { decide: boolean };
};

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
  apiRequest<{ id: number; recordCount: number; signedAt: string }>(`${unitPath(code)}/signoff`, { method: 'POST', body: explanation ? { explanation } : {} });

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
