import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Empty, Form, Input, List, Popconfirm, Result, Space, Table, Tag, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { useCurrentUser } from '../auth/SessionProvider';
import { getResources, libraryFileUrl, publishAnnouncement, removeAnnouncement, removeLibraryFile, resourceKeys, uploadLibraryFile, type LibraryFile } from './resources-api';

const sizeText = (size: number) => (size < 1024 * 1024 ? `${Math.max(1, Math.round(size / 1024))} KB` : `${(size / 1024 / 1024).toFixed(1)} MB`);
const typeText = (name: string) => name.split('.').pop()?.toUpperCase() ?? '';

/** 专栏: announcements of my level and those above (pinned first), the library, 指标解释 and the FAQ. */
export function ResourcesPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const resources = useQuery({ queryKey: resourceKeys.all, queryFn: ({ signal }) => getResources(signal) });
  const [form] = Form.useForm<{ title: string; body: string; pinned: boolean }>();
  const [fileTitle, setFileTitle] = useState('');
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [error, setError] = useState<string | null>(null);
  const done = (said: 'resources.done' | 'resources.takenDown' | 'resources.fileRemoved' = 'resources.done') => {
    setError(null);
    void queryClient.invalidateQueries({ queryKey: resourceKeys.all });
    void message.success(t(said));
  };
  const announce = useMutation({
    mutationFn: (values: { title: string; body: string; pinned: boolean }) => publishAnnouncement(user.unit.code, { title: values.title.trim(), body: values.body.trim(), pinned: Boolean(values.pinned) }),
    onSuccess: () => {
      form.resetFields();
      done();
    },
    onError: (cause) => setError(errorText(cause, lang)),
  });
  const upload = useMutation({
    mutationFn: () => uploadLibraryFile(user.unit.code, fileTitle.trim() || files[0].name, files[0].originFileObj!),
    onSuccess: () => {
      setFiles([]);
      setFileTitle('');
      done();
    },
    onError: (cause) => setError(errorText(cause, lang)),
  });
  const remove = useMutation({
    mutationFn: (target: { kind: 'announcement' | 'file'; id: number }) => (target.kind === 'announcement' ? removeAnnouncement(target.id) : removeLibraryFile(target.id)),
    onSuccess: (_, target) => done(target.kind === 'announcement' ? 'resources.takenDown' : 'resources.fileRemoved'),
    onError: (cause) => setError(errorText(cause, lang)),
  });

  if (resources.error) return <Result status="warning" title={errorText(resources.error, lang)} />;
  const manage = resources.data?.abilities.manage ?? false;
  // Only what this unit published is this unit's to take down (the server checks it again).
  const ownItem = (unitCode: string) => manage && unitCode === user.unit.code;
  const removeButton = (kind: 'announcement' | 'file', id: number) => (
    <Popconfirm
      key="remove"
      title={t(kind === 'announcement' ? 'resources.removeAnnouncementConfirm' : 'resources.removeFileConfirm')}
      okText={t('resources.remove')}
      okButtonProps={{ danger: true }}
      onConfirm={() => remove.mutateAsync({ kind, id })}
    >
      <Button type="link" danger size="small" data-testid={`${kind}-remove`}>{t(kind === 'announcement' ? 'resources.takeDown' : 'resources.remove')}</Button>
    </Popconfirm>
  );
  return (
    <div className="rc-page" data-testid="resources-page">
      <Card title={t('resources.announcements')} className="rc-section" loading={resources.isLoading}>
        {resources.data && resources.data.announcements.length === 0 && <Empty description={t('resources.noAnnouncements')} />}
        <List
          data-testid="announcements"
          dataSource={resources.data?.announcements ?? []}
          renderItem={(item) => (
            <List.Item key={item.id} data-testid="announcement" actions={ownItem(item.unitCode) ? [removeButton('announcement', item.id)] : []}>
              <List.Item.Meta
                title={<Space>{item.pinned && <Tag color="red">{t('resources.pinned')}</Tag>}<span>{item.title}</span></Space>}
                description={t('resources.publishedBy', { unit: item.unitName, date: dayjs(item.publishedAt).format('YYYY-MM-DD HH:mm') })}
              />
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0, flex: 2 }}>{item.body}</Typography.Paragraph>
            </List.Item>
          )}
        />
      </Card>

      {error && <Alert type="error" showIcon message={error} className="rc-section" data-testid="resources-error" />}

      {manage && (
        <Card title={t('resources.newAnnouncement')} className="rc-section">
          <Form form={form} layout="vertical" onFinish={(values) => announce.mutate(values)} initialValues={{ pinned: false }}>
            <Form.Item name="title" label={t('resources.field.title')} rules={[{ required: true, whitespace: true, message: t('resources.required', { field: t('resources.field.title') }) }]}>
              <Input maxLength={100} data-testid="announcement-title" />
            </Form.Item>
            <Form.Item name="body" label={t('resources.field.body')} rules={[{ required: true, whitespace: true, message: t('resources.required', { field: t('resources.field.body') }) }]}>
              <Input.TextArea rows={3} maxLength={5000} data-testid="announcement-body" />
            </Form.Item>
            <Form.Item name="pinned" valuePropName="checked">
              <Checkbox data-testid="announcement-pinned">{t('resources.field.pinned')}</Checkbox>
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={announce.isPending} data-testid="announcement-submit">{t('resources.publish')}</Button>
          </Form>
        </Card>
      )}

      <Card title={t('resources.library')} className="rc-section">
        {manage && (
          <Space wrap style={{ marginBottom: 16 }} align="start">
            <Input placeholder={t('resources.uploadTitle')} value={fileTitle} onChange={(event) => setFileTitle(event.target.value)} maxLength={100} style={{ width: 280 }} data-testid="library-title" />
            <Upload maxCount={1} fileList={files} beforeUpload={() => false} onChange={({ fileList }) => setFiles(fileList.slice(-1))} accept=".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.txt">
              <Button data-testid="library-choose">{t('resources.chooseFile')}</Button>
            </Upload>
            <Button type="primary" disabled={files.length === 0} loading={upload.isPending} onClick={() => upload.mutate()} data-testid="library-upload">{t('resources.upload')}</Button>
            <Typography.Text type="secondary">{t('resources.uploadHint')}</Typography.Text>
          </Space>
        )}
        <Table
          rowKey={(item: LibraryFile) => item.id}
          loading={resources.isLoading}
          dataSource={resources.data?.files ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('resources.noFiles') }}
          data-testid="library-table"
          columns={[
            { title: t('resources.file.title'), key: 'title', render: (_: unknown, item: LibraryFile) => <a href={libraryFileUrl(item.id)} download={item.name} onClick={() => setTimeout(() => void queryClient.invalidateQueries({ queryKey: resourceKeys.all }), 800)}>{item.title}</a> },
            { title: t('resources.file.type'), key: 'type', width: 90, render: (_: unknown, item: LibraryFile) => <Tag>{typeText(item.name)}</Tag> },
            { title: t('resources.file.size'), key: 'size', width: 100, render: (_: unknown, item: LibraryFile) => sizeText(item.size) },
            { title: t('resources.file.unit'), dataIndex: 'unitName', width: 140 },
            { title: t('resources.file.uploadedAt'), key: 'at', width: 150, render: (_: unknown, item: LibraryFile) => dayjs(item.uploadedAt).format('YYYY-MM-DD HH:mm') },
            { title: t('resources.file.downloads'), key: 'downloads', width: 100, render: (_: unknown, item: LibraryFile) => <span data-testid="library-downloads">{item.downloads}</span> },
            ...(manage ? [{ title: '', key: 'actions', width: 80, render: (_: unknown, item: LibraryFile) => (ownItem(item.unitCode) ? removeButton('file', item.id) : null) }] : []),
          ]}
        />
      </Card>

      <Card title={t('resources.links')} className="rc-section">
        <Space direction="vertical">
          <Link to="/standard" data-testid="standard-link">{t('resources.standardLink')}</Link>
          <Link to="/faq">{t('resources.faqLink')}</Link>
        </Space>
      </Card>
    </div>
  );
}
