import { useQuery } from '@tanstack/react-query';
import { Alert, Input, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { useLabels } from '../shared/useLabels';
import { useListParams } from '../shared/useListParams';
import type { UnitKind } from '../auth/auth-api';
import { unitKinds } from '../../contract/units';
import { childrenQuery } from './unit-queries';
import { kindColors } from './UnitHeader';
import type { Unit, UnitListItem } from './units-api';

const filterNames = ['kind'] as const;

/** The kinds a unit's direct children may have: the province has prefectures and its universities. */
const childKinds: Record<Unit['kind'], UnitKind[]> = { province: ['prefecture', 'school'], prefecture: ['county'], county: ['school'], school: [] };

/** 下级单位: a unit's direct children with their counts, paged on the server. */
export function ChildUnitsTable({ unit }: { unit: Unit }) {
  const { t, lang } = useI18n();
  const labels = useLabels();
  const { params, setSearch, setFilter, setPage, pageSizeOptions } = useListParams(filterNames);
  const kind = unitKinds.find((known) => known === params.filters.kind);
  const query = useQuery(childrenQuery(unit.code, { q: params.q || undefined, kind, page: params.page, pageSize: params.pageSize }));
  const kinds = childKinds[unit.kind];

  const columns: TableColumnsType<UnitListItem> = [
    { title: t('unit.code'), dataIndex: 'code', width: 130, render: (code: string) => <span className="rc-code">{code}</span> },
    { title: t('unit.name'), dataIndex: 'name', render: (name: string, row) => <Link to={`/units/${row.code}`}>{name}</Link> },
    {
      title: t('unit.col.typeOrKind'),
      dataIndex: 'kind',
      width: 160,
      render: (value: UnitKind, row) =>
        value === 'school' ? <Tag color={kindColors.school}>{labels.schoolType(row.schoolType)}</Tag> : <Tag color={kindColors[value]}>{labels.kind(value)}</Tag>,
    },
    {
      title: t('unit.col.schools'),
      key: 'schools',
      width: 120,
      align: 'right',
      render: (_value, row) => (row.kind === 'school' ? t('common.none') : row.counts.schools.toLocaleString()),
    },
    {
      title: t('unit.col.expectedStaff'),
      key: 'expectedStaff',
      width: 140,
      align: 'right',
      render: (_value, row) => row.counts.expectedStaff.toLocaleString(),
    },
  ];

  return (
    <div data-testid="children-table">
      <Space wrap className="rc-table-toolbar">
        <Input.Search
          key={`q-${params.q}`}
          defaultValue={params.q}
          allowClear
          placeholder={t('unit.searchPlaceholder')}
          onSearch={setSearch}
          style={{ width: 280 }}
          enterButton={t('common.search')}
        />
        {kinds.length > 1 && (
          <Select<UnitKind>
            allowClear
            placeholder={t('unit.filter.kind')}
            value={kind}
            onChange={(value) => setFilter('kind', value)}
            options={kinds.map((value) => ({ value, label: labels.kind(value) }))}
            style={{ width: 160 }}
          />
        )}
      </Space>
      {query.isError && <Alert type="error" showIcon title={errorText(query.error, lang)} style={{ marginBottom: 12 }} />}
      <Table<UnitListItem>
        rowKey="code"
        size="middle"
        columns={columns}
        dataSource={query.data?.items}
        loading={query.isFetching}
        scroll={{ x: 700 }}
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
    </div>
  );
}
