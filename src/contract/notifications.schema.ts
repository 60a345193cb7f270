import { z } from 'zod';

/**
 * What a notification (通知) is about. Besides the writers through `notify`, `announcement` and `deadline_soon`
 * are written by set-based inserts and `chain_stale` by the SQL function `mark_chain_stale`.
 */
export const notificationKinds = [
  'package_returned',
  'package_approved',
  'package_received',
  'correction_requested',
  'conflict_raised',
  'question_received',
  'question_answered',
  'question_escalated',
  'announcement',
  'contacts_reported',
  'chain_stale',
  'school_moved',
  'sign_in_locked',
  'sign_in_attack',
  'child_task_late',
  'weekly_report_submitted',
  'deadline_soon',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export const notificationSchema = z.object({
  id: z.number(),
  kind: z.enum(notificationKinds),
  title: z.string(),
  body: z.string().nullable(),
  link: z.string().nullable(),
  read: z.boolean(),
  createdAt: z.string(),
});

/** GET /api/notifications: the latest of the unit's notifications and how many are unread. */
export const notificationListSchema = z.object({ unread: z.number(), items: z.array(notificationSchema) });

/** POST /api/notifications/read: one notification, or all of them without an id. */
export const markReadBodySchema = z.object({ id: z.number().int().positive().optional() });

export type Notification = z.infer<typeof notificationSchema>;
export type NotificationList = z.infer<typeof notificationListSchema>;
