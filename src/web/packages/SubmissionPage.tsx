import { Alert, Button, Card, Empty, Result, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { unitQuery } from '../org/unit-queries';
import { UnitHeader } from '../org/UnitHeader';
import { getSubmission, packageKeys, type Submission } from './packages-api';
import { PackageDetails } from './PackageDetails';
import { DeadlineTag } from './PackageStatusTag';
import { SignOffForm } from './SignOffForm';
import { UnlockRequestForm } from './UnlockRequestForm';

const stateColors: Record<Submission['missing'][number]['state'], string> = {
  not_started: 'default',
  in_progress: 'processing',
  returned: 'red',
  awaiting_review: 'gold',
  stale: 'orange',
  approved: 'green',
};

/** 报送: the unit's counts, deadline, blockers, the units still missing, sign-off and submit, the latest package. */
export function SubmissionPage() {
  const { t, lang } = useI18n();
  const code = useParams().code ?? '';
  const unit = useQuery(unitQuery(code));
  const submission = useQuery({ queryKey: packageKeys.submission(code), queryFn: ({ signal }) => getSubmission(code, signal) });

  if (unit.error || submission.error) return <Result status="warning" title={errorText(unit.error ?? submission.error, lang)} />;
  if (!unit.data || !submission.data) return <div className="rc-page-center"><Spin /></div>;
  const data = submission.data;

  return (
    <div className="rc-page" data-testid="submission-page">
      <UnitHeader unit={unit.data} extra={<Link to={`/units/${code}`}>{t('common.back')}</Link>} />
      <Card title={t('submission.title')} className="rc-section" extra={<DeadlineTag deadline={data.deadline} />}>
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          {data.latest?.stale && data.latest.status !== 'returned' && (
            <Alert
              type="warning"
              showIcon
              title={t('submission.stale', { version: data.latest.versionNo })}
              description={t('submission.staleHint', { cause: data.latest.stale.cause })}
              data-testid="submission-stale"
            />
          )}
          <Statistic title={t('submission.counts')} value={data.recordCount} suffix={`/ ${data.expectedCount.toLocaleString()}`} data-testid="submission-counts" />
          {data.blockers.length > 0 && (
            <Alert
              type="error"
              showIcon
              title={t('submission.blockers')}
              description={
                <ul className="rc-plain-list">
                  {data.blockers.map((blocker) => (
                    <li key={blocker.en}>
                      {blocker[lang]}
                      {blocker.link && <Link to={blocker.link} style={{ marginInlineStart: 12 }}>{t('submission.deal')}</Link>}
                    </li>
                  ))}
                </ul>
              }
              data-testid="submission-blockers"
            />
          )}
          <SignOffForm unitCode={code} submission={data} />
          {data.deadline.state === 'late' && data.abilities.requestUnlock && <UnlockRequestForm unitCode={code} />}
        </Space>
      </Card>
      {unit.data.kind !== 'school' && (
        <Card title={t('submission.missing')} className="rc-section" data-testid="submission-missing">
          <Table
            rowKey="code"
            size="small"
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            dataSource={data.missing}
            locale={{ emptyText: <Empty description={t('submission.missingNone')} /> }}
            columns={[
              { title: t('package.unit'), dataIndex: 'name', render: (name: string, row) => <Link to={`/units/${row.code}/submission`}>{name}</Link> },
              { title: t(unit.data.kind === 'county' ? 'school.code' : 'unit.code'), dataIndex: 'code', width: 140, render: (value: string) => <span className="rc-code">{value}</span> },
              { title: t('package.status'), dataIndex: 'state', width: 140, render: (state: Submission['missing'][number]['state'], row) => (
                  <Space size="small">
                    <Tag color={stateColors[state]}>{row.stateLabel[lang]}</Tag>
                    {row.packageId !== null && <Link to={`/packages/${row.packageId}`}>{t('package.open')}</Link>}
                  </Space>
                ) },
              { title: t('package.staleCause'), dataIndex: 'staleCause', render: (cause: string | null) => cause && <Typography.Text type="warning" data-testid="missing-stale-cause">{cause}</Typography.Text> },
            ]}
          />
        </Card>
      )}
      {data.abilities.nationalExport && (
        <Card title={t('submission.national')} className="rc-section" data-testid="national-export-card">
          {data.latest?.stale && data.latest.status !== 'returned' ? (
            <Alert type="error" showIcon title={t('submission.nationalStale', { cause: data.latest.stale.cause })} data-testid="national-stale" />
          ) : data.latest && data.latest.status !== 'returned' ? (
            <Space direction="vertical">
              <span>{t('submission.nationalReady')}</span>
              <Button type="primary" icon={<DownloadOutlined />} href={`/api/units/${code}/national-export`} data-testid="national-export">
                {t('submission.nationalExport')}
              </Button>
            </Space>
          ) : (
            <Alert type="info" showIcon title={t('submission.nationalPending')} />
          )}
        </Card>
      )}
      <Card
        title={t('submission.latest')}
        className="rc-section"
        data-testid="submission-latest"
        extra={data.latest && <Link to={`/packages/${data.latest.id}`}>{t('package.open')}</Link>}
      >
        {data.latest ? <PackageDetails pkg={data.latest} /> : <Empty description={t('submission.none')} />}
      </Card>
    </div>
  );
}
