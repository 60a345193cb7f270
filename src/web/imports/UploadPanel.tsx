import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Progress, Radio, Space, Spin, Typography, Upload } from 'antd';
import { CloudUploadOutlined, DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { importProgressQuery, newUploadToken, templateUrl, uploadImport, type ImportMode } from './imports-api';

type Phase = 'idle' | 'uploading' | 'checking';
const accepted = /\.(xlsx|csv)$/i;
/** The server's upload limit, checked here too so a large file is refused before it is sent. */
const maxBytes = 64 * 1024 * 1024;

/**
 * Upload with progress: the bytes sent (XMLHttpRequest upload progress), then the rows the server has
 * checked so far (polled every 500 ms by the upload's token) until the preview arrives.
 */
function useUpload(schoolCode: string, onUploaded: (importId: number) => void) {
  const [phase, setPhase] = useState<Phase>('idle');
  const [percent, setPercent] = useState(0);
  const [token, setToken] = useState('');
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const progress = useQuery({ ...importProgressQuery(schoolCode, token), enabled: phase === 'checking' && token !== '', refetchInterval: 500 });
  const mutation = useMutation({
    mutationFn: ({ file, mode }: { file: File; mode: ImportMode }) => {
      const uploadToken = newUploadToken();
      abort.current = new AbortController();
      setToken(uploadToken);
      setPercent(0);
      setPhase('uploading');
      return uploadImport(
        schoolCode,
        { file, mode, uploadToken },
        (sent, total) => {
          if (total > 0) setPercent(Math.min(100, Math.round((sent / total) * 100)));
          if (total > 0 && sent >= total) setPhase('checking');
        },
        abort.current.signal,
      );
    },
    onSuccess: (preview) => onUploaded(preview.id),
    onSettled: () => setPhase('idle'),
  });
  return { phase, percent, rowsChecked: progress.data?.rows ?? 0, mutation };
}

/** 导入Excel, step 1: the file (.xlsx or .csv), the mode, and the upload with its progress. */
export function UploadPanel({ schoolCode, onUploaded }: { schoolCode: string; onUploaded: (importId: number) => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>('lenient');
  const { phase, percent, rowsChecked, mutation } = useUpload(schoolCode, onUploaded);
  const busy = mutation.isPending;

  return (
    <Card className="rc-section" title={t('staffImport.title')} data-testid="import-upload">
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('staffImport.intro')}{' '}
          <Typography.Link href={templateUrl(schoolCode)}>
            <DownloadOutlined /> {t('staff.template')}
          </Typography.Link>
        </Typography.Paragraph>
        <Upload.Dragger
          accept=".xlsx,.csv"
          maxCount={1}
          disabled={busy}
          fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
          beforeUpload={(chosen) => {
            if (!accepted.test(chosen.name)) {
              void message.error(t('staffImport.onlyTypes'));
              return Upload.LIST_IGNORE;
            }
            if (chosen.size > maxBytes) {
              void message.error(t('staffImport.tooLarge'));
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
          <p className="ant-upload-text">{t('staffImport.drop')}</p>
          <p className="ant-upload-hint">{t('staffImport.dropHint')}</p>
        </Upload.Dragger>
        <div>
          <Typography.Text strong>{t('staffImport.mode')}</Typography.Text>
          <Radio.Group
            className="rc-mode-choice"
            value={mode}
            disabled={busy}
            onChange={(event) => setMode(event.target.value === 'strict' ? 'strict' : 'lenient')}
            options={[
              { value: 'lenient', label: t('staffImport.mode.lenient') },
              { value: 'strict', label: t('staffImport.mode.strict') },
            ]}
            data-testid="import-mode"
          />
        </div>
        {busy && (
          <div data-testid="import-progress">
            <Typography.Text type="secondary">{t('staffImport.uploading')}</Typography.Text>
            <Progress percent={phase === 'checking' ? 100 : percent} status={phase === 'checking' ? 'success' : 'active'} />
            {phase === 'checking' && (
              <Space>
                <Spin size="small" />
                <Typography.Text>{t('staffImport.checking', { rows: rowsChecked.toLocaleString() })}</Typography.Text>
              </Space>
            )}
          </div>
        )}
        {mutation.error && <Alert type="error" showIcon title={errorText(mutation.error, lang)} data-testid="import-error" />}
        <Button
          type="primary"
          icon={<CloudUploadOutlined />}
          disabled={!file}
          loading={busy}
          onClick={() => file && mutation.mutate({ file, mode })}
          data-testid="import-start"
        >
          {t('staffImport.upload')}
        </Button>
      </Space>
    </Card>
  );
}
