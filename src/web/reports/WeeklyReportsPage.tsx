import { useState } from 'react';
import { Button, Card, Result, Segmented, Spin, Table } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { downloadFile, errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { unitQuery } from '../org/unit-queries';
import { UnitHeader } from '../org/UnitHeader';
import { IssueTableView } from './IssueTableView';
import { ReportStatusTag } from './ReportStatusTag';
import { chinaTime, getReceivedReports, getWeeklyReports, receivedExportUrl, reportKeys, type ReportState, type WeeklyIssue } from './reports-api';
import './weekly-report.css';

/** 周报: the unit's four issues with their deadlines, and the reports of the units below for an issue. */
export function WeeklyReportsPage() {
  const { t, lang } = useI18n();
  const code = useParams().code ?? '';
  const unit = useQuery(unitQuery(code));
  const list = useQuery({ queryKey: reportKeys.list(code), queryFn: ({ signal }) => getWeeklyReports(code, signal) });

  if (unit.error || list.error) return <Result status="warning" title={errorText(unit.error ?? list.error, lang)} />;
  if (!unit.data || !list.data) return <div className="rc-page-center"><Spin /></div>;
  type Item = ReportState & { issue: WeeklyIssue };

  return (
    <div className="rc-page" data-testid="weekly-reports-page">
      <UnitHeader unit={unit.data} />
      <Card title={t('weekly.title')} className="rc-section">
        <Table
          rowKey={(item: Item) => item.issue.issueNo}
          dataSource={list.data.items}
          pagination={false}
          data-testid="weekly-issues"
          columns={[
            { title: t('weekly.issueNo'), key: 'no', width: 90, render: (_: unknown, item: Item) => <Link to={`/units/${code}/weekly-reports/${item.issue.issueNo}`}>{t('weekly.issue', { no: item.issue.issueNo })}</Link> },
            { title: t('weekly.issueDate'), key: 'date', width: 120, render: (_: unknown, item: Item) => item.issue.date },
            { title: t('weekly.content'), key: 'content', render: (_: unknown, item: Item) => item.issue.content },
            { title: t('weekly.due'), key: 'due', width: 160, render: (_: unknown, item: Item) => chinaTime(item.issue.dueAt) },
            { title: t('weekly.status'), key: 'status', width: 220, render: (_: unknown, item: Item) => <ReportStatusTag state={item} /> },
            { title: '', key: 'open', width: 80, render: (_: unknown, item: Item) => <Link to={`/units/${code}/weekly-reports/${item.issue.issueNo}`}>{t('weekly.open')}</Link> },
          ]}
        />
      </Card>
      {unit.data.kind !== 'county' && <Received code={code} province={unit.data.kind === 'province'} />}
    </div>
  );
}

function Received({ code, province }: { code: string; province: boolean }) {
  const { t, lang } = useI18n();
  const [issueNo, setIssueNo] = useState(1);
  const received = useQuery({ queryKey: reportKeys.received(code, issueNo), queryFn: ({ signal }) => getReceivedReports(code, issueNo, signal) });
  const data = received.data;
  const statusCells = data ? data.items.map((item) => <ReportStatusTag key={item.unit.code} state={item} />) : [];
  return (
    <Card
      title={t('weekly.received')}
      className="rc-section"
      extra={
        <Button onClick={() => downloadFile(receivedExportUrl(code, issueNo))} data-testid="weekly-received-export">
          {province ? t('weekly.receivedExportProvince') : t('weekly.receivedExport')}
        </Button>
      }
    >
      <Segmented value={issueNo} onChange={(value) => setIssueNo(Number(value))} options={[1, 2, 3, 4].map((no) => ({ value: no, label: t('weekly.issue', { no }) }))} style={{ marginBottom: 12 }} />
      {received.error && <Result status="warning" title={errorText(received.error, lang)} />}
      {!data ? <Spin /> : (
        <>
          {data.issue && <div className="rc-weekly-header"><span>{data.issue.content}</span><span>{t('weekly.due')}：{chinaTime(data.issue.dueAt)}</span></div>}
          <div data-testid="weekly-received">
            <IssueTableView
              table={data.table}
              firstHeading={t('weekly.unit')}
              extra={{ heading: t('weekly.status'), cells: statusCells }}
              links={Object.fromEntries(data.items.map((item) => [item.unit.name, `/units/${item.unit.code}/weekly-reports/${issueNo}`]))}
            />
          </div>
        </>
      )}
    </Card>
  );
}
