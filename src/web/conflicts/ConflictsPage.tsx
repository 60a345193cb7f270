import { useState } from 'react';
import { App, Button, Card, Result, Space, Spin, Table, Tabs, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Link, useParams } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { unitQuery } from '../org/unit-queries';
import { UnitHeader } from '../org/UnitHeader';
import { ReasonModal } from '../workflow/ReasonModal';
import { conflictKeys, conflictStatuses, listConflicts, releaseConflict, withdrawConflict, type Conflict, type ConflictStatus } from './conflicts-api';

type Step = { conflict: Conflict; kind: 'release' | 'withdraw' };

/** 身份证件号冲突: the unit's open and resolved conflicts; the holder releases (调出), the claimant withdraws (撤回申报). */
export function ConflictsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const code = useParams().code ?? '';
  const [status, setStatus] = useState<ConflictStatus>('open');
  const [step, setStep] = useState<Step | null>(null);
  const unit = useQuery(unitQuery(code));
  const conflicts = useQuery({ queryKey: conflictKeys.list(code, status), queryFn: ({ signal }) => listConflicts(code, status, signal) });
  const resolve = useMutation({
    mutationFn: ({ conflict, kind, note }: Step & { note: string }) => (kind === 'release' ? releaseConflict(conflict.id, note) : withdrawConflict(conflict.id, note)),
    onSuccess: () => {
      setStep(null);
      void message.success(t('conflicts.done'));
      void queryClient.invalidateQueries({ queryKey: ['conflicts', code] });
    },
    onError: (error) => void message.error(errorText(error, lang)),
  });

  if (unit.error) return <Result status="warning" title={errorText(unit.error, lang)} />;
  if (!unit.data) return <div className="rc-page-center"><Spin /></div>;

  return (
    <div className="rc-page" data-testid="conflicts-page">
      <UnitHeader unit={unit.data} extra={<Link to={`/units/${code}`}>{t('common.back')}</Link>} />
      <Card title={t('conflicts.title')} className="rc-section">
        <Tabs
          activeKey={status}
          onChange={(key) => setStatus(conflictStatuses.find((known) => known === key) ?? 'open')}
          items={conflictStatuses.map((key) => ({ key, label: t(`conflicts.tab.${key}`) }))}
        />
        <Table
          rowKey="id"
          size="small"
          loading={conflicts.isLoading}
          dataSource={conflicts.data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('conflicts.empty') }}
          columns={[
            { title: t('conflicts.idNumber'), dataIndex: 'idNumber', render: (value: string) => <span className="rc-code">{value}</span> },
            { title: t('conflicts.holder'), key: 'holder', render: (_: unknown, row: Conflict) => <Link to={`/units/${row.holder.code}`}>{row.holder.name}</Link> },
            { title: t('conflicts.claimant'), key: 'claimant', render: (_: unknown, row: Conflict) => <Link to={`/units/${row.claimant.code}`}>{row.claimant.name}</Link> },
            { title: t('conflicts.person'), key: 'person', render: (_: unknown, row: Conflict) => row.claimant.personName },
            { title: t('conflicts.createdAt'), dataIndex: 'createdAt', width: 150, render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm') },
            ...(status === 'resolved'
              ? [
                  { title: t('conflicts.resolution'), key: 'resolution', width: 100, render: (_: unknown, row: Conflict) => row.resolution && <Tag>{t(`conflicts.resolution.${row.resolution}`)}</Tag> },
                  { title: t('conflicts.note'), dataIndex: 'note', render: (note: string | null) => note ?? t('common.none') },
                ]
              : [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 180,
                    render: (_: unknown, row: Conflict) => (
                      <Space>
                        {row.abilities.release && <Button size="small" onClick={() => setStep({ conflict: row, kind: 'release' })}>{t('conflicts.release')}</Button>}
                        {row.abilities.withdraw && <Button size="small" danger onClick={() => setStep({ conflict: row, kind: 'withdraw' })}>{t('conflicts.withdraw')}</Button>}
                      </Space>
                    ),
                  },
                ]),
          ]}
        />
      </Card>
      <ReasonModal
        title={step ? t(step.kind === 'release' ? 'conflicts.release' : 'conflicts.withdraw') : ''}
        open={step !== null}
        loading={resolve.isPending}
        onCancel={() => setStep(null)}
        onSubmit={(note) => step && resolve.mutate({ ...step, note })}
      />
    </div>
  );
}
