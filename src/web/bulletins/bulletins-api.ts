import { queryOptions } from '@tanstack/react-query';
import { apiRequest, apiUrl } from '../shared/api-client';

export type Weights = { completion: number; timeliness: number; quality: number };
export type WatchRule = { bottom: number; belowScore: number | null };

export type BulletinSummary = {
  id: number;
  title: string;
  asOf: string;
  status: 'draft' | 'published';
  computedAt: string;
  publishedAt: string | null;
  previousId: number | null;
  version: number;
};

export type BulletinRow = {
  code: string;
  name: string;
  group: 'prefecture' | 'university';
  schools: number;
  schoolsApproved: number;
  schoolsApprovedShare: number;
  expectedStaff: number;
  liveStaff: number;
  approvedStaff: number;
  /** Records approved or returned by the date (null in bulletins computed before it was kept). */
  reviewedStaff: number | null;
  /** People still missing, school by school (each school's expected − records, never below zero). */
  shortfall: number;
  completion: number;
  deadlines: number;
  deadlinesMet: number;
  timeliness: number;
  returned: number;
  withFindings: number;
  withProblems: number;
  returnedShare: number;
  findingsShare: number;
  /** Null (shown —) while the unit has reviewed nothing. */
  quality: number | null;
  score: number;
  ranks: { completion: number; timeliness: number; quality: number | null; overall: number };
  change: { completion: number; timeliness: number; quality: number | null; score: number; rank: number | null } | null;
  watch: boolean;
  slowest: { code: string; name: string; completion: number }[];
};

export type Bulletin = BulletinSummary & {
  weights: Weights;
  watchRule: WatchRule;
  remarks: string | null;
  previous: { id: number; title: string; asOf: string } | null;
  rows: BulletinRow[];
  abilities: { edit: boolean; publish: boolean; delete: boolean };
};

export const bulletinKeys = {
  all: ['bulletins'] as const,
  one: (id: number) => ['bulletins', id] as const,
};

export const bulletinsQuery = queryOptions({
  queryKey: bulletinKeys.all,
  queryFn: ({ signal }) => apiRequest<{ items: BulletinSummary[]; abilities: { draft: boolean } }>('/api/bulletins', { signal }),
});

export const bulletinQuery = (id: number) =>
  queryOptions({ queryKey: bulletinKeys.one(id), queryFn: ({ signal }) => apiRequest<Bulletin>(`/api/bulletins/${id}`, { signal }) });

export const draftBulletin = (body: { asOf: string; title?: string; weights?: Weights; watchRule?: WatchRule }) =>
  apiRequest<Bulletin>('/api/bulletins', { method: 'POST', body });

export const updateBulletin = (id: number, body: { version: number; weights?: Weights; watchRule?: WatchRule; remarks?: string | null; asOf?: string; title?: string }) =>
  apiRequest<Bulletin>(`/api/bulletins/${id}`, { method: 'PATCH', body });

export const publishBulletin = (id: number, version: number) => apiRequest<Bulletin>(`/api/bulletins/${id}/publish`, { method: 'POST', body: { version } });

export const deleteBulletin = (id: number) => apiRequest<{ ok: true }>(`/api/bulletins/${id}`, { method: 'DELETE' });

export const bulletinExportUrl = (id: number) => apiUrl(`/api/bulletins/${id}/export`);

/** 12.3% from a share. */
export const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** +1.2 / −0.4 percentage points from a change of shares (null: no previous bulletin). */
export function pointsChange(change: number | null | undefined): string {
  if (change == null) return '—';
  const points = change * 100;
  if (Math.abs(points) < 0.05) return '0.0';
  return `${points > 0 ? '+' : '−'}${Math.abs(points).toFixed(1)}`;
}
