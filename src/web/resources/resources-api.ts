import { apiRequest, apiUpload } from '../shared/api-client';
import type { Announcement, Resources } from '../../contract/resources.schema';

export type { Announcement, LibraryFile, Resources } from '../../contract/resources.schema';

export const resourceKeys = { all: ['resources'] as const };

export const getResources = (signal?: AbortSignal) => apiRequest<Resources>('/api/resources', { signal });
export const publishAnnouncement = (unitCode: string, input: { title: string; body: string; pinned: boolean }) =>
  apiRequest<Announcement>(`/api/units/${unitCode}/announcements`, { method: 'POST', body: input });
export const uploadLibraryFile = (unitCode: string, title: string, file: File) => {
  const form = new FormData();
  // The title goes first: the server reads fields before the file.
  form.append('title', title);
  form.append('file', file);
  return apiUpload<{ id: number }>(`/api/units/${unitCode}/library`, form, () => {});
};
export const libraryFileUrl = (id: number) => `/api/library-files/${id}`;
export const removeAnnouncement = (id: number) => apiRequest<{ ok: true }>(`/api/announcements/${id}`, { method: 'DELETE' });
export const removeLibraryFile = (id: number) => apiRequest<{ ok: true }>(`/api/library-files/${id}`, { method: 'DELETE' });
