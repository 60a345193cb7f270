import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Space, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { recordStateLabels } from '../../contract/record-states';
import { fieldByKey, type FieldKey, type SchoolType } from '../../standard/index.ts';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { plainValue } from './staff-form-model';
import { ConfirmedViaTag } from './ConfirmedViaTag';
import { historyQuery, type ConfirmationBatch, type FieldChange } from '../workflow/workflow-api';

function ChangeList({ changes, schoolType }: { changes: Record<string, FieldChange>; schoolType: SchoolType }) {
  const { t, lang } = useI18n();
  const known = (key: string): key is FieldKey => key in fieldByKey;
  const plain = (key: string, value: string | null) => (known(key) ? plainValue(key, value, schoolType) : value) ?? t('common.none');
  const label = (key: string) => (known(key) ? fieldByKey[key][lang === 'en' ? 'labelEn' : 'label'] : key);
  return (
    <ul className="rc-change-list">
      {Object.entries(changes).map(([key, change]) => (
        <li key={key}>
          {label(key)}：<s>{plain(key, change.before)}</s> → <b>{plain(key, change.after)}</b>
        </li>
      ))}
    </ul>
  );
}

/** A paper registration's batch: its number (linking to the batch's records), size and note. */
function BatchLine({ batch, schoolCode }: { batch: ConfirmationBatch; schoolCode?: string }) {
  const { t } = useI18n();
  const title = t('workflow.batch', { id: batch.id });
  return (
    <div className="rc-history-batch" data-testid="history-batch" data-batch-id={batch.id}>
      <Space size={8} wrap>
        {schoolCode ? <Link to={`/units/${schoolCode}?tab=staff&batch=${batch.id}`} title={t('workflow.batchRecords')}>{title}</Link> : <span>{title}</span>}
        <Typography.Text type="secondary">{t('workflow.batchSize', { count: batch.recordCount })}</Typography.Text>
      </Space>
      <div>{t('workflow.batchNote')}：{batch.note}</div>
    </div>
  );
}

/**
 * 历史: every step of the record, who took it (学校/本人), from → to, its reason and field changes; a confirming
 * step says how the person confirmed (本人手机确认 / 学校登记纸质签字确认), a paper one with its batch.
 */
export function RecordHistory({ staffId, schoolType, schoolCode }: { staffId: number; schoolType: SchoolType; schoolCode?: string }) {
  const { t, lang } = useI18n();
  // Its key lies under the record's, so every change of the record refetches it.
  const query = useQuery(historyQuery(staffId));
  const items = query.data?.items ?? [];
  return (
    <Card size="small" title={t('workflow.history')} loading={query.isLoading} data-testid="record-history">
      {query.isError && <Alert type="error" showIcon title={errorText(query.error, lang)} />}
      {!query.isLoading && items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workflow.historyEmpty')} />}
      <Timeline
        items={items.map((item, index) => ({
          key: index,
          content: (
            <div>
              <Typography.Text strong>{t(`workflow.event.${item.event}`)}</Typography.Text>{' '}
              <Tag>{t(`workflow.actor.${item.actorKind}`)}</Tag>
              <ConfirmedViaTag via={item.confirmedVia} />
              <Typography.Text type="secondary">
                {item.from ? recordStateLabels[item.from][lang] : t('common.none')} → {recordStateLabels[item.to][lang]} · {dayjs(item.at).format('YYYY-MM-DD HH:mm')}
              </Typography.Text>
              {item.batch ? <BatchLine batch={item.batch} schoolCode={schoolCode} /> : item.reason && <div>{t(item.event === 'confirm_on_paper' ? 'workflow.batchNote' : 'workflow.reason')}：{item.reason}</div>}
              {item.changes && <ChangeList changes={item.changes} schoolType={schoolType} />}
            </div>
          ),
        }))}
      />
    </Card>
  );
}
