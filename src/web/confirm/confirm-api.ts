import { apiRequest, isApiError } from '../shared/api-client';
import type { FieldKey } from '../../standard/index.ts';

/** One field of one's own record: the canonical value and how it reads ('1-男'). */
export type OwnField = { key: FieldKey; label: string; labelEn: string; value: string | null; display: string };

/** One's own record (GET /api/confirm/record) and the school's answer to the last request, if any. */
export type OwnRecord = {
  schoolName: string;
  schoolType: string;
  status: string;
  fields: OwnField[];
  lastRequest: { status: 'pending' | 'accepted' | 'rejected'; reason: string | null; fields: unknown; createdAt: string } | null;
};

export type CorrectionInput = { field: FieldKey; value: string | null; note?: string };

// The token lives in this tab only: closing it ends the session on this phone.
const tokenKey = 'rollcall.confirm.token';

export const confirmToken = {
  get: () => sessionStorage.getItem(tokenKey),
  set: (token: string) => sessionStorage.setItem(tokenKey, token),
  clear: () => sessionStorage.removeItem(tokenKey),
};

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` }, handleUnauthorized: false });

export function openSession(code: string, idSuffix: string): Promise<{ token: string; expiresAt: string }> {
  return apiRequest('/api/confirm/session', { method: 'POST', body: { code, idSuffix }, handleUnauthorized: false });
}

export function fetchOwnRecord(token: string, signal?: AbortSignal): Promise<OwnRecord> {
  return apiRequest<OwnRecord>('/api/confirm/record', { ...bearer(token), signal });
}

export function confirmOwnRecord(token: string): Promise<{ status: 'confirmed' }> {
  return apiRequest('/api/confirm/confirm', { ...bearer(token), method: 'POST' });
}

export function requestCorrections(token: string, fields: CorrectionInput[]): Promise<{ status: 'correction_requested' }> {
  return apiRequest('/api/confirm/corrections', { ...bearer(token), method: 'POST', body: { fields } });
}

/** Whether the session is gone (expired or spent): the person starts again from the code. */
export const sessionLost = (error: unknown) => isApiError(error, 401);
