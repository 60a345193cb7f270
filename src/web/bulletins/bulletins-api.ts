import { queryOptions } from '@tanstack/react-query';
import { apiRequest, apiUrl } from '../shared/api-client';
import type { Bulletin, BulletinList, DraftBulletinBody, UpdateBulletinBody } from '../../contract/bulletins.schema';

export type { Bulletin, BulletinList, BulletinRow, BulletinStatus, BulletinSummary, WatchRule, Weights } from '../../contract/bulletins.schema';

export const bulletinKeys = {
  all: ['bulletins'] as const,
  one: (id: number) => ['bulletins', id] as const,
};

export const bulletinsQuery = queryOptions({
  queryKey: bulletinKeys.all,
  queryFn: ({ signal }) => apiRequest<BulletinList>('/api/bulletins', { signal }),
});

export const bulletinQuery = (id: number) =>
  queryOptions({ queryKey: bulletinKeys.one(id), queryFn: ({ signal }) => apiRequest<Bulletin>(`/api/bulletins/${id}`, { signal }) });

export const draftBulletin = (body: DraftBulletinBody) =>
  apiRequest<Bulletin>('/api/bulletins', { method: 'POST', body });

export const updateBulletin = (id: number, body: UpdateBulletinBody) =>
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
