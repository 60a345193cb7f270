import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, InputNumber, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { closeCampaign, createCampaign, startCampaign, type CampaignSummary } from './campaign-api';

const statusColors: Record<CampaignSummary['status'], string> = { draft: 'default', running: 'green', closed: 'blue' };

/**
 * 采集工作: the province's campaigns with their status, a form to create a year's draft from its start date,
 * and start / close buttons. `selected` is the campaign whose plan the page shows below.
 */
export function CampaignsCard({ campaigns, canCreate, selected, onSelect }: { campaigns: CampaignSummary[]; canCreate: boolean; selected: number | undefined; onSelect: (id: number) => void }) {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [year, setYear] = useState<number | null>(dayjs().year());
  const [startsOn, setStartsOn] = useState<Dayjs | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['campaign'] });
  const onError = (error: unknown) => void message.error({ content: errorText(error, lang), duration: 8 });

  const create = useMutation({
    mutationFn: () => createCampaign({ year: year ?? dayjs().year(), startsOn: (startsOn ?? dayjs()).format('YYYY-MM-DD') }),
    onSuccess: (made) => {
      void message.success(t('campaigns.created', { name: made.name }));
      setStartsOn(null);
      refresh();
      onSelect(made.id);
    },
    onError,
  });
  const start = useMutation({
    mutationFn: (id: number) => startCampaign(id),
    onSuccess: () => {
      void message.success(t('campaigns.started'));
      refresh();
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
    },
    onError,
  });
  const close = useMutation({
    mutationFn: (id: number) => closeCampaign(id),
    onSuccess: () => {
      void message.success(t('campaigns.closed'));
      refresh();
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
    },
    onError,
  });

  const columns: TableColumnsType<CampaignSummary> = [
    { title: t('campaigns.year'), dataIndex: 'year', width: 80 },
    { title: t('campaigns.name'), dataIndex: 'name' },
    { title: t('campaigns.period'), key: 'period', width: 220, render: (_value, row) => t('campaign.period', { start: row.startsOn, end: row.endsOn }) },
    { title: t('campaigns.status'), dataIndex: 'statusLabel', width: 100, render: (label: string, row) => <Tag color={statusColors[row.status]} data-testid={`campaign-status-${row.id}`}>{label}</Tag> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 240,
      render: (_value, row) => (
        <Space size={4}>
          {row.id === selected ? <Tag color="processing">{t('campaigns.editing')}</Tag> : <Button size="small" onClick={() => onSelect(row.id)} data-testid={`campaign-open-${row.id}`}>{t('campaigns.open')}</Button>}
          {row.abilities.start && (
            <Button
              size="small"
              type="primary"
              loading={start.isPending}
              onClick={() => modal.confirm({ title: t('campaigns.startConfirm', { name: row.name }), onOk: () => start.mutateAsync(row.id) })}
              data-testid={`campaign-start-${row.id}`}
            >
              {t('campaigns.start')}
            </Button>
          )}
          {row.abilities.close && (
            <Button
              size="small"
              danger
              loading={close.isPending}
              onClick={() => modal.confirm({ title: t('campaigns.closeConfirm', { name: row.name }), onOk: () => close.mutateAsync(row.id) })}
              data-testid={`campaign-close-${row.id}`}
            >
              {t('campaigns.close')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card title={t('campaigns.title')} className="rc-section" data-testid="campaigns-card">
      <Typography.Paragraph type="secondary">{t('campaigns.intro')}</Typography.Paragraph>
      {canCreate && (
        <Space wrap style={{ marginBottom: 12 }}>
          <span>{t('campaigns.year')}</span>
          <InputNumber min={2000} max={2100} value={year} onChange={setYear} data-testid="campaign-year" />
          <span>{t('campaigns.startsOn')}</span>
          <DatePicker value={startsOn} onChange={setStartsOn} data-testid="campaign-starts-on" />
          <Button icon={<PlusOutlined />} disabled={!year || !startsOn} loading={create.isPending} onClick={() => create.mutate()} data-testid="campaign-create">
            {t('campaigns.create')}
          </Button>
        </Space>
      )}
      <Table<CampaignSummary>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={campaigns}
        pagination={false}
        locale={{ emptyText: t('campaigns.none') }}
        data-testid="campaigns-table"
      />
    </Card>
  );
}
