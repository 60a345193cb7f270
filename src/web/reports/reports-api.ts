import { chinaDateTime, chinaDay } from '../../standard/normalize.ts';
import { apiRequest, apiUrl } from '../shared/api-client';
import type { ReceivedReports, RemarksResult, SignatureBody, SignatureStep, WeeklyReport, WeeklyReportList } from '../../contract/reports.schema';

export type { IssueTable, ReceivedReports, ReportState, ReportStatus, SignatureStep, WeeklyIssue, WeeklyReport, WeeklyReportList } from '../../contract/reports.schema';

const base = (code: string) => `/api/units/${encodeURIComponent(code)}/weekly-reports`;

export const reportKeys = {
  list: (code: string) => ['weekly-reports', code] as const,
  issue: (code: string, issue: number) => ['weekly-reports', code, issue] as const,
  received: (code: string, issue: number) => ['weekly-reports', code, issue, 'received'] as const,
};

export const getWeeklyReports = (code: string, signal?: AbortSignal) =>
  apiRequest<WeeklyReportList>(base(code), { signal });
export const getWeeklyReport = (code: string, issue: number, signal?: AbortSignal) => apiRequest<WeeklyReport>(`${base(code)}/${issue}`, { signal });
export const saveRemarks = (code: string, issue: number, remarks: string) =>
  apiRequest<RemarksResult>(`${base(code)}/${issue}/remarks`, { method: 'PUT', body: { remarks } });
export const signWeeklyReport = (code: string, issue: number, step: SignatureStep, signerName: string) =>
  apiRequest<WeeklyReport>(`${base(code)}/${issue}/signatures`, { method: 'POST', body: { step, signerName } satisfies SignatureBody });
export const submitWeeklyReport = (code: string, issue: number) => apiRequest<WeeklyReport>(`${base(code)}/${issue}/submit`, { method: 'POST', body: {} });
export const getReceivedReports = (code: string, issue: number, signal?: AbortSignal) => apiRequest<ReceivedReports>(`${base(code)}/${issue}/received`, { signal });
export const weeklyReportExportUrl = (code: string, issue: number) => apiUrl(`${base(code)}/${issue}/export`);
export const receivedExportUrl = (code: string, issue: number) => apiUrl(`${base(code)}/${issue}/received/export`);

/** A moment in China's time (UTC+8), whatever the browser's zone: deadlines are Beijing times. */
export function chinaTime(iso: string, withTime = true): string {
  return withTime ? chinaDateTime(iso) : chinaDay(new Date(iso));
}
