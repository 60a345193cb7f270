import { useQuery } from '@tanstack/react-query';
import { Alert, Input, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { useLabels } from '../shared/useLabels';
import { useListParams } from '../shared/useListParams';
import { schoolTypes, type SchoolType } from '../../standard/school-types';
import { schoolsQuery } from './unit-queries';
import type { UnitListItem } from './units-api';

const filterNames = ['type'] as const;

/** 学校: every school in a unit's subtree, paged on the server, searchable by name or code, filtered by type. */
export function SchoolsTable({ unitCode }: { unitCode: string }) {
  const { t, lang } = useI18n();
  const labels = useLabels();
  const { params, setSearch, setFilter, setPage, pageSizeOptions } = useListParams(filterNames);
  const schoolType = schoolTypes.find((known) => known === params.filters.type);
  const query = useQuery(schoolsQuery(unitCode, { q: params.q || undefined, schoolType, page: params.page, pageSize: params.pageSize }));

  const columns: TableColumnsType<UnitListItem> = [
    { title: t('school.code'), dataIndex: 'code', width: 130, render: (code: string) => <span className="rc-code">{code}</span> },
    { title: t('school.name'), dataIndex: 'name', render: (name: string, row) => <Link to={`/units/${row.code}`}>{name}</Link> },
    { title: t('school.type'), dataIndex: 'schoolType', width: 150, render: (type: SchoolType | null) => <Tag>{labels.schoolType(type)}</Tag> },
    { title: t('school.county'), dataIndex: 'countyName', width: 140, render: (name: string | null) => name ?? t('common.none') },
    { title: t('school.reportingUnit'), dataIndex: 'reportingUnitName', width: 160, render: (name: string | null) => name ?? t('common.none') },
    {
      title: t('school.expectedStaff'),
      dataIndex: 'expectedStaff',
      width: 170,
      align: 'right',
      render: (count: number | null) => (count === null ? t('common.none') : count.toLocaleString()),
    },
  ];

  return (
    <div data-testid="schools-table">
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
        <Select<SchoolType>
          allowClear
          placeholder={t('unit.filter.schoolType')}
          value={schoolType}
          onChange={(value) => setFilter('type', value)}
          options={labels.schoolTypeOptions}
          style={{ width: 180 }}
        />
      </Space>
      {query.isError && <Alert type="error" showIcon title={errorText(query.error, lang)} style={{ marginBottom: 12 }} />}
      <Table<UnitListItem>
        rowKey="code"
        size="middle"
        columns={columns}
        dataSource={query.data?.items}
        loading={query.isFetching}
        scroll={{ x: 900 }}
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
