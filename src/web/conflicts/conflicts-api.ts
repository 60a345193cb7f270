import { apiRequest } from '../shared/api-client';
import type { ConflictList, ConflictStatus } from '../../contract/conflicts.schema';

export { conflictStatuses } from '../../contract/conflicts.schema';
export type { Conflict, ConflictList, ConflictResolution, ConflictStatus } from '../../contract/conflicts.schema';

export const conflictKeys = {
  list: (code: string, status: ConflictStatus) => ['conflicts', code, status] as const,
};

export const listConflicts = (code: string, status: ConflictStatus, signal?: AbortSignal) =>
  apiRequest<ConflictList>(`/api/units/${encodeURIComponent(code)}/conflicts`, { query: { status }, signal });

/** The holder school lets the person go (调出): the conflict ends as a transfer. */
export const releaseConflict = (id: number, note: string) => apiRequest<{ status: 'resolved' }>(`/api/conflicts/${id}/release`, { method: 'POST', body: { note } });

/** The claimant withdraws its record (撤回申报): the conflict ends as a correction. */
export const withdrawConflict = (id: number, note: string) => apiRequest<{ status: 'resolved' }>(`/api/conflicts/${id}/withdraw`, { method: 'POST', body: { note } });
