import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Space, Table } from 'antd';
import { fieldKeys, type SchoolType } from '../../standard/index.ts';
import { isOneOf } from '../shared/one-of';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { findingsOf, staffKeys, type StaffRecord } from './staff-api';
import { plainValue } from './staff-form-model';
import { ReasonModal } from '../workflow/ReasonModal';
import { acceptCorrection, correctionsQuery, rejectCorrection, type Correction } from '../workflow/workflow-api';

type Row = Correction['fields'][number];

/** 更正申请: what the person asked to change (old → new, with notes); the school accepts or rejects it. */
export function CorrectionPanel({ record, schoolType }: { record: StaffRecord; schoolType: SchoolType }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [rejecting, setRejecting] = useState(false);
  const query = useQuery(correctionsQuery(record.id));
  const pending = query.data?.items.find((item) => item.status === 'pending');
  const done = async (text: string) => {
    setRejecting(false);
    await queryClient.invalidateQueries({ queryKey: staffKeys.one(record.id) });
    void message.success(text);
  };
  const accept = useMutation({
    mutationFn: (id: number) => acceptCorrection(id),
    onSuccess: () => done(t('workflow.accepted')),
    onError: (error) => {
      if (!findingsOf(error)) void message.error(errorText(error, lang));
    },
  });
  const reject = useMutation({
    mutationFn: ({ id, reason }: { id: number; reason: string }) => rejectCorrection(id, reason),
    onSuccess: () => done(t('workflow.rejected')),
    onError: (error) => void message.error(errorText(error, lang)),
  });
  if (!pending) return null;
  const findings = findingsOf(accept.error);
  const none = (value: string | null) => value ?? t('common.none');
  // Coded values in words ('1' → '男'), as the record page shows them.
  const plain = (row: Row, value: string | null) => (isOneOf(fieldKeys, row.field) ? plainValue(row.field, value, schoolType) : value) ?? t('common.none');

  return (
    <Card size="small" title={t('workflow.correction')} className="rc-correction-card" data-testid="correction-panel">
      <Table<Row>
        rowKey="field"
        size="small"
        pagination={false}
        dataSource={pending.fields}
        columns={[
          { title: t('workflow.field'), dataIndex: 'label', width: 140 },
          { title: t('workflow.change'), key: 'change', render: (_, row) => <span><s>{plain(row, row.before)}</s> → <b>{plain(row, row.after)}</b></span> },
          { title: t('workflow.correctionNote'), dataIndex: 'note', render: none },
        ]}
      />
      {findings && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          title={t('workflow.acceptRefused')}
          description={findings.map((finding, index) => <div key={index}>{lang === 'en' ? finding.messageEn : finding.message}</div>)}
        />
      )}
      <Space style={{ marginTop: 12 }}>
        <Button type="primary" loading={accept.isPending} onClick={() => accept.mutate(pending.id)} data-testid="correction-accept">
          {t('workflow.accept')}
        </Button>
        <Button danger onClick={() => setRejecting(true)} data-testid="correction-reject">{t('workflow.reject')}</Button>
      </Space>
      <ReasonModal
        title={t('workflow.rejectTitle')}
        open={rejecting}
        loading={reject.isPending}
        onCancel={() => setRejecting(false)}
        onSubmit={(reason) => reject.mutate({ id: pending.id, reason })}
      />
    </Card>
  );
}
