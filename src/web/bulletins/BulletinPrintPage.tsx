import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Skeleton, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { chinaDay } from '../../standard/normalize.ts';
import { useParams } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { bulletinQuery } from './bulletins-api';
import { BulletinMethod } from './BulletinPage';
import { BulletinTable } from './BulletinTable';


/** The bulletin as a printed document (A4 landscape): title, method, 约谈 list, both tables. */
export function BulletinPrintPage() {
  const { t, lang } = useI18n();
  const id = Number(useParams().id);
  const bulletin = useQuery(bulletinQuery(id));
  if (bulletin.isPending) return <Skeleton active />;
  if (bulletin.isError) return <Alert type="error" showIcon title={errorText(bulletin.error, lang)} />;
  const data = bulletin.data;
  return (
    <div className="rc-bulletin-print" data-testid="bulletin-print-page">
      <div className="rc-print-toolbar">
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>{t('bulletin.print')}</Button>
      </div>
      <Typography.Title level={3} className="rc-print-title">{data.title}</Typography.Title>
      <div className="rc-print-meta">
        {t('bulletin.asOf')}：{data.asOf} · {t('bulletin.printedAt', { date: chinaDay(new Date(data.publishedAt ?? data.computedAt)) })}
        {data.status === 'draft' && ` · ${t('bulletin.statusDraft')}`}
      </div>
      <BulletinMethod bulletin={data} />
      {data.remarks && <Typography.Paragraph>{t('bulletin.remarks')}：{data.remarks}</Typography.Paragraph>}
      <Typography.Title level={5}>{t('bulletin.prefectures')}</Typography.Title>
      <BulletinTable rows={data.rows} group="prefecture" printing />
      <Typography.Title level={5} className="rc-print-break">{t('bulletin.universities')}</Typography.Title>
      <BulletinTable rows={data.rows} group="university" printing />
    </div>
  );
}
