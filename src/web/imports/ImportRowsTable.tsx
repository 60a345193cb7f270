import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Table, Typography, type TableColumnsType } from 'antd';
import { ArrowRightOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { fieldByKey, type FieldKey, type SchoolType } from '../../standard/index.ts';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { plainValue } from '../staff/staff-form-model';
import { fieldChangesOf, holderOf, rowsQuery, type ImportRow, type RowAction } from './imports-api';

const isFieldKey = (key: string): key is FieldKey => key in fieldByKey;

/** One changed field: its Chinese label, the old value → the new one, codes in words. */
function ChangeLine({ field, before, after, schoolType }: { field: string; before: string | null; after: string | null; schoolType: SchoolType }) {
  const { t, lang } = useI18n();
  const known = isFieldKey(field);
  const label = known ? (lang === 'en' ? fieldByKey[field].labelEn : fieldByKey[field].label) : field;
  const words = (value: string | null) => (known ? plainValue(field, value, schoolType) : value) ?? t('common.none');
  return (
    <div className="rc-change-line">
      <Typography.Text strong>{label}</Typography.Text>：<Typography.Text delete type="secondary">{words(before)}</Typography.Text>
      <ArrowRightOutlined className="rc-change-arrow" />
      <Typography.Text mark>{words(after)}</Typography.Text>
    </div>
  );
}

/** The rows of an import with one action: new people, changed ones (old → new per field), conflicts, … */
export function ImportRowsTable({ importId, action, schoolType }: { importId: number; action: RowAction; schoolType: SchoolType }) {
  const { t, lang } = useI18n();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const rows = useQuery(rowsQuery(importId, action, paging.page, paging.pageSize));
  const label = (key: FieldKey) => (lang === 'en' ? fieldByKey[key].labelEn : fieldByKey[key].label);
  const value = (key: FieldKey) => (_value: unknown, row: ImportRow) => plainValue(key, row.values?.[key], schoolType) ?? t('common.none');

  const columns: TableColumnsType<ImportRow> = [
    { title: t('staffImport.col.row'), dataIndex: 'row', width: 70 },
    { title: label('name'), key: 'name', width: 120, render: value('name') },
    { title: label('idNumber'), key: 'idNumber', width: 190, render: (_value, row) => <span className="rc-code">{row.values?.idNumber ?? t('common.none')}</span> },
  ];
  if (action === 'new' || action === 'invalid') {
    columns.push(
      { title: label('sex'), key: 'sex', width: 70, render: value('sex') },
      { title: label('birthDate'), key: 'birthDate', width: 120, render: value('birthDate') },
      { title: label('staffCategory'), key: 'staffCategory', render: value('staffCategory') },
    );
  }
  if (action === 'changed') {
    columns.push({
      title: t('staffImport.col.changes'),
      key: 'changes',
      render: (_value, row) => fieldChangesOf(row).map(([field, change]) => <ChangeLine key={field} field={field} {...change} schoolType={schoolType} />),
    });
  }
  if (action === 'conflict') {
    columns.push({
      title: t('staffImport.col.holder'),
      key: 'holder',
      render: (_value, row) => {
        const holder = holderOf(row);
        return holder ? `${holder.countyName ?? ''}${holder.schoolName}` : t('common.none');
      },
    });
  }
  if (action === 'changed' || action === 'unchanged') {
    columns.push({
      title: t('staffImport.col.record'),
      key: 'record',
      width: 80,
      render: (_value, row) => (row.staffId ? <Link to={`/staff/${row.staffId}`}>{t('staffImport.open')}</Link> : null),
    });
  }

  return (
    <div data-testid={`import-rows-${action}`}>
      {action === 'conflict' && <Alert type="warning" showIcon title={t('staffImport.conflictHint')} style={{ marginBottom: 12 }} />}
      {action === 'invalid' && <Alert type="error" showIcon title={t('staffImport.invalidHint')} style={{ marginBottom: 12 }} />}
      {rows.isError && <Alert type="error" showIcon title={errorText(rows.error, lang)} style={{ marginBottom: 12 }} />}
      <Table<ImportRow>
        rowKey="row"
        size="small"
        columns={columns}
        dataSource={rows.data?.items}
        loading={rows.isFetching}
        scroll={{ x: 700 }}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: rows.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total: total.toLocaleString() }),
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
      />
    </div>
  );
}
