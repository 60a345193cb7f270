import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { deleteStaff, staffKeys, type StaffRecord } from './staff-api';

/** 删除 a record with a reason (the server keeps it, soft-deleted, with the reason in the audit log). */
export function DeleteStaffModal({ record, onClose, onDeleted }: { record: StaffRecord; onClose: () => void; onDeleted: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason: string }>();
  const name = record.values.name ?? String(record.id);
  const mutation = useMutation({
    mutationFn: ({ reason }: { reason: string }) => deleteStaff(record.id, record.version, reason.trim()),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: staffKeys.one(record.id) });
      void queryClient.invalidateQueries({ queryKey: staffKeys.all });
      void message.success(t('staff.deleted', { name }));
      onDeleted();
    },
  });

  return (
    <Modal
      open
      title={t('staff.deleteTitle', { name })}
      okText={t('staff.delete')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={mutation.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Typography.Paragraph type="secondary">{t('staff.deleteHint')}</Typography.Paragraph>
      {mutation.error && <Alert type="error" showIcon title={errorText(mutation.error, lang)} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={(values) => mutation.mutate(values)}>
        <Form.Item name="reason" label={t('staff.deleteReason')} rules={[{ required: true, whitespace: true, message: t('staff.deleteReasonRequired') }]}>
          <Input.TextArea maxLength={200} showCount rows={3} placeholder={t('staff.deleteReasonPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
