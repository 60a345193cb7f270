import { useState } from 'react';
import { Button, Card, Input, Result, Space, Statistic, Table, Tabs, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { useCurrentUser } from '../auth/SessionProvider';
import { AskQuestionModal } from './AskQuestionModal';
import { getFigures, helpdeskKeys, listQuestions, type Question } from './helpdesk-api';
import { QuestionStatusTag } from './QuestionStatusTag';

/** 答疑: the questions my unit asked, the queue waiting for my unit's answer, the level's figures. */
export function HelpdeskPage() {
  const { t, lang } = useI18n();
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const box = params.get('box') === 'queue' ? 'queue' : 'mine';
  const q = params.get('q') ?? '';
  const [asking, setAsking] = useState(false);
  const list = useQuery({ queryKey: helpdeskKeys.list(box, q), queryFn: ({ signal }) => listQuestions(box, q, signal) });
  const figures = useQuery({ queryKey: helpdeskKeys.figures(user.unit.code), queryFn: ({ signal }) => getFigures(user.unit.code, signal) });
  const canAsk = user.abilities.askQuestions;
  const setParam = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  if (list.error) return <Result status="warning" title={errorText(list.error, lang)} />;
  return (
    <div className="rc-page" data-testid="helpdesk-page">
      <Card
        title={t('helpdesk.title')}
        className="rc-section"
        extra={canAsk && <Button type="primary" onClick={() => setAsking(true)} data-testid="ask-open">{t('helpdesk.ask')}</Button>}
      >
        {figures.data && (
          <Space size={48} wrap style={{ marginBottom: 16 }} data-testid="helpdesk-figures">
            <Statistic title={t('helpdesk.figures.openInQueue')} value={figures.data.openInQueue} />
            <Statistic title={t('helpdesk.figures.openInSubtree')} value={figures.data.openInSubtree} />
            <Statistic title={t('helpdesk.figures.answered')} value={figures.data.answered} />
            <Statistic title={t('helpdesk.figures.median')} value={figures.data.medianHoursToAnswer ?? '—'} />
          </Space>
        )}
        <Tabs
          activeKey={box}
          onChange={(key) => setParam('box', key === 'queue' ? 'queue' : '')}
          items={[
            { key: 'mine', label: <span data-testid="tab-mine">{t('helpdesk.mine')}</span> },
            { key: 'queue', label: <span data-testid="tab-queue">{t('helpdesk.queue')}</span> },
          ]}
        />
        <Input.Search
          allowClear
          defaultValue={q}
          key={`${box}-search`}
          placeholder={t('helpdesk.search')}
          onSearch={(value) => setParam('q', value.trim())}
          style={{ maxWidth: 360, marginBottom: 12 }}
          data-testid="helpdesk-search"
        />
        <Table
          rowKey={(item: Question) => item.id}
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('helpdesk.empty') }}
          data-testid="questions-table"
          columns={[
            { title: t('helpdesk.field.title'), key: 'title', render: (_: unknown, item: Question) => <Link to={`/helpdesk/questions/${item.id}`}>{item.title}</Link> },
            { title: t('helpdesk.field.category'), key: 'category', width: 100, render: (_: unknown, item: Question) => <Tag>{t(`helpdesk.category.${item.category}`)}</Tag> },
            { title: t('helpdesk.asker'), dataIndex: 'askerName', width: 200 },
            { title: t('helpdesk.holder'), dataIndex: 'holderName', width: 140 },
            { title: t('helpdesk.askedAt'), key: 'at', width: 150, render: (_: unknown, item: Question) => dayjs(item.createdAt).format('YYYY-MM-DD HH:mm') },
            { title: t('helpdesk.status'), key: 'status', width: 100, render: (_: unknown, item: Question) => <QuestionStatusTag status={item.status} /> },
          ]}
        />
      </Card>
      <AskQuestionModal unitCode={user.unit.code} open={asking} onClose={() => setAsking(false)} />
    </div>
  );
}
