import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Dropdown, Space, Tooltip } from 'antd';
import { DownOutlined } from '@ant-design/icons';
import { ApiError, errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { useCurrentUser } from '../auth/SessionProvider';
import { accountKeys, unlockAccount, updateAccount, type Account } from './accounts-api';

/**
 * The actions of one account row: edit, unlock (shown when locked), and under “more” reset password and
 * disable/enable. Every change but editing asks for confirmation first.
 */
export function AccountActions({ account, onEdit, onResetPassword }: { account: Account; onEdit: () => void; onResetPassword: () => void }) {
  const { t, lang } = useI18n();
  const user = useCurrentUser();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const done = (text: string) => {
    void message.success(text);
    void queryClient.invalidateQueries({ queryKey: accountKeys.all });
  };
  const failed = (error: unknown) => {
    const stale = error instanceof ApiError && error.code === 'stale_version';
    void message.error(stale ? t('accounts.stale') : errorText(error, lang));
    if (stale) void queryClient.invalidateQueries({ queryKey: accountKeys.all });
  };
  const unlock = useMutation({
    mutationFn: () => unlockAccount(account.id),
    onSuccess: () => done(t('accounts.unlocked', { username: account.username })),
    onError: failed,
  });
  const toggle = useMutation({
    mutationFn: () => updateAccount(account.id, { version: account.version, disabled: !account.disabled }),
    onSuccess: (updated) => done(t(updated.disabled ? 'accounts.disabledDone' : 'accounts.enabledDone', { username: account.username })),
    onError: failed,
  });

  const confirm = (content: string, danger: boolean, run: () => Promise<unknown>) =>
    modal.confirm({
      title: content,
      okText: t('common.confirm'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger },
      onOk: () => run().catch(() => undefined),
    });

  if (!account.abilities.update) {
    return (
      <Tooltip title={t(account.id === user.id ? 'accounts.self' : 'accounts.peerAdmin')}>
        <Button type="link" size="small" disabled>{t('common.edit')}</Button>
      </Tooltip>
    );
  }
  const more = [
    { key: 'reset', label: t('accounts.resetPassword') },
    { key: 'toggle', label: t(account.disabled ? 'accounts.enable' : 'accounts.disable'), danger: !account.disabled },
  ];
  return (
    <Space size={0}>
      <Button type="link" size="small" onClick={onEdit}>{t('common.edit')}</Button>
      {account.locked && (
        <Button
          type="link"
          size="small"
          loading={unlock.isPending}
          onClick={() => confirm(t('accounts.unlockConfirm', { username: account.username }), false, () => unlock.mutateAsync())}
        >
          {t('accounts.unlock')}
        </Button>
      )}
      <Dropdown
        trigger={['click']}
        menu={{
          items: more,
          onClick: ({ key }) => {
            if (key === 'reset') onResetPassword();
            if (key === 'toggle') {
              const question = t(account.disabled ? 'accounts.enableConfirm' : 'accounts.disableConfirm', { username: account.username });
              confirm(question, !account.disabled, () => toggle.mutateAsync());
            }
          },
        }}
      >
        <Button type="link" size="small" loading={toggle.isPending}>
          {t('accounts.more')} <DownOutlined />
        </Button>
      </Dropdown>
    </Space>
  );
}
