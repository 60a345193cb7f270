/** Strings of the notification bell (通知). */
const zh = {
  'notifications.title': '通知',
  'notifications.unread': '{count} 条未读',
  'notifications.markAll': '全部标为已读',
  'notifications.empty': '暂无通知',
};

const en: Record<keyof typeof zh, string> = {
  'notifications.title': 'Notifications',
  'notifications.unread': '{count} unread',
  'notifications.markAll': 'Mark all read',
  'notifications.empty': 'No notifications',
};

export const notificationsMessages = { zh, en };
