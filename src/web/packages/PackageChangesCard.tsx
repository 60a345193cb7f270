import { Card, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useI18n } from '../shared/I18nProvider';
import { getPackageChanges, packageKeys, type PackageChanges } from './packages-api';

type Change = PackageChanges['changes'][number];
const kindColors: Record<Change['kind'], string> = { added: 'green', removed: 'red', changed: 'blue', child: 'purple' };

/** 与上一版相比: the records (or child packages) a version added, removed or changed since the one before it. */
export function PackageChangesCard({ packageId }: { packageId: number }) {
  const { t } = useI18n();
  const changes = useQuery({ queryKey: packageKeys.changes(packageId), queryFn: ({ signal }) => getPackageChanges(packageId, signal) });
  const data = changes.data;
  const what = (change: Change) => {
    if (change.kind === 'child') {
      const records = (change.after ?? change.before)?.recordCount.toLocaleString();
      const text = change.before && change.after
        ? t('package.changeChild', { before: change.before.versionNo, after: change.after.versionNo, records: records ?? '' })
        : change.after
          ? t('package.changeChildNew', { after: change.after.versionNo, records: records ?? '' })
          : t('package.changeChildGone', { before: change.before?.versionNo ?? '' });
      return <span><span className="rc-code">{change.unitCode}</span> {text}</span>;
    }
    const person = <Link to={`/staff/${change.staffId}`}>{change.name ?? change.staffId}</Link>;
    if (change.kind !== 'changed') return <span>{person} <span className="rc-code">{change.idNumber}</span></span>;
    return (
      <span>
        {person}：
        {change.fields?.map((field) => (
          <span key={field.key} style={{ marginInlineEnd: 12 }}>
            {field.label} <Typography.Text delete type="secondary">{field.before ?? '（空）'}</Typography.Text> → {field.after ?? '（空）'}
          </span>
        ))}
      </span>
    );
  };
  return (
    <Card title={t('package.changes')} className="rc-section" loading={changes.isLoading} data-testid="package-changes">
      {!data?.previous ? (
        <Typography.Text type="secondary">{t('package.changesFirst')}</Typography.Text>
      ) : data.total === 0 ? (
        <Typography.Text type="secondary">{t('package.changesNone', { version: data.previous.versionNo })}</Typography.Text>
      ) : (
        <>
          {data.total > data.changes.length && <Typography.Paragraph type="secondary">{t('package.changesMore', { total: data.total, shown: data.changes.length })}</Typography.Paragraph>}
          <Table
            size="small"
            rowKey={(change) => `${change.kind}:${change.staffId ?? change.unitCode}`}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            dataSource={data.changes}
            columns={[
              { title: '', dataIndex: 'kind', width: 100, render: (kind: Change['kind']) => <Tag color={kindColors[kind]}>{t(`package.change.${kind}`)}</Tag> },
              { title: t('package.changes'), key: 'what', render: (_, change) => what(change) },
            ]}
          />
        </>
      )}
    </Card>
  );
}
