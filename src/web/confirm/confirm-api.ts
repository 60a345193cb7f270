import { apiRequest, isApiError } from '../shared/api-client';
import type { ConfirmSession, CorrectionInput, OwnRecord } from '../../contract/confirmation.schema';

export type { CorrectionInput, OwnField, OwnRecord } from '../../contract/confirmation.schema';

// The token lives in this tab only: closing it ends the session on this phone.
const tokenKey = 'rollcall.confirm.token';

export const confirmToken = {
  get: () => sessionStorage.getItem(tokenKey),
  set: (token: string) => sessionStorage.setItem(tokenKey, token),
  clear: () => sessionStorage.removeItem(tokenKey),
};

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` }, handleUnauthorized: false });

export function openSession(code: string, idSuffix: string): Promise<ConfirmSession> {
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
