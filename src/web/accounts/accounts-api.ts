import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiRequest, type Paged } from '../shared/api-client';
import type { Role, UnitRef } from '../auth/auth-api';

/** An account as the accounts API presents it. */
export type Account = {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unit: UnitRef;
  disabled: boolean;
  locked: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  version: number;
  createdAt: string;
  abilities: { update: boolean };
};

export type AccountListQuery = { unitCode?: string; onlyUnit?: 'true'; role?: Role; q?: string; page: number; pageSize: number };
export type NewAccount = { username: string; displayName: string; role: Role; unitCode: string; password: string };
export type AccountPatch = { version: number; displayName?: string; role?: Role; unitCode?: string; disabled?: boolean };

export const accountKeys = {
  all: ['accounts'] as const,
  list: (query: AccountListQuery) => ['accounts', 'list', query] as const,
  one: (id: number) => ['accounts', id] as const,
};

export const accountsQuery = (query: AccountListQuery) =>
  queryOptions({
    queryKey: accountKeys.list(query),
    queryFn: ({ signal }) => apiRequest<Paged<Account>>('/api/accounts', { query, signal }),
    placeholderData: keepPreviousData,
  });

export function getAccount(id: number): Promise<Account> {
  return apiRequest<Account>(`/api/accounts/${id}`);
}

export function createAccount(input: NewAccount): Promise<Account> {
  return apiRequest<Account>('/api/accounts', { method: 'POST', body: input });
}

export function updateAccount(id: number, patch: AccountPatch): Promise<Account> {
  return apiRequest<Account>(`/api/accounts/${id}`, { method: 'PATCH', body: patch });
}

export function resetAccountPassword(id: number, password: string): Promise<Account> {
  return apiRequest<Account>(`/api/accounts/${id}/reset-password`, { method: 'POST', body: { password } });
}

export function unlockAccount(id: number): Promise<Account> {
  return apiRequest<Account>(`/api/accounts/${id}/unlock`, { method: 'POST' });
}
