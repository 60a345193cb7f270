import { Form, Input, Modal } from 'antd';
import { useI18n } from '../shared/I18nProvider';

type Props = { title: string; label?: string; placeholder?: string; open: boolean; loading: boolean; onCancel: () => void; onSubmit: (reason: string) => void };

/** Asks for the required reason of a return or a rejection (or the note of a paper confirmation). */
export function ReasonModal({ title, label, placeholder, open, loading, onCancel, onSubmit }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Modal
      title={title}
      open={open}
      destroyOnHidden
      confirmLoading={loading}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      onCancel={onCancel}
      onOk={() => void form.validateFields().then((values) => onSubmit(values.reason.trim()))}
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="reason" label={label ?? t('workflow.reason')} rules={[{ required: true, whitespace: true, message: t('workflow.reasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={500} autoFocus placeholder={placeholder} data-testid="reason-input" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
