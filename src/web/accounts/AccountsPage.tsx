import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Input, Result, Select, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { useLabels } from '../shared/useLabels';
import { useListParams } from '../shared/useListParams';
import { InitialCredentialsButton } from './InitialCredentialsButton';
import type { Role } from '../auth/auth-api';
import { roleSchema } from '../../contract/auth.schema';
import { useCurrentUser } from '../auth/SessionProvider';
import { unitQuery } from '../org/unit-queries';
import { isUnitCode } from '../org/units-api';
import { AccountActions } from './AccountActions';
import { accountsQuery, type Account } from './accounts-api';
import { CreateAccountModal } from './CreateAccountModal';
import { EditAccountModal } from './EditAccountModal';
import { ResetPasswordModal } from './ResetPasswordModal';

const filterNames = ['role', 'unit', 'only'] as const;
const roleColors: Record<Role, string> = { admin: 'red', operator: 'blue', leader: 'purple', viewer: 'default' };

type Dialog = { kind: 'create' } | { kind: 'edit'; account: Account } | { kind: 'reset'; account: Account } | null;

function StatusTag({ account }: { account: Account }) {
  const { t } = useI18n();
  if (account.disabled) return <Tag>{t('accounts.status.disabled')}</Tag>;
  if (account.locked) {
    return (
      <Tooltip title={account.lockedUntil ? t('accounts.status.lockedUntil', { time: dayjs(account.lockedUntil).format('YYYY-MM-DD HH:mm') }) : undefined}>
        <Tag color="red">{t('accounts.status.locked')}</Tag>
      </Tooltip>
    );
  }
  return <Tag color="green">{t('accounts.status.active')}</Tag>;
}

