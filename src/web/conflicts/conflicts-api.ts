import { apiRequest } from '../shared/api-client';

export type ConflictStatus = 'open' | 'resolved';

/** Two schools claim the same ID number (身份证件号冲突). */
export type Conflict = {
  id: number;
  idNumber: string;
  status: ConflictStatus;
  resolution: 'transfer' | 'correction' | null;
  note: string | null;
  holder: { code: string; name: string };
  claimant: { code: string; name: string; personName: string };
  createdAt: string;
  abilities: { release: boolean; withdraw: boolean };
};

export const conflictKeys = {
  list: (code: string, status: ConflictStatus) => ['conflicts', code, status] as const,
};

export const listConflicts = (code: string, status: ConflictStatus, signal?: AbortSignal) =>
  apiRequest<{ items: Conflict[] }>(`/api/units/${encodeURIComponent(code)}/conflicts`, { query: { status }, signal });

/** The holder school lets the person go (调出): the conflict ends as a transfer. */
export const releaseConflict = (id: number, note: string) => apiRequest<unknown>(`/api/conflicts/${id}/release`, { method: 'POST', body: { note } });

/** The claimant withdraws its record (撤回申报): the conflict ends as a correction. */
export const withdrawConflict = (id: number, note: string) => apiRequest<unknown>(`/api/conflicts/${id}/withdraw`, { method: 'POST', body: { note } });
