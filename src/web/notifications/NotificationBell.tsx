import { useState } from 'react';
import { Badge, Button, Dropdown, Empty, List, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../shared/I18nProvider';
import { listNotifications, markRead, notificationKeys, type Notification } from './notifications-api';

/** Links the app can follow itself; anything else is left alone. */
const appRoute = /^\/(units|packages|staff|accounts|standard)(\/|$)/;

/** The header bell: unread count, the latest notifications, mark read, follow a link of the app. */
export function NotificationBell() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const notifications = useQuery({ queryKey: notificationKeys.all, queryFn: ({ signal }) => listNotifications(signal), refetchInterval: 60_000 });
  const read = useMutation({ mutationFn: markRead, onSuccess: () => void queryClient.invalidateQueries({ queryKey: notificationKeys.all }) });
  const unread = notifications.data?.unread ?? 0;
  const [open, setOpen] = useState(false);

  const follow = (item: Notification) => {
    if (!item.read) read.mutate(item.id);
    if (item.link && appRoute.test(item.link)) {
      setOpen(false);
      navigate(item.link);
    }
  };

  const panel = (
    <div className="rc-notifications" data-testid="notifications-panel">
      <div className="rc-notifications-head">
        <Typography.Text strong>{t('notifications.title')}</Typography.Text>
        {unread > 0 && (
          <Button type="link" size="small" onClick={() => read.mutate(undefined)}>
            {t('notifications.markAll')}
          </Button>
        )}
      </div>
      {notifications.data?.items.length ? (
        <List
          size="small"
          dataSource={notifications.data.items}
          renderItem={(item) => (
            <List.Item className={item.read ? 'rc-notification' : 'rc-notification rc-notification-unread'} onClick={() => follow(item)}>
              <List.Item.Meta
                title={item.title}
                description={
                  <>
                    <div>{item.body}</div>
                    <Typography.Text type="secondary">{dayjs(item.createdAt).format('YYYY-MM-DD HH:mm')}</Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />
      )}
    </div>
  );

  return (
    <Dropdown popupRender={() => panel} trigger={['click']} placement="bottomRight" open={open} onOpenChange={setOpen}>
      <button type="button" className="rc-bell-button" aria-label={t('notifications.title')} title={unread > 0 ? t('notifications.unread', { count: unread }) : t('notifications.title')} data-testid="notification-bell">
        <Badge count={unread} size="small">
          <BellOutlined className="rc-bell-icon" />
        </Badge>
      </button>
    </Dropdown>
  );
}
