import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '../shared/api-client';
import type { ConfirmedVia, RecordActor, RecordEvent, RecordState } from '../../contract/record-states';
import type { StaffRecord } from '../../contract/staff.schema';
import { issuedCodesSchema, type Correction, type CorrectionDecision } from '../../contract/confirmation.schema';

/** The school's steps that go through the transitions endpoint. */
export type SchoolStep = 'send_for_confirmation' | 'confirm_on_paper' | 'approve' | 'return';
export const schoolSteps: readonly SchoolStep[] = ['send_for_confirmation', 'confirm_on_paper', 'approve', 'return'];
/** The steps that ask the school for a reason (a return) or a note (where the signed slip is kept). */
export const stepsWithReason: readonly SchoolStep[] = ['confirm_on_paper', 'return'];

export type FieldChange = { before: string | null; after: string | null };

/** One step of a record's life (GET /api/staff/{id}/history). */
export type HistoryItem = {
  event: RecordEvent;
  from: RecordState | null;
  to: RecordState;
  actorKind: RecordActor;
  actorId: number | null;
  reason: string | null;
  changes: Record<string, FieldChange> | null;
  /** The kind of confirmation the step gave: phone (confirm, accept_correction) or paper (confirm_on_paper). */
  confirmedVia: ConfirmedVia | null;
  /** The paper confirmation batch of the step, with its note and size. */
  batch: ConfirmationBatch | null;
  at: string;
};

/** 纸质确认批次: one registration of signed paper slips (one record or many), with its note. */
export type ConfirmationBatch = { id: number; note: string; recordCount: number; createdAt: string };

export type { Correction } from '../../contract/confirmation.schema';

export const workflowKeys = {
  history: (id: number) => ['staff', id, 'history'] as const,
  corrections: (id: number) => ['staff', id, 'corrections'] as const,
};

export const historyQuery = (id: number) =>
  queryOptions({
    queryKey: workflowKeys.history(id),
    queryFn: ({ signal }) => apiRequest<{ items: HistoryItem[] }>(`/api/staff/${id}/history`, { signal }),
  });

export const correctionsQuery = (id: number) =>
  queryOptions({
    queryKey: workflowKeys.corrections(id),
    queryFn: ({ signal }) => apiRequest<{ items: Correction[] }>(`/api/staff/${id}/corrections`, { signal }),
  });

export function transitionRecord(id: number, event: SchoolStep, version: number, reason?: string): Promise<StaffRecord> {
  return apiRequest<StaffRecord>(`/api/staff/${id}/transitions`, { method: 'POST', body: { event, version, reason } });
}

export type BulkResult = {
  done: number;
  results: { id: number; ok: boolean; error?: { code: string; message: string; messageEn: string } }[];
  /** The batch a paper registration made (null when nothing was confirmed, or for other steps). */
  batch: { id: number; recordCount: number } | null;
};

export function transitionMany(schoolCode: string, event: SchoolStep, ids: number[], reason?: string): Promise<BulkResult> {
  return apiRequest<BulkResult>(`/api/schools/${encodeURIComponent(schoolCode)}/staff/transitions`, { method: 'POST', body: { event, ids, reason } });
}

export function acceptCorrection(id: number): Promise<CorrectionDecision> {
  return apiRequest(`/api/corrections/${id}/accept`, { method: 'POST' });
}

export function rejectCorrection(id: number, reason: string): Promise<CorrectionDecision> {
  return apiRequest(`/api/corrections/${id}/reject`, { method: 'POST', body: { reason } });
}

export type IssueAnswer = z.infer<typeof issuedCodesSchema>;
export type IssuedCode = IssueAnswer['issued'][number];

export function issueConfirmationCodes(schoolCode: string, ids: number[]): Promise<IssueAnswer> {
  return apiRequest<IssueAnswer>(`/api/schools/${encodeURIComponent(schoolCode)}/confirmation-codes`, { method: 'POST', body: { ids } });
}

/** A school's records by state against its expected staff (GET /api/schools/{code}/staff/summary). */
export type StaffSummary = {
  expectedStaff: number;
  total: number;
  difference: number;
  byStatus: Partial<Record<RecordState, number>>;
  /** Of the confirmed and approved records: how many by phone, how many on paper. */
  confirmedVia: Record<ConfirmedVia, number>;
  pendingCorrections: number;
};

export const summaryQuery = (schoolCode: string) =>
  queryOptions({
    queryKey: ['staff', 'summary', schoolCode] as const,
    queryFn: ({ signal }) => apiRequest<StaffSummary>(`/api/schools/${encodeURIComponent(schoolCode)}/staff/summary`, { signal }),
  });

/** The slips of one issue, kept for this tab only: the codes are shown once and cannot be fetched again. */
const slipBatchSchema = z.object({ schoolCode: z.string(), schoolName: z.string(), issuedAt: z.string(), issued: issuedCodesSchema.shape.issued });
export type SlipBatch = z.infer<typeof slipBatchSchema>;

const slipsKey = (schoolCode: string) => `rollcall.slips.${schoolCode}`;

export function keepSlips(batch: SlipBatch): void {
  sessionStorage.setItem(slipsKey(batch.schoolCode), JSON.stringify(batch));
}

export function keptSlips(schoolCode: string): SlipBatch | null {
  const text = sessionStorage.getItem(slipsKey(schoolCode));
  if (!text) return null;
  try {
    // Kept by this tab, but read back as any stored text: a batch that no longer parses is none.
    const kept = slipBatchSchema.safeParse(JSON.parse(text));
    return kept.success ? kept.data : null;
  } catch {
    return null;
  }
}

export function forgetSlips(schoolCode: string): void {
  sessionStorage.removeItem(slipsKey(schoolCode));
}
