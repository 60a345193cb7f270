import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Typography } from 'antd';
import { errorText } from '../shared/api-client';
import { applyFieldErrors, isFieldError } from '../shared/form-errors';
import { useI18n } from '../shared/I18nProvider';
import { changePassword } from './auth-api';
import { useNewPasswordRules } from './useNewPasswordRules';

type Values = { currentPassword: string; newPassword: string; confirm: string };
const fields = ['currentPassword', 'newPassword'] as const;

/**
 * 修改密码 (mounted while open): the current password, a new one meeting the rule, typed twice. `forced`: an
 * initial or reset password must be changed first — no way out but changing it or signing out (`onSignOut`).
 */
export function ChangePasswordModal({ onClose, forced }: { onClose: () => void; forced?: { onSignOut: () => void } }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const rules = useNewPasswordRules('newPassword');
  const mutation = useMutation({
    mutationFn: (values: Values) => changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword }),
    onSuccess: () => {
      void message.success(t('password.changed'));
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error, lang, fields),
  });

  return (
    <Modal
      open
      title={t(forced ? 'password.mustChangeTitle' : 'password.title')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      closable={!forced}
      mask={{ closable: !forced }}
      keyboard={!forced}
      footer={
        forced
          ? (_, { OkBtn }) => (
              <>
                <Button onClick={forced.onSignOut} data-testid="must-change-sign-out">{t('password.signOut')}</Button>
                <OkBtn />
              </>
            )
          : undefined
      }
    >
      {forced && <Typography.Paragraph>{t('password.mustChangeIntro')}</Typography.Paragraph>}
      {mutation.error && !isFieldError(mutation.error, fields) && <Alert type="error" showIcon title={errorText(mutation.error, lang)} style={{ marginBottom: 16 }} />}
      <Form<Values> form={form} layout="vertical" onFinish={(values) => mutation.mutate(values)}>
        <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('password.currentRequired') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('password.new')} extra={t('password.rule')} rules={rules.password}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="confirm" label={t('password.confirm')} dependencies={['newPassword']} rules={rules.confirm}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
