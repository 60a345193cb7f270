import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Input, Segmented, Select, Space, Table, Tag, Tooltip, type TableColumnsType } from 'antd';
import { recordStates, type ConfirmedVia, type RecordState } from '../../contract/record-states';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useNavigate } from 'react-router-dom';
import { fieldByKey, type FieldKey, type SchoolType } from '../../standard/index.ts';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { useListParams } from '../shared/useListParams';
import { ExportStaffButton } from './ExportStaffButton';
import { plainValue } from './staff-form-model';
import { staffListQuery, type StaffListItem } from './staff-api';
import { StaffStatusTag, useStatusOptions } from './StaffStatusTag';
import { ConfirmedViaTag, useConfirmedViaOptions } from './ConfirmedViaTag';
import { BulkActions } from './BulkActions';
import { StaffSummaryBar } from './StaffSummaryBar';

const filterNames = ['status', 'warnings', 'flag', 'via', 'batch'] as const;

/** Quick filters (有更正申请 / 审核后被修改), one at a time. */
const flags = ['pendingCorrection', 'changedSinceApproval'] as const;
type Flag = (typeof flags)[number];

/** 教职工: a school's staff records, paged on the server, with the school's entry, template, import and export. */
export function StaffTable({ school }: { school: { code: string; name: string; schoolType: SchoolType; abilities: { writeStaff: boolean } } }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const statusOptions = useStatusOptions();
  const viaOptions = useConfirmedViaOptions();
  const { params, setSearch, setFilter, setPage, pageSizeOptions } = useListParams(filterNames);
  const hasWarnings = params.filters.warnings === 'true' || params.filters.warnings === 'false' ? params.filters.warnings : undefined;
  const flag = flags.find((name) => name === params.filters.flag);
  const via = viaOptions.find((option) => option.value === params.filters.via)?.value;
  const batch = /^[1-9]\d{0,15}$/.test(params.filters.batch ?? '') ? params.filters.batch : undefined;
  const query = useQuery(
    staffListQuery(school.code, {
      q: params.q || undefined,
      status: recordStates.find((state): state is RecordState => state === params.filters.status),
      hasWarnings,
      pendingCorrection: flag === 'pendingCorrection' ? 'true' : undefined,
      changedSinceApproval: flag === 'changedSinceApproval' ? 'true' : undefined,
      confirmedVia: via,
      batch,
      page: params.page,
      pageSize: params.pageSize,
    }),
  );
  const writes = school.abilities.writeStaff;
  const [selected, setSelected] = useState<number[]>([]);

  // Column titles are the standard's own labels.
  const label = (key: FieldKey) => (lang === 'en' ? fieldByKey[key].labelEn : fieldByKey[key].label);
  const coded = (key: FieldKey) => (value: string | null) => plainValue(key, value, school.schoolType) ?? t('common.none');
  const columns: TableColumnsType<StaffListItem> = [
    { title: label('name'), dataIndex: 'name', width: 110, render: (name: string | null) => <a>{name ?? t('common.none')}</a> },
    { title: label('sex'), dataIndex: 'sex', width: 60, render: coded('sex') },
    { title: label('idNumber'), dataIndex: 'idNumber', width: 190, render: (id: string | null) => <span className="rc-code">{id ?? t('common.none')}</span> },
    { title: label('birthDate'), dataIndex: 'birthDate', width: 110, render: (date: string | null) => date ?? t('common.none') },
    { title: label('staffCategory'), dataIndex: 'staffCategory', width: 120, render: coded('staffCategory') },
    { title: label('onPayroll'), dataIndex: 'onPayroll', width: 90, render: coded('onPayroll') },
    { title: t('staff.col.status'), dataIndex: 'status', width: 110, render: (status: string) => <StaffStatusTag status={status} /> },
    { title: t('staff.col.confirmedVia'), dataIndex: 'confirmedVia', width: 170, render: (kind: ConfirmedVia | null) => <ConfirmedViaTag via={kind} /> },
    {
      title: t('staff.col.warnings'),
      dataIndex: 'warnings',
      width: 70,
      align: 'right',
      render: (count: number) => (count > 0 ? <Tag color="warning">{count}</Tag> : <span className="rc-muted">0</span>),
    },
    { title: t('staff.col.updatedAt'), dataIndex: 'updatedAt', width: 140, render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm') },
  ];

  return (
    <div data-testid="staff-table">
      <div className="rc-table-toolbar rc-toolbar-split">
        <Space wrap>
          <Input.Search
            key={`q-${params.q}`}
            defaultValue={params.q}
            allowClear
            placeholder={t(query.data?.idNumbersMasked ? 'staff.searchPlaceholderMasked' : 'staff.searchPlaceholder')}
            onSearch={setSearch}
            style={{ width: 300 }}
            enterButton={t('common.search')}
          />
          <Select<string>
            allowClear
            placeholder={t('staff.filter.status')}
            value={params.filters.status}
            onChange={(value) => setFilter('status', value)}
            options={statusOptions}
            style={{ width: 150 }}
          />
          <Select<string>
            allowClear
            placeholder={t('staff.filter.confirmedVia')}
            value={via}
            onChange={(value) => setFilter('via', value)}
            options={viaOptions}
            style={{ width: 190 }}
            data-testid="staff-filter-via"
          />
          {batch && (
            <Tooltip title={t('staff.filter.batchHint')}>
              <Tag color="purple" closable onClose={() => setFilter('batch', undefined)} data-testid="staff-filter-batch">
                {t('staff.filter.batch', { id: batch })}
              </Tag>
            </Tooltip>
          )}
          <Select<string>
            allowClear
            placeholder={t('staff.filter.warnings')}
            value={hasWarnings}
            onChange={(value) => setFilter('warnings', value)}
            options={[
              { value: 'true', label: t('staff.filter.hasWarnings') },
              { value: 'false', label: t('staff.filter.noWarnings') },
            ]}
            style={{ width: 120 }}
          />
          <Segmented<Flag | 'all'>
            value={flag ?? 'all'}
            onChange={(value) => setFilter('flag', value === 'all' ? undefined : value)}
            options={[
              { value: 'all', label: t('workflow.quick.all') },
              ...flags.map((name) => ({ value: name, label: t(`workflow.quick.${name}`) })),
            ]}
            data-testid="staff-quick-filter"
          />
        </Space>
        <Space wrap>
          {writes && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/units/${school.code}/staff/new`)}>
              {t('staff.add')}
            </Button>
          )}
          <Tooltip title={t('staff.templateHint')}>
            <Button icon={<DownloadOutlined />} href={`/api/schools/${school.code}/template`} data-testid="download-template">
              {t('staff.template')}
            </Button>
          </Tooltip>
          {writes && (
            <Button icon={<UploadOutlined />} onClick={() => navigate(`/units/${school.code}/import`)}>
              {t('staff.import')}
            </Button>
          )}
          <ExportStaffButton unit={school} label={t('staff.export')} />
        </Space>
      </div>
      <StaffSummaryBar schoolCode={school.code} />
      {writes && <BulkActions school={school} ids={selected} onDone={() => setSelected([])} />}
      {query.isError && <Alert type="error" showIcon title={errorText(query.error, lang)} style={{ marginBottom: 12 }} />}
      <Table<StaffListItem>
        rowKey="id"
        rowSelection={writes ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(Number)), preserveSelectedRowKeys: true } : undefined}
        size="middle"
        columns={columns}
        dataSource={query.data?.items}
        loading={query.isFetching}
        scroll={{ x: 1170 }}
        locale={{ emptyText: t('staff.empty') }}
        onRow={(row) => ({
          // A click on the selection checkbox selects; anywhere else opens the record.
          onClick: (event) => {
            if (!(event.target instanceof Element && event.target.closest('.ant-table-selection-column'))) navigate(`/staff/${row.id}`);
          },
          className: 'rc-clickable-row',
        })}
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
