import { useQuery } from '@tanstack/react-query';
import { Alert, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { useListParams } from '../shared/useListParams';
import { annotatedUrl, fileSize, importHistoryQuery, originalUrl, type StaffImport } from './imports-api';
import { ImportStatusTag } from './ImportStatusTag';

const noFilters: readonly string[] = [];

/** 导入记录: a school's uploads, newest first, with links to the preview, the annotated workbook and the file. */
export function ImportHistoryTable({ schoolCode, writes }: { schoolCode: string; writes: boolean }) {
  const { t, lang } = useI18n();
  const { params, setPage, pageSizeOptions } = useListParams(noFilters);
  const query = useQuery(importHistoryQuery(schoolCode, params.page, params.pageSize));

  const columns: TableColumnsType<StaffImport> = [
    { title: t('staffImport.col.time'), dataIndex: 'uploadedAt', width: 140, render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm') },
    { title: t('staffImport.file'), dataIndex: 'fileName', width: 170, ellipsis: { showTitle: true } },
    { title: t('staffImport.col.size'), dataIndex: 'fileSize', width: 76, align: 'right', render: fileSize },
    { title: t('staffImport.col.uploader'), dataIndex: 'uploadedBy', width: 84, render: (id: number) => `#${id}` },
    { title: t('staffImport.col.mode'), dataIndex: 'mode', width: 70, render: (mode: StaffImport['mode']) => <Tag>{t(`staffImport.modeShort.${mode}`)}</Tag> },
    { title: t('staffImport.col.status'), dataIndex: 'status', width: 84, render: (status: string) => <ImportStatusTag status={status} /> },
    {
      title: t('staffImport.col.counts'),
      key: 'counts',
      width: 220,
      render: (_value, upload) =>
        upload.status === 'failed' ? (
          <Typography.Text type="danger">{upload.errorMessage?.[lang] ?? t('staffImport.failed')}</Typography.Text>
        ) : (
          <Typography.Text type="secondary">{t('staffImport.countsShort', upload.committedCounts ?? upload.counts)}</Typography.Text>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 200,
      render: (_value, upload) => (
        <Space size={[12, 0]} wrap>
          <Link to={`/units/${schoolCode}/import?import=${upload.id}`}>{t('staffImport.details')}</Link>
          {writes && upload.format && upload.status !== 'checking' && <a href={annotatedUrl(upload.id)}>{t('staffImport.annotatedShort')}</a>}
          {writes && <a href={originalUrl(upload.id)}>{t('staffImport.original')}</a>}
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="import-history">
      {query.isError && <Alert type="error" showIcon title={errorText(query.error, lang)} style={{ marginBottom: 12 }} />}
      <Table<StaffImport>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={query.data?.items}
        loading={query.isFetching}
        locale={{ emptyText: t('staffImport.history.empty') }}
        scroll={{ x: 1040 }}
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
