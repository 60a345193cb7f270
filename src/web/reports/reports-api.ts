import { chinaDateTime, chinaDay } from '../../standard/normalize.ts';
import { apiRequest, apiUrl, type Messages } from '../shared/api-client';

export type SignatureStep = 'preparer' | 'department_head' | 'bureau_leader';
export type ReportStatus = 'draft' | SignatureStep | 'submitted';
export type WeeklyIssue = { issueNo: number; content: string; date: string; dueAt: string };
export type ReportState = { status: ReportStatus; late: boolean | null; submittedAt: string | null; frozen: boolean; overdue: boolean };
export type IssueTable = { columns: Messages[]; rows: { label: string; values: number[]; total?: boolean }[] };

/** GET /api/units/{code}/weekly-reports/{issue}: one issue in the attachment's layout. */
export type WeeklyReport = ReportState & {
  id: number;
  unit: { code: string; name: string; kind: string; parentCode: string | null };
  issue: WeeklyIssue;
  remarks: string | null;
  /** A draft of 备注 from the figures. */
  suggestedRemarks: string;
  version: number;
  figures: { asOf: string; live: boolean; subunitLabel: string; subunitCount: number };
  table: IssueTable;
  signatures: { step: SignatureStep; label: Messages; signerName: string | null; signedAt: string | null }[];
  abilities: { editRemarks: boolean; sign: SignatureStep | null; submit: boolean };
};

export type ReceivedReports = {
  issue: WeeklyIssue | null;
  table: IssueTable;
  items: (ReportState & { unit: { code: string; name: string; kind: string }; asOf: string; live: boolean })[];
};

const base = (code: string) => `/api/units/${encodeURIComponent(code)}/weekly-reports`;

export const reportKeys = {
  list: (code: string) => ['weekly-reports', code] as const,
  issue: (code: string, issue: number) => ['weekly-reports', code, issue] as const,
  received: (code: string, issue: number) => ['weekly-reports', code, issue, 'received'] as const,
};

export const getWeeklyReports = (code: string, signal?: AbortSignal) =>
  apiRequest<{ level: string; items: (ReportState & { issue: WeeklyIssue })[] }>(base(code), { signal });
export const getWeeklyReport = (code: string, issue: number, signal?: AbortSignal) => apiRequest<WeeklyReport>(`${base(code)}/${issue}`, { signal });
export const saveRemarks = (code: string, issue: number, remarks: string) =>
  apiRequest<WeeklyReport & { revoked: SignatureStep[] }>(`${base(code)}/${issue}/remarks`, { method: 'PUT', body: { remarks } });
export const signWeeklyReport = (code: string, issue: number, step: SignatureStep, signerName: string) =>
  apiRequest<WeeklyReport>(`${base(code)}/${issue}/signatures`, { method: 'POST', body: { step, signerName } });
export const submitWeeklyReport = (code: string, issue: number) => apiRequest<WeeklyReport>(`${base(code)}/${issue}/submit`, { method: 'POST', body: {} });
export const getReceivedReports = (code: string, issue: number, signal?: AbortSignal) => apiRequest<ReceivedReports>(`${base(code)}/${issue}/received`, { signal });
export const weeklyReportExportUrl = (code: string, issue: number) => apiUrl(`${base(code)}/${issue}/export`);
export const receivedExportUrl = (code: string, issue: number) => apiUrl(`${base(code)}/${issue}/received/export`);

/** A moment in China's time (UTC+8), whatever the browser's zone: deadlines are Beijing times. */
export function chinaTime(iso: string, withTime = true): string {
  return withTime ? chinaDateTime(iso) : chinaDay(new Date(iso));
}
