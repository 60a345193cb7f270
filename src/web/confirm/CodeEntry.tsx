import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { openSession } from './confirm-api';

type Values = { code: string; idSuffix: string };

/** The code from the slip (prefilled from the QR link) and the ID number's last six characters. */
export function CodeEntry({ initialCode, notice, onOpened }: { initialCode: string; notice: string | null; onOpened: (token: string) => void }) {
  const { t, lang } = useI18n();
  const open = useMutation({
    mutationFn: (values: Values) => openSession(values.code.trim().toUpperCase(), values.idSuffix.trim().toUpperCase()),
    onSuccess: (answer) => onOpened(answer.token),
  });
  return (
    <div className="rc-confirm-card" data-testid="confirm-entry">
      <Typography.Paragraph>{t('confirm.entryHint')}</Typography.Paragraph>
      {notice && !open.isError && <Alert type="warning" showIcon title={notice} style={{ marginBottom: 16 }} />}
      {open.isError && <Alert type="error" showIcon title={errorText(open.error, lang)} style={{ marginBottom: 16 }} data-testid="confirm-entry-error" />}
      <Form<Values> layout="vertical" size="large" initialValues={{ code: initialCode, idSuffix: '' }} onFinish={(values) => open.mutate(values)}>
        <Form.Item name="code" label={t('confirm.code')} rules={[{ required: true, whitespace: true, message: t('confirm.codeRequired') }]}>
          <Input id="confirm-code" autoComplete="off" autoCapitalize="characters" className="rc-confirm-code-input" maxLength={20} />
        </Form.Item>
        <Form.Item name="idSuffix" label={t('confirm.idSuffix')} rules={[{ required: true, whitespace: true, message: t('confirm.idSuffixRequired') }]}>
          <Input id="confirm-id-suffix" autoComplete="off" inputMode="text" maxLength={6} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={open.isPending} data-testid="confirm-open">
          {t('confirm.open')}
        </Button>
      </Form>
    </div>
  );
}
