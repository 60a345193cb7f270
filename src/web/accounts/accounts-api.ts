import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiRequest, type Paged } from '../shared/api-client';
import type { Account, AccountListQuery, AccountPatch, NewAccount } from '../../contract/accounts.schema';

export type { Account, AccountListQuery, AccountPatch, NewAccount } from '../../contract/accounts.schema';

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
