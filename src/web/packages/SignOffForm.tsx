import { App, Button, Form, Input, Space } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { packageKeys, signOff, submitPackage, type Submission } from './packages-api';

/** 负责人签字 (with the explanation when the counts differ) and 报送, as the unit's abilities allow. */
export function SignOffForm({ unitCode, submission }: { unitCode: string; submission: Submission }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ explanation?: string }>();
  const differs = submission.recordCount !== submission.expectedCount;
  const refresh = () => queryClient.invalidateQueries({ queryKey: packageKeys.all });
  const onError = (error: unknown) => void message.error(errorText(error, lang));
  const sign = useMutation({
    mutationFn: (explanation?: string) => signOff(unitCode, explanation),
    onSuccess: () => void refresh().then(() => message.success(t('submission.signed'))),
    onError,
  });
  const submit = useMutation({
    mutationFn: () => submitPackage(unitCode),
    onSuccess: () => void refresh().then(() => message.success(t('submission.submitted'))),
    onError,
  });

  return (
    <Form form={form} layout="vertical" onFinish={(values) => sign.mutate(values.explanation?.trim() || undefined)}>
      {submission.abilities.signOff && differs && (
        <Form.Item
          name="explanation"
          label={t('submission.explanation')}
          extra={t('submission.explanationHint', { records: submission.recordCount, expected: submission.expectedCount })}
          rules={[{ required: true, whitespace: true, message: t('submission.explanationRequired') }]}
        >
          <Input.TextArea rows={2} maxLength={500} data-testid="signoff-explanation" />
        </Form.Item>
      )}
      <Space>
        {submission.abilities.signOff && (
          <Button htmlType="submit" loading={sign.isPending} data-testid="signoff-button">
            {t('submission.signOff')}
          </Button>
        )}
        {submission.abilities.submit && (
          <Button type="primary" loading={submit.isPending} onClick={() => submit.mutate()} data-testid="submit-button">
            {t('submission.submit')}
          </Button>
        )}
      </Space>
    </Form>
  );
}
