import { apiRequest } from '../shared/api-client';

export type Notification = { id: number; kind: string; title: string; body: string; link: string | null; read: boolean; createdAt: string };

export const notificationKeys = { all: ['notifications'] as const };

export const listNotifications = (signal?: AbortSignal) => apiRequest<{ unread: number; items: Notification[] }>('/api/notifications', { signal });

/** Marks one notification read, or all of them when no id is given. */
export const markRead = (id?: number) => apiRequest<void>('/api/notifications/read', { method: 'POST', body: id === undefined ? {} : { id } });
