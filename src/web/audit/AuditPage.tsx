import { useState } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Form, Input, Result, Select, Space, Spin, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { chinaDateTime, chinaDay } from '../../standard/normalize.ts';
import { useParams } from 'react-router-dom';
import { downloadFile, errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { isMessageKey } from '../shared/i18n/dictionary';
import { unitQuery } from '../org/unit-queries';
import { UnitHeader } from '../org/UnitHeader';
import { auditExportUrl, auditKeys, getAuditPage, type AuditEvent, type AuditFilters } from './audit-api';
import { auditFamilies, labelledActions } from '../shared/i18n/audit.messages';

type FormValues = { action?: string; actor?: string; dates?: [Dayjs, Dayjs] | null };

const details = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value, null, 2));

/** 审计日志: who did what, when and why, in a unit's subtree; filters, paging by cursor, export. */
export function AuditPage() {
  const { t, lang } = useI18n();
  const code = useParams().code ?? '';
  const unit = useQuery(unitQuery(code));
  const [form] = Form.useForm<FormValues>();
  const [filters, setFilters] = useState<AuditFilters>({});
  const events = useInfiniteQuery({
    queryKey: auditKeys.list(code, filters),
    queryFn: ({ pageParam, signal }: { pageParam: number | undefined; signal: AbortSignal }) => getAuditPage(code, filters, pageParam, signal),
    initialPageParam: undefined,
    getNextPageParam: (page) => page.nextBefore ?? undefined,
  });

  const actionLabel = (action: string) => {
    const key = `audit.action.${action}`;
    return labelledActions.includes(action) && isMessageKey(key) ? t(key) : action;
  };
  const actionOptions = [
    ...auditFamilies.map((family) => ({ value: family, label: t(`audit.family.${family}`) })),
    ...labelledActions.map((action) => ({ value: action, label: `${actionLabel(action)}（${action}）` })),
  ];

  if (unit.error) return <Result status="warning" title={errorText(unit.error, lang)} />;
  if (!unit.data) return <div className="rc-page-center"><Spin /></div>;
  const rows = events.data?.pages.flatMap((page) => page.items) ?? [];

  const search = (values: FormValues) =>
    setFilters({
      action: values.action || undefined,
      actor: values.actor?.trim() || undefined,
      from: values.dates?.[0]?.format('YYYY-MM-DD'),
      to: values.dates?.[1]?.format('YYYY-MM-DD'),
    });

  return (
    <div className="rc-page" data-testid="audit-page">
      <UnitHeader unit={unit.data} />
      <Card
        title={t('audit.title')}
        className="rc-section"
        extra={<Button icon={<DownloadOutlined />} onClick={() => downloadFile(auditExportUrl(code, filters))} data-testid="audit-export">{t('audit.export')}</Button>}
      >
        <Typography.Paragraph type="secondary">{t('audit.intro')}</Typography.Paragraph>
        <Form form={form} layout="inline" onFinish={search} className="rc-filter-bar" data-testid="audit-filters">
          <Form.Item name="action" label={t('audit.filter.action')}>
            <Select allowClear showSearch style={{ width: 260 }} placeholder={t('audit.filter.actionPlaceholder')} options={actionOptions} optionFilterProp="label" data-testid="audit-action" />
          </Form.Item>
          <Form.Item name="actor" label={t('audit.filter.actor')}>
            <Input allowClear style={{ width: 180 }} data-testid="audit-actor" />
          </Form.Item>
          <Form.Item name="dates" label={t('audit.filter.dates')}>
            <DatePicker.RangePicker disabledDate={(day) => day.format('YYYY-MM-DD') > chinaDay(new Date())} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" data-testid="audit-search">{t('audit.search')}</Button>
              <Button onClick={() => { form.resetFields(); setFilters({}); }}>{t('audit.reset')}</Button>
            </Space>
          </Form.Item>
        </Form>
        {events.error && <Result status="warning" title={errorText(events.error, lang)} />}
        <Table<AuditEvent>
          rowKey="id"
          size="small"
          className="rc-section"
          loading={events.isLoading}
          dataSource={rows}
          pagination={false}
          locale={{ emptyText: t('audit.empty') }}
          data-testid="audit-table"
          expandable={{
            rowExpandable: (row) => row.before !== null || row.after !== null,
            expandedRowRender: (row) => (
              <Space align="start" size="large" wrap>
                {details(row.before) && (
                  <div>
                    <Typography.Text strong>{t('audit.before')}</Typography.Text>
                    <pre className="rc-json">{details(row.before)}</pre>
                  </div>
                )}
                {details(row.after) && (
                  <div>
                    <Typography.Text strong>{t('audit.after')}</Typography.Text>
                    <pre className="rc-json">{details(row.after)}</pre>
                  </div>
                )}
              </Space>
            ),
          }}
          columns={[
            { title: t('audit.col.at'), dataIndex: 'at', width: 170, render: (at: string) => chinaDateTime(at, true) },
            { title: t('audit.col.actor'), key: 'actor', width: 200, render: (_: unknown, row) => row.actor.username ?? <Typography.Text type="secondary">{t(row.action.startsWith('auth.') ? 'audit.anonymous' : 'audit.system')}</Typography.Text> },
            { title: t('audit.col.unit'), key: 'unit', render: (_: unknown, row) => (row.unit ? row.unit.name ?? row.unit.code : '—') },
            { title: t('audit.col.action'), dataIndex: 'action', render: (action: string) => <span title={action}>{actionLabel(action)}</span> },
            { title: t('audit.col.target'), key: 'target', width: 150, render: (_: unknown, row) => <span className="rc-code">{row.targetType}{row.targetId ? ` #${row.targetId}` : ''}</span> },
            { title: t('audit.col.reason'), dataIndex: 'reason', ellipsis: true, render: (reason: string | null) => reason ?? '' },
            { title: 'IP', dataIndex: 'ip', width: 130, render: (ip: string | null) => <span className="rc-code">{ip ?? ''}</span> },
          ]}
        />
        <div className="rc-load-more">
          {events.hasNextPage ? (
            <Button onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage} data-testid="audit-more">{t('audit.more')}</Button>
          ) : (
            rows.length > 0 && <Typography.Text type="secondary">{t('audit.end', { count: rows.length })}</Typography.Text>
          )}
        </div>
      </Card>
    </div>
  );
}
