import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Skeleton, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, FileExcelOutlined, PrinterOutlined, SendOutlined, SyncOutlined } from '@ant-design/icons';
import { chinaDateTime } from '../../standard/normalize.ts';
import { useNavigate, useParams } from 'react-router-dom';
import { downloadFile, errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { bulletinExportUrl, bulletinKeys, bulletinQuery, deleteBulletin, publishBulletin, updateBulletin, type Bulletin } from './bulletins-api';
import { BulletinStatusTag } from './BulletinsPage';
import { BulletinTable } from './BulletinTable';

type SettingsForm = { completion: number; timeliness: number; quality: number; bottom: number; belowScore: number | null; remarks: string | null };

/** The draft's settings: the score's weights (in percent), the 约谈 rule and remarks; saving recomputes. */
function BulletinSettings({ bulletin }: { bulletin: Bulletin }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SettingsForm>();
  useEffect(() => {
    form.setFieldsValue({
      completion: Math.round(bulletin.weights.completion * 100),
      timeliness: Math.round(bulletin.weights.timeliness * 100),
      quality: Math.round(bulletin.weights.quality * 100),
      bottom: bulletin.watchRule.bottom,
      belowScore: bulletin.watchRule.belowScore,
      remarks: bulletin.remarks,
    });
  }, [bulletin, form]);
  const save = useMutation({
    mutationFn: (values: SettingsForm) =>
      updateBulletin(bulletin.id, {
        version: bulletin.version,
        weights: { completion: values.completion / 100, timeliness: values.timeliness / 100, quality: values.quality / 100 },
        watchRule: { bottom: values.bottom, belowScore: values.belowScore ?? null },
        remarks: values.remarks?.trim() || null,
      }),
    onSuccess: (updated) => {
      queryClient.setQueryData(bulletinKeys.one(bulletin.id), updated);
      void message.success(t('bulletin.recomputed'));
    },
    onError: (error) => void message.error(errorText(error, lang)),
  });
  const weightRule = {
    validator: async () => {
      const { completion = 0, timeliness = 0, quality = 0 } = form.getFieldsValue();
      const sum = completion + timeliness + quality;
      if (Math.abs(sum - 100) > 0.1) throw new Error(t('bulletin.weightsSum', { sum }));
    },
  };
  return (
    <Form form={form} layout="inline" onFinish={(values) => save.mutate(values)} className="rc-bulletin-settings" data-testid="bulletin-settings">
      <Typography.Text strong>{t('bulletin.weights')}</Typography.Text>
      <Form.Item name="completion" label={t('bulletin.weightCompletion')} rules={[{ required: true }, weightRule]}>
        <InputNumber min={0} max={100} suffix="%" style={{ width: 96 }} data-testid="weight-completion" />
      </Form.Item>
      <Form.Item name="timeliness" label={t('bulletin.weightTimeliness')} rules={[{ required: true }]}>
        <InputNumber min={0} max={100} suffix="%" style={{ width: 96 }} data-testid="weight-timeliness" />
      </Form.Item>
      <Form.Item name="quality" label={t('bulletin.weightQuality')} rules={[{ required: true }]}>
        <InputNumber min={0} max={100} suffix="%" style={{ width: 96 }} data-testid="weight-quality" />
      </Form.Item>
      <Typography.Text strong>{t('bulletin.watchRule')}</Typography.Text>
      <Form.Item name="bottom" label={t('bulletin.watchBottom')} rules={[{ required: true }]}>
        <InputNumber min={0} max={20} style={{ width: 72 }} />
      </Form.Item>
      <Form.Item name="belowScore" label={t('bulletin.watchBelow')}>
        <InputNumber min={0} max={100} style={{ width: 80 }} />
      </Form.Item>
      <Form.Item name="remarks" label={t('bulletin.remarks')}>
        <Input style={{ width: 280 }} maxLength={2000} />
      </Form.Item>
      <Button htmlType="submit" icon={<SyncOutlined />} loading={save.isPending} data-testid="bulletin-recompute">
        {t('bulletin.recompute')}
      </Button>
    </Form>
  );
}

/** The method line and the 约谈 list of a bulletin, shared with the print page. */
export function BulletinMethod({ bulletin }: { bulletin: Bulletin }) {
  const { t } = useI18n();
  const watched = bulletin.rows.filter((row) => row.watch);
  return (
    <>
      <Typography.Paragraph type="secondary" className="rc-bulletin-method">
        {t('bulletin.method', { completion: bulletin.weights.completion, timeliness: bulletin.weights.timeliness, quality: bulletin.weights.quality })}{' '}
        {t(bulletin.watchRule.bottom > 0 ? 'bulletin.methodWatch' : 'bulletin.methodWatchNone', {
          bottom: bulletin.watchRule.bottom,
          below: bulletin.watchRule.belowScore !== null ? t('bulletin.methodBelow', { score: bulletin.watchRule.belowScore }) : '',
        })}{' '}
        {bulletin.previous ? t('bulletin.previous', { title: bulletin.previous.title, asOf: bulletin.previous.asOf }) : t('bulletin.noPrevious')}
      </Typography.Paragraph>
      <div className="rc-bulletin-watchlist" data-testid="bulletin-watchlist">
        <Typography.Text strong>{t('bulletin.watchList')}：</Typography.Text>
        {watched.length === 0 ? t('bulletin.watchNone') : watched.map((row) => <Tag key={row.code} color="red">{row.name}（{row.score.toFixed(1)}）</Tag>)}
      </div>
    </>
  );
}

/** 通报: a bulletin's figures; a draft's settings, recompute, publish, delete; export and print. */
export function BulletinPage() {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const id = Number(useParams().id);
  const bulletin = useQuery(bulletinQuery(id));
  const publish = useMutation({
    mutationFn: (current: Bulletin) => publishBulletin(current.id, current.version),
    onSuccess: (updated) => {
      queryClient.setQueryData(bulletinKeys.one(id), updated);
      void queryClient.invalidateQueries({ queryKey: bulletinKeys.all, exact: true });
      void message.success(t('bulletin.published'));
    },
    onError: (error) => void message.error(errorText(error, lang)),
  });
  const remove = useMutation({
    mutationFn: () => deleteBulletin(id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: bulletinKeys.all, exact: true });
      void message.success(t('bulletin.deleted'));
      navigate('/bulletins');
    },
    onError: (error) => void message.error(errorText(error, lang)),
  });

  if (bulletin.isPending) return <Card className="rc-page"><Skeleton active /></Card>;
  if (bulletin.isError) return <Alert type="error" showIcon title={errorText(bulletin.error, lang)} />;
  const data = bulletin.data;

  return (
    <div className="rc-page">
      <Card
        title={
          <Space>
            {data.title}
            <BulletinStatusTag status={data.status} />
          </Space>
        }
        extra={
          <Space wrap>
            <Button icon={<FileExcelOutlined />} onClick={() => downloadFile(bulletinExportUrl(id))} data-testid="bulletin-export">{t('bulletin.export')}</Button>
            <Button icon={<PrinterOutlined />} onClick={() => window.open(`/bulletins/${id}/print`, '_blank')} data-testid="bulletin-print">{t('bulletin.print')}</Button>
            {data.abilities.delete && (
              <Button danger icon={<DeleteOutlined />} onClick={() => modal.confirm({ title: t('bulletin.delete'), onOk: () => remove.mutateAsync() })}>{t('bulletin.delete')}</Button>
            )}
            {data.abilities.publish && (
              <Button
                type="primary"
                icon={<SendOutlined />}
                loading={publish.isPending}
                onClick={() => modal.confirm({ title: t('bulletin.publishConfirm'), onOk: () => publish.mutateAsync(data) })}
                data-testid="bulletin-publish"
              >
                {t('bulletin.publish')}
              </Button>
            )}
          </Space>
        }
      >
        <Descriptions size="small" column={3} className="rc-section">
          <Descriptions.Item label={t('bulletin.asOf')}>{data.asOf}</Descriptions.Item>
          <Descriptions.Item label={t('bulletin.computedAt')}>{chinaDateTime(data.computedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('bulletin.publishedAt')}>{data.publishedAt ? chinaDateTime(data.publishedAt) : '—'}</Descriptions.Item>
          {data.remarks && <Descriptions.Item label={t('bulletin.remarks')} span={3}>{data.remarks}</Descriptions.Item>}
        </Descriptions>
        {data.abilities.edit && <BulletinSettings bulletin={data} />}
        <BulletinMethod bulletin={data} />
      </Card>
      <Card className="rc-section" title={t('bulletin.prefectures')}>
        <BulletinTable rows={data.rows} group="prefecture" />
      </Card>
      <Card className="rc-section" title={t('bulletin.universities')}>
        <BulletinTable rows={data.rows} group="university" />
      </Card>
    </div>
  );
}
