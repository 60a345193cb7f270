import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { notifications } from '../db/schema.ts';

export type NotificationKind = 'package_returned' | 'package_approved' | 'package_received' | 'correction_requested' | 'conflict_raised' | 'question_received' | 'question_answered' | 'question_escalated' | 'announcement' | 'contacts_reported' | 'chain_stale' | 'school_moved' | 'sign_in_locked' | 'sign_in_attack';

/** Tells a unit's accounts something happened (call it in the transaction of the change). */
export async function notify(executor: Executor, items: { unitCode: string; kind: NotificationKind; title: string; body?: string; link?: string }[]) {
  if (items.length === 0) return;
  await executor.insert(notifications).values(items.map((item) => ({ ...item, body: item.body ?? null, link: item.link ?? null })));
}

export async function listNotifications(executor: Executor, unitCode: string, limit = 50) {
  const [items, [{ unread }]] = await Promise.all([
    executor.select().from(notifications).where(eq(notifications.unitCode, unitCode)).orderBy(desc(notifications.id)).limit(limit),
    executor.select({ unread: sql<number>`count(*)`.mapWith(Number) }).from(notifications).where(and(eq(notifications.unitCode, unitCode), isNull(notifications.readAt))),
  ]);
  return { items, unread };
}

export async function markRead(executor: Executor, unitCode: string, id?: number) {
  await executor
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.unitCode, unitCode), isNull(notifications.readAt), id === undefined ? undefined : eq(notifications.id, id)));
}
