import { apiRequest, apiUrl } from '../shared/api-client';
import type { AuditFilters, AuditPage } from '../../contract/audit.schema';

export type { AuditEvent, AuditFilters, AuditPage } from '../../contract/audit.schema';

export const auditKeys = {
  list: (code: string, filters: AuditFilters) => ['audit', code, filters] as const,
};

export function getAuditPage(code: string, filters: AuditFilters, before: number | undefined, signal?: AbortSignal): Promise<AuditPage> {
  return apiRequest<AuditPage>(`/api/units/${encodeURIComponent(code)}/audit`, { query: { ...filters, before, pageSize: 50 }, signal });
}

export const auditExportUrl = (code: string, filters: AuditFilters) => apiUrl(`/api/units/${encodeURIComponent(code)}/audit/export`, filters);
