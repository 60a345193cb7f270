import { Form, Input, Modal, Select, Typography } from 'antd';
import { useI18n } from '../shared/I18nProvider';
import { returnCategories, type PackageItem, type ReturnInput } from './packages-api';

type Props = { open: boolean; loading: boolean; selected: PackageItem[]; onCancel: () => void; onSubmit: (input: ReturnInput) => void };
type Values = { category: ReturnInput['category']; reason: string; rows?: Record<string, string | undefined> };

/** 退回: a category and a reason for the whole package, and optionally a reason per selected record. */
export function ReturnPackageModal({ open, loading, selected, onCancel, onSubmit }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const finish = (values: Values) => {
    const items = selected
      .map((item) => ({ staffId: item.staffId, reason: (values.rows?.[String(item.staffId)] ?? '').trim() }))
      .filter((item) => item.reason !== '');
    onSubmit({ category: values.category, reason: values.reason.trim(), ...(items.length > 0 ? { items } : {}) });
  };
  return (
    <Modal
      title={t('package.return')}
      open={open}
      destroyOnHidden
      confirmLoading={loading}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      onCancel={onCancel}
      onOk={() => void form.validateFields().then(finish)}
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ category: 'data_error' }}>
        <Form.Item name="category" label={t('package.returnCategory')} rules={[{ required: true }]}>
          <Select options={returnCategories.map((category) => ({ value: category, label: t(`package.category.${category}`) }))} data-testid="return-category" />
        </Form.Item>
        <Form.Item name="reason" label={t('package.reason')} rules={[{ required: true, whitespace: true, message: t('package.reasonRequired') }]}>
          <Input.TextArea rows={2} maxLength={500} data-testid="return-reason" />
        </Form.Item>
        {selected.length > 0 && (
          <>
            <Typography.Text strong>{t('package.rowReasons')}</Typography.Text>
            {selected.map((item) => (
              <Form.Item key={item.staffId} name={['rows', String(item.staffId)]} label={`${item.name}（${item.idNumber}）`} style={{ marginTop: 8, marginBottom: 8 }}>
                <Input maxLength={500} data-testid={`row-reason-${item.staffId}`} />
              </Form.Item>
            ))}
          </>
        )}
      </Form>
    </Modal>
  );
}
