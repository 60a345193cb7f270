import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Form, Input, Modal, Select, Switch } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { ApiError, errorText } from '../shared/api-client';
import { applyFieldErrors, isFieldError } from '../shared/form-errors';
import { useI18n } from '../shared/I18nProvider';
import { useLabels } from '../shared/useLabels';
import { useCurrentUser } from '../auth/SessionProvider';
import type { Role } from '../auth/auth-api';
import { accountKeys, getAccount, updateAccount, type Account, type AccountPatch } from './accounts-api';

type Values = { displayName: string; role: Role; disabled: boolean };
const fields = ['displayName', 'role'] as const;

/** 编辑账号: name, role and standing, saved against the version shown (409 keeps the input and offers a reload). */
export function EditAccountModal({ account, onClose }: { account: Account; onClose: () => void }) {
  const { t, lang } = useI18n();
  const labels = useLabels();
  // A school's admin manages its own school only, where an admin account is made by the level above: it is not offered.
  const schoolAdmin = useCurrentUser().unit.kind === 'school';
  const roleOptions = schoolAdmin ? labels.roleOptions.filter((option) => option.value !== 'admin') : labels.roleOptions;
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [base, setBase] = useState(account);
  const mutation = useMutation({
    mutationFn: (patch: AccountPatch) => updateAccount(base.id, patch),
    onSuccess: () => {
      void message.success(t('accounts.saved'));
      void queryClient.invalidateQueries({ queryKey: accountKeys.all });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error, lang, fields),
  });
  const stale = mutation.error instanceof ApiError && mutation.error.code === 'stale_version';

  const save = (values: Values) => {
    const patch: AccountPatch = { version: base.version };
    if (values.displayName.trim() !== base.displayName) patch.displayName = values.displayName.trim();
    if (values.role !== base.role) patch.role = values.role;
    if (values.disabled !== base.disabled) patch.disabled = values.disabled;
    if (Object.keys(patch).length === 1) return onClose();
    mutation.mutate(patch);
  };

  const reload = async () => {
    try {
      setBase(await getAccount(base.id));
      mutation.reset();
      void queryClient.invalidateQueries({ queryKey: accountKeys.all });
    } catch (error) {
      void message.error(errorText(error, lang));
    }
  };

  return (
    <Modal
      open
      title={t('accounts.edit')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      {stale && (
        <Alert
          type="warning"
          showIcon
          title={t('accounts.stale')}
          description={t('accounts.staleHint')}
          action={<Button size="small" icon={<ReloadOutlined />} onClick={() => void reload()}>{t('school.reloadData')}</Button>}
          style={{ marginBottom: 16 }}
        />
      )}
      {mutation.error && !stale && !isFieldError(mutation.error, fields) && <Alert type="error" showIcon title={errorText(mutation.error, lang)} style={{ marginBottom: 16 }} />}
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'username', label: t('accounts.col.username'), children: <span className="rc-code">{base.username}</span> },
          { key: 'unit', label: t('accounts.col.unit'), children: `${base.unit.name}（${base.unit.code}）` },
        ]}
      />
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ displayName: account.displayName, role: account.role, disabled: account.disabled }}
        onFinish={save}
      >
        <Form.Item name="displayName" label={t('accounts.field.displayName')} rules={[{ required: true, whitespace: true, max: 50, message: t('accounts.field.displayNameRequired') }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="role" label={t('accounts.field.role')} rules={[{ required: true, message: t('accounts.field.roleRequired') }]}>
          <Select<Role> options={roleOptions} />
        </Form.Item>
        <Form.Item name="disabled" label={t('accounts.field.disabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
