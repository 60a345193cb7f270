import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Modal, Result, Space, Statistic, Table, Typography, Upload, type TableColumnsType } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { ApiError, errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import type { MessageKey } from '../shared/i18n/dictionary';
import { schoolListRejectionSchema } from '../../contract/schools.schema';
import { importSchools, schoolTemplateUrl, unitKeys, type ImportRowError } from './units-api';

type ErrorRow = ImportRowError & { key: number };

const fieldLabels: Record<string, MessageKey> = {
  code: 'field.code',
  name: 'field.name',
  schoolType: 'field.schoolType',
  countyCode: 'field.countyCode',
  expectedStaff: 'field.expectedStaff',
};

/** The row errors of a rejected list, when the API sent them (422 with details.errors). */
function rowErrorsOf(error: unknown): ImportRowError[] | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const details = schoolListRejectionSchema.safeParse(error.details);
  return details.success ? details.data.errors : null;
}

/** The API repeats row and column in each message (“第3行 学校名称：不能为空”); the table has them in columns. */
const problemOnly = (text: string) => text.replace(/^第\d+行[^：]*：/, '').replace(/^Row \d+[^:]*:\s*/, '');

/** 批量导入: upload a school list (.xlsx); all rows are written, or none and every bad cell is listed. */
export function ImportSchoolsModal({ onClose }: { onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [createAccounts, setCreateAccounts] = useState(false);
  const mutation = useMutation({
    mutationFn: importSchools,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: unitKeys.all }),
  });
  const rowErrors = rowErrorsOf(mutation.error);
  const result = mutation.data;

  const columns: TableColumnsType<ErrorRow> = [
    { title: t('import.col.row'), dataIndex: 'row', width: 70 },
    { title: t('import.col.column'), dataIndex: 'column', width: 70, render: (column: string | null) => column ?? t('common.none') },
    { title: t('import.col.field'), dataIndex: 'field', width: 140, render: (field: string | null) => (field && fieldLabels[field] ? t(fieldLabels[field]) : t('common.none')) },
    { title: t('import.col.problem'), key: 'problem', render: (_value, row) => problemOnly(lang === 'en' ? row.messageEn : row.message) },
  ];

  const again = () => {
    mutation.reset();
    setFile(null);
  };

  const footer = result
    ? [<Button key="again" onClick={again}>{t('import.again')}</Button>, <Button key="close" type="primary" onClick={onClose}>{t('import.close')}</Button>]
    : [
        <Button key="cancel" onClick={onClose}>{t('common.cancel')}</Button>,
        <Button key="start" type="primary" disabled={!file} loading={mutation.isPending} onClick={() => file && mutation.mutate({ file, createAccounts })}>
          {t('import.start')}
        </Button>,
      ];

  return (
    <Modal open title={t('import.title')} onCancel={onClose} footer={footer} width={rowErrors ? 860 : 560}>
      {result ? (
        <Result
          status="success"
          title={t('import.done')}
          extra={
            <Space size={48}>
              <Statistic title={t('import.created')} value={result.created} />
              <Statistic title={t('import.updated')} value={result.updated} />
              <Statistic title={t('import.unchanged')} value={result.unchanged} />
              {createAccounts && <Statistic title={t('import.accountsCreated')} value={result.accountsCreated} />}
            </Space>
          }
        />
      ) : (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('import.intro')}</Typography.Paragraph>
          <Typography.Link href={schoolTemplateUrl} download>
            <DownloadOutlined /> {t('import.template')}
          </Typography.Link>
          <Upload.Dragger
            accept=".xlsx"
            maxCount={1}
            fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
            beforeUpload={(chosen) => {
              if (!chosen.name.toLowerCase().endsWith('.xlsx')) {
                void message.error(t('import.onlyXlsx'));
                return Upload.LIST_IGNORE;
              }
              mutation.reset();
              setFile(chosen);
              return false;
            }}
            onRemove={() => {
              mutation.reset();
              setFile(null);
            }}
          >
            <p className="ant-upload-drag-icon"><InboxOutlined /></p>
            <p className="ant-upload-text">{t('import.drop')}</p>
            <p className="ant-upload-hint">{t('import.dropHint')}</p>
          </Upload.Dragger>
          <div>
            <Checkbox checked={createAccounts} onChange={(event) => setCreateAccounts(event.target.checked)} data-testid="import-create-accounts">
              {t('import.createAccounts')}
            </Checkbox>
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0 24px' }}>{t('import.createAccountsHint')}</Typography.Paragraph>
          </div>
          {mutation.error && !rowErrors && <Alert type="error" showIcon title={errorText(mutation.error, lang)} />}
          {rowErrors && (
            <>
              <Alert type="error" showIcon title={t('import.rejected', { count: rowErrors.length })} />
              <Table<ErrorRow>
                rowKey="key"
                size="small"
                columns={columns}
                dataSource={rowErrors.map((row, index) => ({ ...row, key: index }))}
                pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
                data-testid="import-errors"
              />
            </>
          )}
        </Space>
      )}
    </Modal>
  );
}
