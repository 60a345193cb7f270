import { Alert, Button, Descriptions, Typography } from 'antd';
import { useI18n } from '../shared/I18nProvider';
import type { OwnRecord } from './confirm-api';

type Props = { record: OwnRecord; confirming: boolean; onConfirm: () => void; onCorrect: () => void };

/** One's own record in plain words (label: value), the school's answer to a last request, and the two choices. */
export function OwnRecordView({ record, confirming, onConfirm, onCorrect }: Props) {
  const { t, lang } = useI18n();
  const last = record.lastRequest;
  const canAnswer = record.status === 'awaiting_confirmation';
  return (
    <div className="rc-confirm-card" data-testid="confirm-record">
      <Typography.Text type="secondary">{record.schoolName}</Typography.Text>
      {last?.status === 'rejected' && (
        <Alert
          type="warning"
          showIcon
          title={t('confirm.lastRejected')}
          description={last.reason ? t('confirm.reason', { reason: last.reason }) : undefined}
          data-testid="confirm-last-rejected"
        />
      )}
      {last?.status === 'pending' && <Alert type="info" showIcon title={t('confirm.lastPending')} />}
      {canAnswer && <Typography.Paragraph>{t('confirm.recordHint')}</Typography.Paragraph>}
      <Descriptions
        column={1}
        size="small"
        bordered
        className="rc-confirm-fields"
        items={record.fields.map((field) => ({
          key: field.key,
          label: lang === 'en' ? field.labelEn : field.label,
          children: field.display || t('common.none'),
        }))}
      />
      {canAnswer && (
        <div className="rc-confirm-actions">
          <Button type="primary" block size="large" loading={confirming} onClick={onConfirm} data-testid="confirm-ok">
            {t('confirm.ok')}
          </Button>
          <Button block size="large" onClick={onCorrect} data-testid="confirm-correct">{t('confirm.correct')}</Button>
        </div>
      )}
    </div>
  );
}
