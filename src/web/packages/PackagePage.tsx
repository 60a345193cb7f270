import { useState } from 'react';
import { Alert, App, Button, Card, Popconfirm, Result, Space, Spin, Table, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { useCurrentUser } from '../auth/SessionProvider';
import { unitQuery } from '../org/unit-queries';
import { StaffStatusTag } from '../staff/StaffStatusTag';
import { ReasonModal } from '../workflow/ReasonModal';
import { approvePackage, getPackage, listPackageItems, packageKeys, reopenPackage, returnPackage, type PackageItem, type ReturnInput } from './packages-api';
import { PackageDetails } from './PackageDetails';
import { ReturnPackageModal } from './ReturnPackageModal';
import { ApproveShortfallModal } from './ApproveShortfallModal';
import { PackageChangesCard } from './PackageChangesCard';

const pageSize = 50;

/** A received package (报送包): its facts, its records (school packages), 审核通过 / 退回 / 重新打开 per abilities. */
export function PackagePage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const id = Number(useParams().id);
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<PackageItem[]>([]);
  const [dialog, setDialog] = useState<'return' | 'reopen' | 'shortfall' | null>(null);
  const pkg = useQuery({ queryKey: packageKeys.package(id), queryFn: ({ signal }) => getPackage(id, signal) });
  const user = useCurrentUser();
  // The package names its unit by code only; the unit's own query gives the name.
  const unit = useQuery({ ...unitQuery(pkg.data?.unitCode ?? ''), enabled: Boolean(pkg.data) });
  const isSchool = pkg.data?.unitCode.length === 10;
  const items = useQuery({
    queryKey: packageKeys.items(id, page, pageSize),
    queryFn: ({ signal }) => listPackageItems(id, page, pageSize, signal),
    enabled: isSchool,
  });
  const decide = useMutation({
    mutationFn: (step: { kind: 'approve'; shortfallNote?: string } | { kind: 'return'; input: ReturnInput } | { kind: 'reopen'; reason: string }) =>
      step.kind === 'approve'
        ? approvePackage(id, pkg.data?.shortfall ? { acceptShortfall: true, shortfallNote: step.shortfallNote } : {})
        : step.kind === 'return'
          ? returnPackage(id, step.input)
          : reopenPackage(id, step.reason),
    onSuccess: (_, step) => {
      setDialog(null);
      setSelected([]);
      void message.success(t(step.kind === 'approve' ? 'package.approved' : step.kind === 'return' ? 'package.returned' : 'package.reopened'));
      void queryClient.invalidateQueries({ queryKey: packageKeys.all });
    },
    onError: (error) => void message.error(errorText(error, lang)),
  });

  if (pkg.error) return <Result status="warning" title={errorText(pkg.error, lang)} />;
  if (!pkg.data) return <div className="rc-page-center"><Spin /></div>;
  const data = pkg.data;
  const actions = [
    data.abilities.approve && !data.shortfall && (
      <Popconfirm key="approve" title={t('package.approve')} okText={t('common.confirm')} cancelText={t('common.cancel')} onConfirm={() => decide.mutate({ kind: 'approve' })}>
        <Button type="primary" loading={decide.isPending} data-testid="approve-button">{t('package.approve')}</Button>
      </Popconfirm>
    ),
    // A short package is approved only with the shortfall accepted explicitly.
    data.abilities.approve && data.shortfall && (
      <Button key="approve" type="primary" loading={decide.isPending} onClick={() => setDialog('shortfall')} data-testid="approve-button">{t('package.approve')}</Button>
    ),
    data.abilities.return && (
      <Button key="return" danger onClick={() => setDialog('return')} data-testid="return-button">
        {t('package.return')}
      </Button>
    ),
    data.abilities.reopen && (
      <Button key="reopen" onClick={() => setDialog('reopen')} data-testid="reopen-button">
        {t('package.reopen')}
      </Button>
    ),
  ].filter(Boolean);

  return (
    <div className="rc-page" data-testid="package-page">
      <div className="rc-page-header">
        <div className="rc-page-title-row">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('package.title')} · <Link to={`/units/${data.unitCode}`}>{unit.data?.name ?? data.unitCode}</Link> v{data.versionNo}
          </Typography.Title>
          <Space wrap>{actions}</Space>
        </div>
        <Link to={user.unit.code === data.unitCode ? `/units/${data.unitCode}/submission` : `/units/${data.receiverCode}/inbox`}>{t('common.back')}</Link>
      </div>
      {data.stale && data.status === 'submitted' && <Alert type="warning" showIcon className="rc-section" title={t('package.staleApproveBlocked')} description={data.stale.cause} data-testid="package-stale-alert" />}
      <Card className="rc-section">
        <PackageDetails pkg={data} />
      </Card>
      <PackageChangesCard packageId={data.id} />
      <Card title={t('package.items')} className="rc-section" extra={selected.length > 0 && t('package.selectedRows', { count: selected.length })}>
        {isSchool ? (
          <Table
            rowKey="staffId"
            size="small"
            loading={items.isLoading}
            dataSource={items.data?.items ?? []}
            rowSelection={data.abilities.return ? { selectedRowKeys: selected.map((item) => item.staffId), onChange: (_, rows) => setSelected(rows), preserveSelectedRowKeys: true } : undefined}
            pagination={{ current: page, pageSize, total: items.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (total) => t('common.total', { total }) }}
            data-testid="package-items"
            columns={[
              { title: t('package.name'), dataIndex: 'name', render: (name: string, row: PackageItem) => <Link to={`/staff/${row.staffId}`}>{name}</Link> },
              { title: t('package.idNumber'), dataIndex: 'idNumber', render: (value: string) => <span className="rc-code">{value}</span> },
              { title: t('package.confirmedVia'), dataIndex: 'confirmedVia', width: 150, render: (via: PackageItem['confirmedVia']) => via && t(`package.confirmedVia.${via}`) },
              { title: t('package.status'), dataIndex: 'status', width: 120, render: (status: string) => <StaffStatusTag status={status} /> },
              { title: t('package.returnReason'), dataIndex: 'returnReason', render: (reason: string | null) => reason && <Typography.Text type="danger">{reason}</Typography.Text> },
            ]}
          />
        ) : (
          <Typography.Text type="secondary">{t('package.itemsNone')}</Typography.Text>
        )}
      </Card>
      <ReturnPackageModal open={dialog === 'return'} loading={decide.isPending} selected={selected} onCancel={() => setDialog(null)} onSubmit={(input) => decide.mutate({ kind: 'return', input })} />
      <ApproveShortfallModal pkg={data} open={dialog === 'shortfall'} loading={decide.isPending} onCancel={() => setDialog(null)} onSubmit={(note) => decide.mutate({ kind: 'approve', shortfallNote: note })} />
      <ReasonModal title={t('package.reopen')} open={dialog === 'reopen'} loading={decide.isPending} onCancel={() => setDialog(null)} onSubmit={(reason) => decide.mutate({ kind: 'reopen', reason })} />
    </div>
  );
}
