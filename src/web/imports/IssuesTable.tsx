import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { fieldByKey, fieldKeys, fieldsFor, type SchoolType } from '../../standard/index.ts';
import { errorText } from '../shared/api-client';
import { dictionary, isMessageKey } from '../shared/i18n/dictionary';
import { isOneOf } from '../shared/one-of';
import { useI18n } from '../shared/I18nProvider';
import { issuesQuery, type ImportIssue, type IssueQuery } from './imports-api';

type IssueRow = ImportIssue & { key: number };

// The kinds of finding with a name in the dictionary (`finding.<code>`), in the standard's order.
const findingCodes = Object.keys(dictionary.zh).filter((key) => key.startsWith('finding.')).map((key) => key.slice('finding.'.length));

/** The API prefixes each message with its row (“第3行 ”); the table has the row in a column. */
const withoutRow = (text: string) => text.replace(/^第\d+行\s*/, '').replace(/^Row \d+\s*/, '');

/** 问题明细: an import's findings, paged on the server, filterable by field, kind of problem and level. */
export function IssuesTable({ importId, schoolType }: { importId: number; schoolType: SchoolType }) {
  const { t, lang } = useI18n();
  const [query, setQuery] = useState<IssueQuery>({ page: 1, pageSize: 20 });
  const issues = useQuery(issuesQuery(importId, query));
  const filter = (changes: Partial<IssueQuery>) => setQuery((previous) => ({ ...previous, ...changes, page: 1 }));
  const label = (field: string | null) =>
    isOneOf(fieldKeys, field) ? (lang === 'en' ? fieldByKey[field].labelEn : fieldByKey[field].label) : t('staffImport.fileLevel');
  const codeLabel = (code: string) => {
    const key = `finding.${code}`;
    return findingCodes.includes(code) && isMessageKey(key) ? t(key) : code;
  };

  const columns: TableColumnsType<IssueRow> = [
    { title: t('staffImport.col.row'), dataIndex: 'row', width: 70, render: (row: number) => (row > 0 ? row : t('common.none')) },
    { title: t('staffImport.col.column'), dataIndex: 'column', width: 60, render: (column: string | number | null) => column ?? t('common.none') },
    { title: t('staffImport.col.field'), dataIndex: 'field', width: 170, render: label },
    {
      title: t('staffImport.col.severity'),
      dataIndex: 'severity',
      width: 80,
      render: (severity: ImportIssue['severity']) => <Tag color={severity === 'error' ? 'error' : 'warning'}>{t(`staffImport.severity.${severity}`)}</Tag>,
    },
    { title: t('staffImport.col.problem'), key: 'problem', render: (_value, issue) => withoutRow(lang === 'en' ? issue.messageEn : issue.message) },
  ];

  return (
    <div data-testid="import-issues">
      <Space wrap className="rc-table-toolbar">
        <Select<string>
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('staffImport.filter.field')}
          value={query.field}
          onChange={(field) => filter({ field })}
          options={fieldsFor(schoolType).map((field) => ({ value: field.key, label: lang === 'en' ? field.labelEn : field.label }))}
          style={{ width: 220 }}
          data-testid="issue-field-filter"
        />
        <Select<string>
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('staffImport.filter.code')}
          value={query.code}
          onChange={(code) => filter({ code })}
          options={findingCodes.map((code) => ({ value: code, label: codeLabel(code) }))}
          style={{ width: 220 }}
        />
        <Select<'error' | 'warning'>
          allowClear
          placeholder={t('staffImport.filter.severity')}
          value={query.severity}
          onChange={(severity) => filter({ severity })}
          options={[
            { value: 'error', label: t('staffImport.severity.error') },
            { value: 'warning', label: t('staffImport.severity.warning') },
          ]}
          style={{ width: 120 }}
        />
      </Space>
      {issues.isError && <Alert type="error" showIcon title={errorText(issues.error, lang)} style={{ marginBottom: 12 }} />}
      <Table<IssueRow>
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={issues.data?.items.map((issue, index) => ({ ...issue, key: index }))}
        loading={issues.isFetching}
        locale={{ emptyText: t('staffImport.noIssues') }}
        scroll={{ x: 800 }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: issues.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total: total.toLocaleString() }),
          onChange: (page, pageSize) => setQuery((previous) => ({ ...previous, page, pageSize })),
        }}
      />
    </div>
  );
}
