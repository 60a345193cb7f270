import { App, Alert, Button, Form, Input } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { packageKeys, requestUnlock } from './packages-api';

/** After the deadline: ask the unit above to let submitted data change (申请解锁). */
export function UnlockRequestForm({ unitCode }: { unitCode: string }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason: string }>();
  const send = useMutation({
    mutationFn: (reason: string) => requestUnlock(unitCode, reason),
    onSuccess: () => {
      form.resetFields();
      void message.success(t('submission.unlockSent'));
      void queryClient.invalidateQueries({ queryKey: packageKeys.unlocks(unitCode) });
    },
    onError: (error) => void message.error(errorText(error, lang)),
  });
  return (
    <Form form={form} layout="vertical" onFinish={(values) => send.mutate(values.reason.trim())} data-testid="unlock-form">
      <Alert type="warning" showIcon title={t('submission.unlockIntro')} style={{ marginBottom: 12 }} />
      <Form.Item name="reason" label={t('submission.unlockReason')} rules={[{ required: true, whitespace: true, message: t('package.reasonRequired') }]}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Button htmlType="submit" loading={send.isPending}>
        {t('submission.unlock')}
      </Button>
    </Form>
  );
}