/** 账号管理: the accounts of the admin's jurisdiction, paged on the server, with search and filters. */
export function AccountsPage() {
  const { t, lang } = useI18n();
  const labels = useLabels();
  const user = useCurrentUser();
  const { params, setSearch, setFilter, setPage, reset, pageSizeOptions } = useListParams(filterNames);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [unitInput, setUnitInput] = useState(params.filters.unit ?? '');
  const [unitInvalid, setUnitInvalid] = useState(false);
  // The role filter comes from the address bar: anything but a role filters nothing.
  const role = roleSchema.safeParse(params.filters.role).data;
  const unitCode = params.filters.unit;
  const query = useQuery({
    ...accountsQuery({
      q: params.q || undefined,
      role,
      unitCode,
      onlyUnit: unitCode && params.filters.only === '1' ? 'true' : undefined,
      page: params.page,
      pageSize: params.pageSize,
    }),
    enabled: user.abilities.manageAccounts,
  });
  const filterUnit = useQuery({ ...unitQuery(unitCode ?? ''), enabled: Boolean(unitCode) });

  if (!user.abilities.manageAccounts) return <Result status="403" title="403" subTitle={t('error.forbidden')} />;

  const columns: TableColumnsType<Account> = [
    { title: t('accounts.col.username'), dataIndex: 'username', width: 160, ellipsis: true, render: (username: string) => <span className="rc-code">{username}</span> },
    { title: t('accounts.col.displayName'), dataIndex: 'displayName', width: 180, ellipsis: true },
    { title: t('accounts.col.role'), dataIndex: 'role', width: 150, render: (value: Role) => <Tag color={roleColors[value]}>{labels.role(value)}</Tag> },
    {
      title: t('accounts.col.unit'),
      key: 'unit',
      ellipsis: true,
      render: (_value, row) => (
        <Link to={`/units/${row.unit.code}`}>
          {row.unit.name} <Typography.Text type="secondary" className="rc-code">{row.unit.code}</Typography.Text>
        </Link>
      ),
    },
    { title: t('accounts.col.status'), key: 'status', width: 90, render: (_value, row) => <StatusTag account={row} /> },
    {
      title: t('accounts.col.lastLogin'),
      dataIndex: 'lastLoginAt',
      width: 140,
      render: (at: string | null) => (at ? dayjs(at).format('YYYY-MM-DD HH:mm') : <Typography.Text type="secondary">{t('accounts.neverLoggedIn')}</Typography.Text>),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 170,
      fixed: 'right',
      render: (_value, row) => (
        <AccountActions account={row} onEdit={() => setDialog({ kind: 'edit', account: row })} onResetPassword={() => setDialog({ kind: 'reset', account: row })} />
      ),
    },
  ];

  const applyUnit = (value: string) => {
    const code = value.trim();
    if (code && !isUnitCode(code)) return setUnitInvalid(true);
    setUnitInvalid(false);
    setFilter('unit', code || undefined);
  };

  return (
    <div className="rc-page">
      <div className="rc-page-header">
        <div className="rc-page-title-row">
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>{t('accounts.title')}</Typography.Title>
            <Typography.Text type="secondary">{t(user.unit.kind === 'school' ? 'accounts.subtitleSchool' : 'accounts.subtitle', { unit: user.unit.name })}</Typography.Text>
          </div>
          <Space>
            <Button icon={<DownloadOutlined />} href={`/api/accounts/export${unitCode ? `?unitCode=${encodeURIComponent(unitCode)}` : ''}`} download data-testid="accounts-export">
              {t('accounts.export')}
            </Button>
            <InitialCredentialsButton unitCode={unitCode ?? user.unit.code} />
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create' })}>{t('accounts.create')}</Button>
          </Space>
        </div>
      </div>
      <Card className="rc-section">
        <Space wrap className="rc-table-toolbar" align="start">
          <Input.Search
            key={`q-${params.q}`}
            defaultValue={params.q}
            allowClear
            placeholder={t('accounts.searchPlaceholder')}
            onSearch={setSearch}
            style={{ width: 260 }}
            enterButton={t('common.search')}
          />
          <Select<Role>
            allowClear
            placeholder={t('accounts.filter.role')}
            value={role}
            onChange={(value) => setFilter('role', value)}
            options={labels.roleOptions}
            style={{ width: 180 }}
          />
          <Tooltip open={unitInvalid} title={t('accounts.filter.unitInvalid')} color="red">
            <Input.Search
              value={unitInput}
              status={unitInvalid ? 'error' : undefined}
              allowClear
              placeholder={t('accounts.filter.unit')}
              onChange={(event) => setUnitInput(event.target.value)}
              onSearch={applyUnit}
              maxLength={10}
              style={{ width: 200 }}
              className="rc-code"
            />
          </Tooltip>
          <Checkbox checked={params.filters.only === '1'} disabled={!unitCode} onChange={(event) => setFilter('only', event.target.checked ? '1' : undefined)}>
            {t('accounts.filter.onlyUnit')}
          </Checkbox>
          {filterUnit.data && (
            <Tag color="blue" className="rc-filter-tag">
              {t('accounts.filter.unitTag', { name: filterUnit.data.name, code: filterUnit.data.code })}
            </Tag>
          )}
          <Button
            onClick={() => {
              setUnitInput('');
              setUnitInvalid(false);
              reset();
            }}
          >
            {t('common.reset')}
          </Button>
        </Space>
        {query.isError && <Alert type="error" showIcon title={errorText(query.error, lang)} style={{ marginBottom: 12 }} />}
        <Table<Account>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={query.data?.items}
          loading={query.isFetching}
          scroll={{ x: 1040 }}
          tableLayout="fixed"
          data-testid="accounts-table"
          pagination={{
            current: params.page,
            pageSize: params.pageSize,
            total: query.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions,
            showTotal: (total) => t('common.total', { total: total.toLocaleString() }),
            onChange: setPage,
          }}
        />
      </Card>
      {dialog?.kind === 'create' && <CreateAccountModal defaultUnitCode={unitCode ?? user.unit.code} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'edit' && <EditAccountModal account={dialog.account} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'reset' && <ResetPasswordModal account={dialog.account} onClose={() => setDialog(null)} />}
    </div>
  );
}
