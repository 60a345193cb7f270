import type { Executor } from '../db/client.ts';
import type { NotificationKind } from '../../contract/notifications.schema.ts';
import { insertAnnouncementNotices, insertNotifications } from './notifications.repository.ts';

export { listNotifications, markRead, notifiedTitles } from './notifications.repository.ts';

export type { NotificationKind } from '../../contract/notifications.schema.ts';

/** Tells a unit's accounts something happened (call it in the transaction of the change). */
export async function notify(executor: Executor, items: { unitCode: string; kind: NotificationKind; title: string; body?: string; link?: string }[]) {
  if (items.length === 0) return;
  await insertNotifications(executor, items.map((item) => ({ ...item, body: item.body ?? null, link: item.link ?? null })));
}

/** Like `notify`, for many items: written 500 to a statement. */
export async function notifyInBatches(executor: Executor, items: { unitCode: string; kind: NotificationKind; title: string; body: string; link: string }[]) {
  for (let start = 0; start < items.length; start += 500) {
    await insertNotifications(executor, items.slice(start, start + 500));
  }
}

/** Tells every unit below `unit` of an announcement it published (call it in the publishing transaction). */
export async function notifySubtreeOfAnnouncement(executor: Executor, unit: { code: string; name: string; path: string }, title: string) {
  await insertAnnouncementNotices(executor, unit, `${unit.name} 发布公告：${title}`);
}
