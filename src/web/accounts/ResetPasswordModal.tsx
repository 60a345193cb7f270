import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { errorText } from '../shared/api-client';
import { applyFieldErrors, isFieldError } from '../shared/form-errors';
import { useI18n } from '../shared/I18nProvider';
import { useNewPasswordRules } from '../auth/useNewPasswordRules';
import { accountKeys, resetAccountPassword, type Account } from './accounts-api';

type Values = { password: string; confirm: string };

/** 重置密码: an admin sets a new password for an account of the jurisdiction. */
export function ResetPasswordModal({ account, onClose }: { account: Account; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const rules = useNewPasswordRules('password');
  const mutation = useMutation({
    mutationFn: (values: Values) => resetAccountPassword(account.id, values.password),
    onSuccess: () => {
      void message.success(t('accounts.passwordReset', { username: account.username }));
      void queryClient.invalidateQueries({ queryKey: accountKeys.all });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error, lang, ['password']),
  });

  return (
    <Modal
      open
      title={t('accounts.resetPasswordOf', { username: account.username })}
      okText={t('accounts.resetPassword')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Typography.Paragraph type="secondary">{t('accounts.resetPasswordHint')}</Typography.Paragraph>
      {mutation.error && !isFieldError(mutation.error, ['password']) && <Alert type="error" showIcon title={errorText(mutation.error, lang)} style={{ marginBottom: 16 }} />}
      <Form<Values> form={form} layout="vertical" onFinish={(values) => mutation.mutate(values)}>
        <Form.Item name="password" label={t('password.new')} extra={t('password.rule')} rules={rules.password}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="confirm" label={t('password.confirm')} dependencies={['password']} rules={rules.confirm}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
