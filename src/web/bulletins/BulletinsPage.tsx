import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, Skeleton, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { FileAddOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, useNavigate } from 'react-router-dom';
import { chinaDateTime, chinaDay } from '../../standard/normalize.ts';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { bulletinKeys, bulletinsQuery, draftBulletin, type BulletinSummary } from './bulletins-api';

export function BulletinStatusTag({ status }: { status: BulletinSummary['status'] }) {
  const { t } = useI18n();
  return status === 'published' ? <Tag color="green">{t('bulletin.statusPublished')}</Tag> : <Tag color="orange">{t('bulletin.statusDraft')}</Tag>;
}

/** 通报: the list (drafts for the province, published ones for prefectures and universities) and a new draft. */
export function BulletinsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const list = useQuery(bulletinsQuery);
  const [form] = Form.useForm<{ asOf: Dayjs; title?: string }>();
  const draft = useMutation({
    mutationFn: (values: { asOf: Dayjs; title?: string }) => draftBulletin({ asOf: values.asOf.format('YYYY-MM-DD'), ...(values.title?.trim() ? { title: values.title.trim() } : {}) }),
    onSuccess: (bulletin) => {
      void message.success(t('bulletin.drafted'));
      void queryClient.invalidateQueries({ queryKey: bulletinKeys.all });
      navigate(`/bulletins/${bulletin.id}`);
    },
    onError: (error) => void message.error(errorText(error, lang)),
  });

  const columns: TableColumnsType<BulletinSummary> = [
    { title: t('bulletin.titleField'), dataIndex: 'title', render: (title: string, row) => <Link to={`/bulletins/${row.id}`}>{title}</Link> },
    { title: t('bulletin.asOf'), dataIndex: 'asOf', width: 120 },
    { title: t('task.status'), dataIndex: 'status', width: 100, render: (status: BulletinSummary['status']) => <BulletinStatusTag status={status} /> },
    { title: t('bulletin.publishedAt'), dataIndex: 'publishedAt', width: 170, render: (at: string | null) => (at ? chinaDateTime(at) : '—') },
  ];

  return (
    <div className="rc-page">
      <Card title={t('bulletin.listTitle')}>
        <Typography.Paragraph type="secondary">{t('bulletin.intro')}</Typography.Paragraph>
        {list.data?.abilities.draft && (
          <Form form={form} layout="inline" initialValues={{ asOf: dayjs(chinaDay(new Date())) }} onFinish={(values) => draft.mutate(values)} className="rc-section" data-testid="bulletin-draft-form">
            <Form.Item name="asOf" label={t('bulletin.asOf')} rules={[{ required: true }]}>
              <DatePicker data-testid="bulletin-as-of" />
            </Form.Item>
            <Form.Item name="title" label={t('bulletin.titleField')}>
              <Input style={{ width: 320 }} maxLength={200} />
            </Form.Item>
            <Button type="primary" htmlType="submit" icon={<FileAddOutlined />} loading={draft.isPending} data-testid="bulletin-draft">
              {t('bulletin.draft')}
            </Button>
          </Form>
        )}
        {list.isPending && <Skeleton active />}
        {list.isError && <Alert type="error" showIcon title={errorText(list.error, lang)} />}
        {list.data && (
          <Table<BulletinSummary> rowKey="id" size="middle" columns={columns} dataSource={list.data.items} pagination={false} locale={{ emptyText: t('bulletin.none') }} data-testid="bulletin-list" />
        )}
      </Card>
    </div>
  );
}
