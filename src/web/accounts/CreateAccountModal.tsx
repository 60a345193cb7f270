import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { errorText } from '../shared/api-client';
import { applyFieldErrors, isFieldError } from '../shared/form-errors';
import { useI18n } from '../shared/I18nProvider';
import { useLabels } from '../shared/useLabels';
import { useCurrentUser } from '../auth/SessionProvider';
import type { Role } from '../auth/auth-api';
import { useNewPasswordRules } from '../auth/useNewPasswordRules';
import { accountKeys, createAccount, type NewAccount } from './accounts-api';
import { UnitCodeField } from './UnitCodeField';

type Values = NewAccount & { confirm: string };
const fields = ['username', 'displayName', 'role', 'unitCode', 'password'] as const;

/** 新建账号 (mounted while open): username, name, role, unit by code, initial password typed twice. */
export function CreateAccountModal({ defaultUnitCode, onClose }: { defaultUnitCode: string; onClose: () => void }) {
  const { t, lang } = useI18n();
  const labels = useLabels();
  // A school's admin manages its own school only, where an admin account is made by the level above: it is not offered.
  const schoolAdmin = useCurrentUser().unit.kind === 'school';
  const roleOptions = schoolAdmin ? labels.roleOptions.filter((option) => option.value !== 'admin') : labels.roleOptions;
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const passwordRules = useNewPasswordRules('password');
  const mutation = useMutation({
    mutationFn: ({ confirm: _confirm, ...input }: Values) => createAccount({ ...input, username: input.username.trim(), displayName: input.displayName.trim() }),
    onSuccess: (account) => {
      void message.success(t('accounts.created', { username: account.username }));
      void queryClient.invalidateQueries({ queryKey: accountKeys.all });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error, lang, fields),
  });

  return (
    <Modal
      open
      title={t('accounts.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={560}
    >
      {mutation.error && !isFieldError(mutation.error, fields) && <Alert type="error" showIcon title={errorText(mutation.error, lang)} style={{ marginBottom: 16 }} />}
      <Form<Values> form={form} layout="vertical" initialValues={{ role: 'operator', unitCode: defaultUnitCode }} onFinish={(values) => mutation.mutate(values)}>
        <Form.Item
          name="username"
          label={t('accounts.field.username')}
          extra={t('accounts.field.usernameRule')}
          validateFirst
          rules={[
            { required: true, whitespace: true, message: t('accounts.field.usernameRequired') },
            { pattern: /^\s*[A-Za-z0-9_.@-]{3,64}\s*$/, message: t('accounts.field.usernameRule') },
          ]}
        >
          <Input autoComplete="off" maxLength={64} />
        </Form.Item>
        <Form.Item name="displayName" label={t('accounts.field.displayName')} rules={[{ required: true, whitespace: true, max: 50, message: t('accounts.field.displayNameRequired') }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="role" label={t('accounts.field.role')} rules={[{ required: true, message: t('accounts.field.roleRequired') }]}>
          <Select<Role> options={roleOptions} />
        </Form.Item>
        <UnitCodeField />
        <Form.Item name="password" label={t('accounts.field.password')} extra={t('password.rule')} rules={passwordRules.password}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="confirm" label={t('password.confirm')} dependencies={['password']} rules={passwordRules.confirm}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
