import { Checkbox, Form, Input, Modal, Typography } from 'antd';
import { useI18n } from '../shared/I18nProvider';
import type { Package } from './packages-api';

/**
 * 确认接受人数差异: approving a package with fewer records than expected takes the reviewer's explicit
 * acceptance (and an optional note), recorded with the approval and shown to the levels above.
 */
export function ApproveShortfallModal({ pkg, open, loading, onCancel, onSubmit }: { pkg: Package; open: boolean; loading: boolean; onCancel: () => void; onSubmit: (note: string | undefined) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ accept: boolean; note?: string }>();
  return (
    <Modal
      title={t('package.acceptShortfall')}
      open={open}
      okText={t('package.approve')}
      cancelText={t('common.cancel')}
      confirmLoading={loading}
      onCancel={onCancel}
      onOk={() => void form.validateFields().then((values) => onSubmit(values.note?.trim() || undefined))}
      destroyOnHidden
      data-testid="shortfall-modal"
    >
      <Typography.Paragraph>
        {t('package.acceptShortfallIntro', {
          unit: pkg.unitName,
          records: pkg.recordCount.toLocaleString(),
          expected: pkg.expectedCount.toLocaleString(),
          count: (pkg.shortfall?.count ?? 0).toLocaleString(),
          explanation: pkg.explanation ?? '—',
        })}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="accept" valuePropName="checked" rules={[{ validator: (_, value) => (value ? Promise.resolve() : Promise.reject(new Error(t('package.acceptShortfallRequired')))) }]}>
          <Checkbox data-testid="shortfall-accept">{t('package.acceptShortfallCheck')}</Checkbox>
        </Form.Item>
        <Form.Item name="note" label={t('package.shortfallNote')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
