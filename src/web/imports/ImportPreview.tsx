import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Popconfirm, Result, Skeleton, Space, Statistic, Tabs, Tag, Tooltip } from 'antd';
import { CheckCircleOutlined, DownloadOutlined, FileExcelOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useNavigate } from 'react-router-dom';
import type { SchoolType } from '../../standard/index.ts';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { staffKeys } from '../staff/staff-api';
import { annotatedUrl, commitImport, countKeys, fileSize, importKeys, importQuery, originalUrl, type ImportCounts, type RowAction, type StaffImport } from './imports-api';
import { ImportRowsTable } from './ImportRowsTable';
import { ImportStatusTag } from './ImportStatusTag';
import { IssuesTable } from './IssuesTable';

type TabKey = 'issues' | RowAction;
const tabOfCount: Record<keyof ImportCounts, TabKey> = { new: 'new', changed: 'changed', unchanged: 'unchanged', invalid: 'invalid', conflicts: 'conflict' };
const countColors: Record<keyof ImportCounts, string> = { new: '#389e0d', changed: '#1668dc', unchanged: '#8c8c8c', invalid: '#cf1322', conflicts: '#d46b08' };

/** 新增/修改/无变化/错误/冲突 as cards; a click opens the rows behind the number. */
function CountCards({ counts, onOpen }: { counts: ImportCounts; onOpen: (tab: TabKey) => void }) {
  const { t } = useI18n();
  return (
    <div className="rc-count-grid" data-testid="import-counts">
      {countKeys.map((key) => (
        <Card key={key} size="small" hoverable onClick={() => onOpen(tabOfCount[key])} data-testid={`import-count-${key}`}>
          <Statistic title={t(`staffImport.counts.${key}`)} value={counts[key]} styles={{ content: { color: countColors[key] } }} />
        </Card>
      ))}
    </div>
  );
}

/** 确认导入 and what it will do; after the commit, the result and the way back to the staff list. */
function CommitBar({ upload, schoolCode }: { upload: StaffImport; schoolCode: string }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => commitImport(upload.id),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: importKeys.all });
      void queryClient.invalidateQueries({ queryKey: staffKeys.all });
    },
  });
  const committed = upload.status === 'committed' ? (upload.committedCounts ?? mutation.data) : mutation.data;
  if (committed) {
    return (
      <Result
        status="success"
        title={t('staffImport.committed')}
        subTitle={t('staffImport.committedSummary', committed)}
        extra={<Button type="primary" onClick={() => navigate(`/units/${schoolCode}?tab=staff`)} data-testid="import-to-list">{t('staffImport.toList')}</Button>}
        data-testid="import-committed"
      />
    );
  }
  if (upload.status !== 'previewed') return null;
  const { counts } = upload;
  const blocked = upload.mode === 'strict' && counts.invalid + counts.conflicts > 0;
  const hint = blocked ? t('staffImport.hint.strictBlocked', counts) : upload.mode === 'strict' ? t('staffImport.hint.strict') : t('staffImport.hint.lenient', counts);
  return (
    <Alert
      type={blocked ? 'warning' : 'info'}
      showIcon
      title={hint}
      description={mutation.error ? <span className="rc-finding-error" data-testid="commit-error">{errorText(mutation.error, lang)}</span> : undefined}
      action={
        <Popconfirm
          title={t('staffImport.commitTitle')}
          description={t('staffImport.commitConfirm', counts)}
          okText={t('staffImport.commit')}
          cancelText={t('common.cancel')}
          onConfirm={() => mutation.mutate()}
        >
          <Button type="primary" icon={<CheckCircleOutlined />} loading={mutation.isPending} data-testid="import-commit">
            {t('staffImport.commit')}
          </Button>
        </Popconfirm>
      }
    />
  );
}

type Props = { importId: number; schoolCode: string; schoolType: SchoolType; writes: boolean; onAnother: () => void };

