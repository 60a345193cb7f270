import { apiRequest } from '../shared/api-client';
import type { NotificationList } from '../../contract/notifications.schema';

export type { Notification, NotificationKind, NotificationList } from '../../contract/notifications.schema';

export const notificationKeys = { all: ['notifications'] as const };

export const listNotifications = (signal?: AbortSignal) => apiRequest<NotificationList>('/api/notifications', { signal });

/** Marks one notification read, or all of them when no id is given. */
export const markRead = (id?: number) => apiRequest<void>('/api/notifications/read', { method: 'POST', body: id === undefined ? {} : { id } });
