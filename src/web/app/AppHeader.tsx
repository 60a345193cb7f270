import { useState } from 'react';
import { App, Avatar, Dropdown, Layout, Space, Typography } from 'antd';
import { DownOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { ChangePasswordModal } from '../auth/ChangePasswordModal';
import { NotificationBell } from '../notifications/NotificationBell';
import { useCurrentUser, useSession } from '../auth/SessionProvider';
import { BrandMark } from '../shared/BrandMark';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { useI18n } from '../shared/I18nProvider';
import { useLabels } from '../shared/useLabels';

/** The top bar: product name, language switch, and the user's menu (change password, sign out). */
export function AppHeader() {
  const { t } = useI18n();
  const labels = useLabels();
  const user = useCurrentUser();
  const { signOut } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [changingPassword, setChangingPassword] = useState(false);

  const menu = {
    items: [
      { key: 'who', disabled: true, label: <Typography.Text type="secondary">{user.username}</Typography.Text> },
      { type: 'divider' as const },
      { key: 'password', icon: <KeyOutlined />, label: t('header.changePassword') },
      { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), danger: true },
    ],
    onClick: ({ key }: { key: string }) => {
      if (key === 'password') setChangingPassword(true);
      if (key === 'logout') {
        void signOut().then(() => {
          navigate('/login', { replace: true });
          void message.success(t('header.loggedOut'));
        });
      }
    },
  };

  return (
    <Layout.Header className="rc-header">
      <div className="rc-brand" onClick={() => navigate('/')} role="link" tabIndex={0} onKeyDown={(event) => event.key === 'Enter' && navigate('/')}>
        <BrandMark size={34} />
        <div className="rc-brand-text">
          <span className="rc-brand-name">{t('app.name')}</span>
          <span className="rc-brand-subtitle">{t('app.subtitle')}</span>
        </div>
      </div>
      <Space size="large" className="rc-header-right">
        <LanguageSwitch size="small" />
        <NotificationBell />
        <Dropdown menu={menu} trigger={['click']} placement="bottomRight">
          <button type="button" className="rc-user-button" data-testid="user-menu">
            <Avatar size="small" icon={<UserOutlined />} className="rc-user-avatar" />
            <span className="rc-user-text">
              <span className="rc-user-name">{user.displayName}</span>
              <span className="rc-user-meta">
                {user.unit.name} · {labels.role(user.role)}
              </span>
            </span>
            <DownOutlined className="rc-user-caret" />
          </button>
        </Dropdown>
      </Space>
      {changingPassword && <ChangePasswordModal onClose={() => setChangingPassword(false)} />}
    </Layout.Header>
  );
}
