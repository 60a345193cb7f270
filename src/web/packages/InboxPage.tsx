import { Button, Card, Result, Spin, Table } from 'antd';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { unitQuery } from '../org/unit-queries';
import { UnitHeader } from '../org/UnitHeader';
import { getInbox, packageKeys, type InboxItem } from './packages-api';
import { PackageStatusTag } from './PackageStatusTag';
import { UnlockRequestsTable } from './UnlockRequestsTable';

/** 收件箱: the latest package of each unit reporting here, and their unlock requests. */
export function InboxPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const code = useParams().code ?? '';
  const unit = useQuery(unitQuery(code));
  const inbox = useQuery({ queryKey: packageKeys.inbox(code), queryFn: ({ signal }) => getInbox(code, signal) });

  if (unit.error || inbox.error) return <Result status="warning" title={errorText(unit.error ?? inbox.error, lang)} />;
  if (!unit.data) return <div className="rc-page-center"><Spin /></div>;

  return (
    <div className="rc-page" data-testid="inbox-page">
      <UnitHeader unit={unit.data} extra={<Button onClick={() => navigate(`/units/${code}/submission`)}>{t('submission.link')}</Button>} />
      <Card title={t('inbox.title')} className="rc-section">
        <Table
          rowKey={(item: InboxItem) => item.package.id}
          loading={inbox.isLoading}
          dataSource={inbox.data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('inbox.empty') }}
          data-testid="inbox-table"
          columns={[
            { title: t('package.unit'), key: 'unit', render: (_: unknown, item: InboxItem) => <Link to={`/packages/${item.package.id}`}>{item.unit.name}</Link> },
            { title: t('package.version'), key: 'version', width: 80, render: (_: unknown, item: InboxItem) => `v${item.package.versionNo}` },
            { title: t('package.records'), key: 'records', width: 130, render: (_: unknown, item: InboxItem) => `${item.package.recordCount} / ${item.package.expectedCount}` },
            { title: t('package.submittedAt'), key: 'at', width: 160, render: (_: unknown, item: InboxItem) => dayjs(item.package.submittedAt).format('YYYY-MM-DD HH:mm') },
            { title: t('package.status'), key: 'status', width: 190, render: (_: unknown, item: InboxItem) => <PackageStatusTag status={item.package.status} stale={item.package.stale !== null} /> },
            { title: t('common.actions'), key: 'open', width: 90, render: (_: unknown, item: InboxItem) => <Link to={`/packages/${item.package.id}`}>{t('package.open')}</Link> },
          ]}
        />
      </Card>
      <Card title={t('unlock.title')} className="rc-section">
        <UnlockRequestsTable unitCode={code} />
      </Card>
    </div>
  );
}