/** 导入Excel, step 2: the preview of one upload (counts, problems, changes, conflicts), then the commit. */
export function ImportPreview({ importId, schoolCode, schoolType, writes, onAnother }: Props) {
  const { t, lang } = useI18n();
  const [tab, setTab] = useState<TabKey>('issues');
  const query = useQuery({ ...importQuery(importId), refetchInterval: (current) => (current.state.data?.status === 'checking' ? 1000 : false) });
  if (query.isError) return <Alert type="error" showIcon title={errorText(query.error, lang)} />;
  if (!query.data) return <Skeleton active paragraph={{ rows: 8 }} />;
  const upload = query.data;
  const readable = upload.format !== null && upload.status !== 'checking';

  const actions = [
    writes && readable && (
      <Tooltip key="annotated" title={t('staffImport.annotatedHint')}>
        <Button icon={<FileExcelOutlined />} href={annotatedUrl(upload.id)} data-testid="download-annotated">{t('staffImport.annotated')}</Button>
      </Tooltip>
    ),
    writes && <Button key="original" icon={<DownloadOutlined />} href={originalUrl(upload.id)}>{t('staffImport.original')}</Button>,
    writes && <Button key="another" icon={<UploadOutlined />} onClick={onAnother}>{t('staffImport.another')}</Button>,
  ].filter(Boolean);

  const tabs: { key: TabKey; label: string }[] = [
    { key: 'issues', label: t('staffImport.tab.issues') },
    { key: 'new', label: `${t('staffImport.tab.new')} ${upload.counts.new}` },
    { key: 'changed', label: `${t('staffImport.tab.changed')} ${upload.counts.changed}` },
    { key: 'conflict', label: `${t('staffImport.tab.conflict')} ${upload.counts.conflicts}` },
    { key: 'invalid', label: `${t('staffImport.tab.invalid')} ${upload.counts.invalid}` },
    { key: 'unchanged', label: `${t('staffImport.tab.unchanged')} ${upload.counts.unchanged}` },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="import-preview">
      <Card className="rc-section" title={upload.fileName} extra={actions.length > 0 ? <Space wrap>{actions}</Space> : undefined}>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2, xl: 5 }}
          items={[
            { key: 'status', label: t('staffImport.status'), children: <ImportStatusTag status={upload.status} /> },
            { key: 'mode', label: t('staffImport.mode'), children: <Tag>{t(`staffImport.modeShort.${upload.mode}`)}</Tag> },
            { key: 'size', label: t('staffImport.col.size'), children: fileSize(upload.fileSize) },
            { key: 'rows', label: t('staffImport.rows'), children: upload.rows.toLocaleString() },
            { key: 'at', label: t('staffImport.uploadedAt'), children: dayjs(upload.uploadedAt).format('YYYY-MM-DD HH:mm') },
          ]}
        />
      </Card>
      {upload.status === 'checking' && <Alert type="info" showIcon title={t('staffImport.stillChecking')} />}
      {upload.status === 'failed' && (
        <Alert type="error" showIcon title={t('staffImport.failed')} description={upload.errorMessage?.[lang]} data-testid="import-failed" />
      )}
      {readable && upload.status !== 'failed' && (
        <>
          <CountCards counts={upload.counts} onOpen={setTab} />
          {writes && <CommitBar upload={upload} schoolCode={schoolCode} />}
          <Card className="rc-section">
            <Tabs
              activeKey={tab}
              onChange={(key) => setTab(tabs.find((item) => item.key === key)?.key ?? 'issues')}
              destroyOnHidden
              items={tabs.map(({ key, label }) => ({
                key,
                label,
                children:
                  key === 'issues' ? (
                    <IssuesTable importId={upload.id} schoolType={schoolType} />
                  ) : (
                    <ImportRowsTable importId={upload.id} action={key} schoolType={schoolType} />
                  ),
              }))}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
