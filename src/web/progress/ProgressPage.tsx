import { lazy, Suspense } from 'react';
import { Alert, Breadcrumb, Button, Card, Col, Progress, Result, Row, Space, Spin, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { QuestionCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { useLabels } from '../shared/useLabels';
import { kindColors } from '../org/UnitHeader';
import { getProgress, getTrend, progressKeys, type Figures, type ProgressChild, type UnitProgress } from './progress-api';

const ProgressCharts = lazy(() => import('./ProgressCharts').then((module) => ({ default: module.ProgressCharts })));

const percentText = (value: number | null) => (value === null ? '—' : `${value}%`);
const completionPercent = (figures: Figures) => (figures.completion === null ? null : Math.round(figures.completion * 1000) / 10);

/** Breadcrumb up the chain to the province, each reachable level linking to its own progress page. */
function ProgressHeader({ data }: { data: UnitProgress }) {
  const { t } = useI18n();
  const labels = useLabels();
  const navigate = useNavigate();
  const last = data.chain.length - 1;
  const items = data.chain.map((link, index) => ({
    key: link.code,
    title: index === last || !link.reachable ? link.name : <Link to={`/units/${link.code}/progress`}>{link.name}</Link>,
  }));
  return (
    <div className="rc-page-header">
      <Breadcrumb items={items} data-testid="progress-breadcrumb" />
      <div className="rc-page-title-row">
        <Space size="middle" align="center" wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>{data.unit.name} · {t('progress.title')}</Typography.Title>
          <Tag color={kindColors[data.unit.kind]}>{labels.kind(data.unit.kind)}</Tag>
          <Typography.Text type="secondary" className="rc-code">{data.unit.code}</Typography.Text>
          {data.unit.kind === 'school' && !data.unit.closedOn && <SchoolStateTag figures={data.totals} />}
          {data.unit.closedOn && <Tag color="default" data-testid="progress-closed">{t('progress.closed', { day: data.unit.closedOn })}</Tag>}
        </Space>
        {data.unit.kind === 'school' && (
          <Button type="primary" onClick={() => navigate(`/units/${data.unit.code}`)} data-testid="progress-records">
            {t('progress.records')}
          </Button>
        )}
      </div>
      <Typography.Text type="secondary">{t('progress.asOf', { time: dayjs(data.asOf).format('YYYY-MM-DD HH:mm:ss') })}</Typography.Text>
    </div>
  );
}

/** 本人手机确认 / 学校登记纸质签字确认: the two kinds of a confirmed count, side by side. */
function ConfirmedSplit({ phone, paper }: { phone: number; paper: number }) {
  const { t } = useI18n();
  return (
    <Tooltip title={t('progress.staff.confirmedSplit', { phone, paper })}>
      <Space size={4} className="rc-confirmed-split" data-testid="confirmed-split">
        <Tag color="blue" style={{ marginInlineEnd: 0 }}>{t('progress.staff.phoneShort', { count: phone })}</Tag>
        <Tag color="purple" style={{ marginInlineEnd: 0 }}>{t('progress.staff.paperShort', { count: paper })}</Tag>
      </Space>
    </Tooltip>
  );
}

/** 缺报: the people still missing, red while any are. */
function Shortfall({ value }: { value: number }) {
  return <Typography.Text type={value > 0 ? 'danger' : 'secondary'} strong={value > 0}>{value}</Typography.Text>;
}

/** The unit's own figures: schools and staff, each with its share of what is expected. */
function SummaryCards({ figures, isSchool }: { figures: Figures; isSchool: boolean }) {
  const { t } = useI18n();
  const { schools, staff } = figures.progress;
  const share = (value: number | null) => (value === null ? undefined : t('progress.ofExpected', { percent: `${value}%` }));
  const completion = completionPercent(figures);
  return (
    <Row gutter={[16, 16]} className="rc-section" data-testid="progress-summary">
      {!isSchool && (
        <Col xs={24} xl={8}>
          <Card title={t('progress.schools')} size="small">
            <Row gutter={16}>
              <Col span={6}><Statistic title={t('progress.schools.expected')} value={schools.expected} /></Col>
              <Col span={6}><Statistic title={t('progress.schools.started')} value={schools.started} /><Typography.Text type="secondary">{share(figures.percentages.schools.started)}</Typography.Text></Col>
              <Col span={6}><Statistic title={t('progress.schools.submitted')} value={schools.submitted} /><Typography.Text type="secondary">{share(figures.percentages.schools.submitted)}</Typography.Text></Col>
              <Col span={6}><Statistic title={t('progress.schools.approved')} value={schools.approved} /><Typography.Text type="secondary">{share(figures.percentages.schools.approved)}</Typography.Text></Col>
            </Row>
          </Card>
        </Col>
      )}
      <Col xs={24} xl={isSchool ? 18 : 12}>
        <Card title={t('progress.staff')} size="small" data-testid="progress-staff">
          <Row gutter={16} wrap={false}>
            <Col flex="1 1 0"><Statistic title={t('progress.staff.expected')} value={staff.expected} /></Col>
            <Col flex="1 1 0"><Statistic title={t('progress.staff.entered')} value={staff.entered} /><Typography.Text type="secondary">{share(figures.percentages.staff.entered)}</Typography.Text></Col>
            <Col flex="1 1 0" data-testid="progress-shortfall">
              <Statistic
                title={<Space size={4}>{t('progress.staff.shortfall')}<Tooltip title={t('progress.staff.shortfallHelp')}><QuestionCircleOutlined /></Tooltip></Space>}
                value={staff.shortfall}
                styles={{ content: staff.shortfall > 0 ? { color: 'var(--ant-color-error, #ff4d4f)' } : undefined }}
              />
              <Typography.Text type="secondary">{share(figures.percentages.staff.shortfall)}</Typography.Text>
            </Col>
            <Col flex="1.4 1 0" data-testid="progress-confirmed">
              <Statistic title={t('progress.staff.confirmed')} value={staff.confirmed} />
              <div><Typography.Text type="secondary">{share(figures.percentages.staff.confirmed)}</Typography.Text></div>
              <ConfirmedSplit phone={staff.confirmedPhone} paper={staff.confirmedPaper} />
            </Col>
            <Col flex="1 1 0"><Statistic title={t('progress.staff.approved')} value={staff.approved} /><Typography.Text type="secondary">{share(figures.percentages.staff.approved)}</Typography.Text></Col>
          </Row>
        </Card>
      </Col>
      <Col xs={24} xl={isSchool ? 6 : 4}>
        <Card
          title={<Space>{t('progress.completion')}<Tooltip title={t('progress.completionHelp')}><QuestionCircleOutlined /></Tooltip></Space>}
          size="small"
        >
          <Progress type="dashboard" size={96} percent={completion ?? 0} format={() => percentText(completion)} data-testid="progress-completion" />
        </Card>
      </Col>
    </Row>
  );
}

/** A school's stage: not started, entering, submitted (awaiting review) or approved. */
function SchoolStateTag({ figures }: { figures: Figures }) {
  const { t } = useI18n();
  const { schools } = figures.progress;
  if (schools.approved) return <Tag color="green">{t('progress.schools.approved')}</Tag>;
  if (schools.submitted) return <Tag color="gold">{t('progress.schools.submitted')}</Tag>;
  if (schools.started) return <Tag color="processing">{t('progress.schools.started')}</Tag>;
  return <Tag>{t('progress.notStarted')}</Tag>;
}

function ShareCell({ value, share }: { value: number; share: number | null }) {
  return (
    <div style={{ lineHeight: 1.3 }}>
      <div>{value}</div>
      <Progress percent={share === null ? 0 : Math.min(100, share)} size="small" format={() => percentText(share)} style={{ margin: 0 }} />
    </div>
  );
}

/** 进度: a unit's live progress with charts and its children, lagging first; names drill down a level. */
export function ProgressPage() {
  const { t, lang } = useI18n();
  const labels = useLabels();
  const code = useParams().code ?? '';
  const progress = useQuery({ queryKey: progressKeys.unit(code), queryFn: ({ signal }) => getProgress(code, signal) });
  const trend = useQuery({ queryKey: progressKeys.trend(code), queryFn: ({ signal }) => getTrend(code, signal) });

  if (progress.error) return <Result status="warning" title={errorText(progress.error, lang)} />;
  if (!progress.data) return <div className="rc-page-center"><Spin /></div>;
  const data = progress.data;
  const isSchool = data.unit.kind === 'school';
  const childrenAreSchools = data.children.length > 0 && data.children.every((child) => child.kind === 'school');
  const number = (pick: (child: ProgressChild) => number | null) => (a: ProgressChild, b: ProgressChild) => (pick(a) ?? -1) - (pick(b) ?? -1);

  return (
    <div className="rc-page" data-testid="progress-page">
      <ProgressHeader data={data} />
      {data.unit.closedOn && <Alert type="info" showIcon className="rc-section" title={t('progress.closedHint')} />}
      <SummaryCards figures={data.totals} isSchool={isSchool} />
      <Suspense fallback={<Card className="rc-section"><Spin tip={t('progress.chartLoading')}><div style={{ height: 120 }} /></Spin></Card>}>
        <ProgressCharts progress={data} trend={trend.data} />
      </Suspense>
      {!isSchool && (
        <Card title={childrenAreSchools ? t('progress.childrenSchools') : t('progress.children')} className="rc-section">
          <Table
            rowKey="code"
            dataSource={data.children}
            size="small"
            pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
            locale={{ emptyText: t('progress.noChildren') }}
            scroll={{ x: 'max-content' }}
            data-testid="progress-children"
            columns={[
              {
                title: t('progress.unit'),
                key: 'name',
                fixed: 'left',
                width: 170,
                sorter: (a, b) => a.code.localeCompare(b.code),
                render: (_: unknown, child: ProgressChild) => (
                  <Space size={4} wrap>
                    <Link to={`/units/${child.code}/progress`}>{child.name}</Link>
                    {child.schoolType && !childrenAreSchools && <Tag>{labels.schoolType(child.schoolType)}</Tag>}
                    {child.kind === 'school' && <Link to={`/units/${child.code}`} style={{ fontSize: 12 }}>{t('progress.recordsLink')}</Link>}
                  </Space>
                ),
              },
              ...(childrenAreSchools
                ? [{ title: t('progress.state'), key: 'state', width: 110, sorter: number((c) => c.progress.schools.started + c.progress.schools.submitted + c.progress.schools.approved), render: (_: unknown, c: ProgressChild) => <SchoolStateTag figures={c} /> }]
                : [
                    { title: t('progress.schools.expected'), key: 'schools', width: 64, sorter: number((c) => c.progress.schools.expected), render: (_: unknown, c: ProgressChild) => c.progress.schools.expected },
                    { title: t('progress.schools.started'), key: 'started', width: 100, sorter: number((c) => c.percentages.schools.started), render: (_: unknown, c: ProgressChild) => <ShareCell value={c.progress.schools.started} share={c.percentages.schools.started} /> },
                    { title: t('progress.schools.submitted'), key: 'submitted', width: 100, sorter: number((c) => c.percentages.schools.submitted), render: (_: unknown, c: ProgressChild) => <ShareCell value={c.progress.schools.submitted} share={c.percentages.schools.submitted} /> },
                    { title: t('progress.schools.approved'), key: 'schoolsApproved', width: 100, sorter: number((c) => c.percentages.schools.approved), render: (_: unknown, c: ProgressChild) => <ShareCell value={c.progress.schools.approved} share={c.percentages.schools.approved} /> },
                  ]),
              { title: t('progress.staff.expected'), key: 'expected', width: 76, sorter: number((c) => c.progress.staff.expected), render: (_: unknown, c: ProgressChild) => c.progress.staff.expected },
              { title: t('progress.staff.entered'), key: 'entered', width: 110, sorter: number((c) => c.percentages.staff.entered), render: (_: unknown, c: ProgressChild) => <ShareCell value={c.progress.staff.entered} share={c.percentages.staff.entered} /> },
              {
                title: <Tooltip title={t('progress.staff.shortfallHelp')}>{t('progress.staff.shortfall')}</Tooltip>,
                key: 'shortfall',
                width: 64,
                align: 'right' as const,
                sorter: number((c) => c.progress.staff.shortfall),
                render: (_: unknown, c: ProgressChild) => <Shortfall value={c.progress.staff.shortfall} />,
              },
              {
                title: t('progress.staff.confirmed'),
                key: 'confirmedGroup',
                children: [
                  { title: t('progress.staff.confirmedTotal'), key: 'confirmed', width: 110, sorter: number((c) => c.percentages.staff.confirmed), render: (_: unknown, c: ProgressChild) => <ShareCell value={c.progress.staff.confirmed} share={c.percentages.staff.confirmed} /> },
                  { title: t('progress.staff.confirmedPhone'), key: 'confirmedPhone', width: 96, align: 'right' as const, sorter: number((c) => c.progress.staff.confirmedPhone), render: (_: unknown, c: ProgressChild) => <span data-testid="child-confirmed-phone">{c.progress.staff.confirmedPhone}</span> },
                  { title: t('progress.staff.confirmedPaper'), key: 'confirmedPaper', width: 96, align: 'right' as const, sorter: number((c) => c.progress.staff.confirmedPaper), render: (_: unknown, c: ProgressChild) => <span data-testid="child-confirmed-paper">{c.progress.staff.confirmedPaper}</span> },
                ],
              },
              { title: t('progress.staff.approved'), key: 'approved', width: 110, sorter: number((c) => c.percentages.staff.approved), render: (_: unknown, c: ProgressChild) => <ShareCell value={c.progress.staff.approved} share={c.percentages.staff.approved} /> },
              {
                title: t('progress.completion'),
                key: 'completion',
                width: 120,
                fixed: 'right',
                sorter: number((c) => c.completion),
                render: (_: unknown, c: ProgressChild) => <Progress percent={completionPercent(c) ?? 0} size="small" format={() => percentText(completionPercent(c))} status={c.completion === 1 ? 'success' : 'normal'} />,
              },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>{t('progress.definitions')}</Typography.Paragraph>
        </Card>
      )}
      {isSchool && <Typography.Paragraph type="secondary">{t('progress.definitions')}</Typography.Paragraph>}
    </div>
  );
}
