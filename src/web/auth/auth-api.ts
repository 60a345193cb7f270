import { apiRequest } from '../shared/api-client';

import type { Session } from '../../contract/auth.schema';

export { roles, type Role } from '../../contract/roles';
export type { UnitKind } from '../../contract/units';
export type { Session, SessionUser, UnitRef } from '../../contract/auth.schema';

export const sessionQueryKey = ['session'] as const;

export function fetchSession(signal?: AbortSignal): Promise<Session> {
  return apiRequest<Session>('/api/auth/me', { signal, handleUnauthorized: false });
}

export function login(credentials: { username: string; password: string }): Promise<Session> {
  return apiRequest<Session>('/api/auth/login', { method: 'POST', body: credentials, handleUnauthorized: false });
}

export function logout(): Promise<void> {
  return apiRequest<void>('/api/auth/logout', { method: 'POST', handleUnauthorized: false });
}

export function changePassword(input: { currentPassword: string; newPassword: string }): Promise<void> {
  return apiRequest<void>('/api/auth/password', { method: 'POST', body: input });
}

/**
 * The shape the server asks of a password (10–128 characters, a letter and a digit), for form feedback before
 * sending; the server alone knows the common passwords and the unit codes, and names the rule it refuses by.
 */
export function meetsPasswordRule(password: string): boolean {
  return password.length >= 10 && password.length <= 128 && /[A-Za-z]/.test(password) && /\d/.test(password);
}
