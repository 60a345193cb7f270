import { Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { useI18n } from '../shared/I18nProvider';
import { percent, pointsChange, type BulletinRow } from './bulletins-api';
import './bulletins.css';

function Change({ value, points = true }: { value: number | null | undefined; points?: boolean }) {
  if (value == null) return <Typography.Text type="secondary">—</Typography.Text>;
  const text = points ? pointsChange(value) : value === 0 ? '0' : `${value > 0 ? '+' : '−'}${Math.abs(value)}`;
  if (value === 0 || text === '0.0') return <Typography.Text type="secondary">{text}</Typography.Text>;
  return (
    <Typography.Text type={value > 0 ? 'success' : 'danger'}>
      {value > 0 ? <ArrowUpOutlined /> : <ArrowDownOutlined />} {text}
    </Typography.Text>
  );
}

/** One group of a bulletin (prefectures or universities), in rank order, with ranks and week-on-week change. */
export function BulletinTable({ rows, group, printing = false }: { rows: BulletinRow[]; group: 'prefecture' | 'university'; printing?: boolean }) {
  const { t } = useI18n();
  const columns: TableColumnsType<BulletinRow> = [
    { title: t('bulletin.rank'), key: 'rank', width: 56, align: 'center', render: (_v, row) => row.ranks.overall },
    {
      title: t('bulletin.unit'),
      dataIndex: 'name',
      width: 170,
      render: (name: string, row) => (
        <span>
          {name} {row.watch && <Tag color="red" className="rc-watch-tag">{t('bulletin.watchTag')}</Tag>}
        </span>
      ),
    },
    {
      title: <Tooltip title={t('bulletin.completionHint')}>{t('bulletin.completion')}</Tooltip>,
      key: 'completion',
      width: 150,
      render: (_v, row) => (
        <div>
          <strong>{percent(row.completion)}</strong> <Typography.Text type="secondary">#{row.ranks.completion}</Typography.Text>
          <div className="rc-bulletin-sub">
            {row.approvedStaff.toLocaleString()} / {row.expectedStaff.toLocaleString()}
          </div>
        </div>
      ),
    },
    {
      title: t('bulletin.schoolsApproved'),
      key: 'schools',
      width: 110,
      render: (_v, row) => (
        <span>
          {row.schoolsApproved}/{row.schools}
          <div className="rc-bulletin-sub">{percent(row.schoolsApprovedShare)}</div>
        </span>
      ),
    },
    {
      title: <Tooltip title={t('bulletin.timelinessHint')}>{t('bulletin.timeliness')}</Tooltip>,
      key: 'timeliness',
      width: 130,
      render: (_v, row) => (
        <div>
          <strong>{percent(row.timeliness)}</strong> <Typography.Text type="secondary">#{row.ranks.timeliness}</Typography.Text>
          <div className="rc-bulletin-sub">{row.deadlinesMet}/{row.deadlines}</div>
        </div>
      ),
    },
    {
      title: <Tooltip title={t('bulletin.shortfallHint')}>{t('bulletin.shortfall')}</Tooltip>,
      key: 'shortfall',
      width: 130,
      align: 'right',
      render: (_v, row) => (
        <div data-testid="bulletin-shortfall">
          <strong>{row.shortfall.toLocaleString()}</strong>
          <div className="rc-bulletin-sub">{t('bulletin.entered', { live: row.liveStaff.toLocaleString() })}</div>
        </div>
      ),
    },
    {
      title: <Tooltip title={t('bulletin.qualityHint')}>{t('bulletin.quality')}</Tooltip>,
      key: 'quality',
      width: 130,
      render: (_v, row) => (
        <div data-testid="bulletin-quality">
          {row.quality === null ? (
            <>
              <strong>—</strong> <Typography.Text type="secondary">{t('bulletin.noQuality')}</Typography.Text>
            </>
          ) : (
            <>
              <strong>{percent(row.quality)}</strong> <Typography.Text type="secondary">#{row.ranks.quality}</Typography.Text>
            </>
          )}
          <div className="rc-bulletin-sub">{t('bulletin.returned')} {row.returned}</div>
        </div>
      ),
    },
    { title: t('bulletin.score'), dataIndex: 'score', width: 80, align: 'right', render: (score: number) => <strong>{score.toFixed(1)}</strong> },
    {
      title: t('bulletin.change'),
      key: 'change',
      width: 110,
      render: (_v, row) => (
        <div>
          <Change value={row.change?.score == null ? null : row.change.score / 100} />
          <div className="rc-bulletin-sub">
            {t('bulletin.rankChange')} <Change value={row.change?.rank ?? null} points={false} />
          </div>
        </div>
      ),
    },
    ...(group === 'prefecture'
      ? [
          {
            title: t('bulletin.slowest'),
            key: 'slowest',
            width: 260,
            render: (_v: unknown, row: BulletinRow) => (
              <span className="rc-bulletin-sub">{row.slowest.map((county) => `${county.name} ${percent(county.completion)}`).join('、')}</span>
            ),
          },
        ]
      : []),
  ];
  return (
    <Table<BulletinRow>
      rowKey="code"
      size="small"
      columns={columns}
      dataSource={rows.filter((row) => row.group === group)}
      pagination={printing || group === 'prefecture' ? false : { pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
      rowClassName={(row) => (row.watch ? 'rc-bulletin-watch' : '')}
      data-testid={`bulletin-table-${group}`}
    />
  );
}
