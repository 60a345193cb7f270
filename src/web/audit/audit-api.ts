import { apiRequest, apiUrl } from '../shared/api-client';

/** One audit event (GET /api/units/{code}/audit); personal numbers arrive masked unless the reader may see them. */
export type AuditEvent = {
  id: number;
  at: string;
  actor: { username: string | null; unitCode: string | null };
  unit: { code: string; name: string | null } | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  ip: string | null;
};

export type AuditFilters = { action?: string; actor?: string; from?: string; to?: string };
export type AuditPage = { items: AuditEvent[]; nextBefore: number | null };

export const auditKeys = {
  list: (code: string, filters: AuditFilters) => ['audit', code, filters] as const,
};

export function getAuditPage(code: string, filters: AuditFilters, before: number | undefined, signal?: AbortSignal): Promise<AuditPage> {
  return apiRequest<AuditPage>(`/api/units/${encodeURIComponent(code)}/audit`, { query: { ...filters, before, pageSize: 50 }, signal });
}

export const auditExportUrl = (code: string, filters: AuditFilters) => apiUrl(`/api/units/${encodeURIComponent(code)}/audit/export`, filters);
