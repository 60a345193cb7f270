import { App, Button, Card, Empty, Input, Popconfirm, Result, Space, Spin, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { chinaDay } from '../../standard/normalize.ts';
import { useI18n } from '../shared/I18nProvider';
import { helpdeskKeys, searchFaq, withdrawFaq } from './helpdesk-api';

/** 常见问题: answers published by my chain of levels (and below me), searchable. */
export function FaqPage() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const faq = useQuery({ queryKey: helpdeskKeys.faq(q), queryFn: ({ signal }) => searchFaq(q, signal) });
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const withdraw = useMutation({
    mutationFn: withdrawFaq,
    onSuccess: () => {
      void message.success(t('faq.withdrawn'));
      void queryClient.invalidateQueries({ queryKey: ['helpdesk'] });
    },
    onError: (error) => void message.error(errorText(error, lang)),
  });
  if (faq.error) return <Result status="warning" title={errorText(faq.error, lang)} />;
  return (
    <div className="rc-page" data-testid="faq-page">
      <Card title={t('faq.title')} className="rc-section">
        <Input.Search
          allowClear
          defaultValue={q}
          placeholder={t('faq.search')}
          onSearch={(value) => setParams(value.trim() ? { q: value.trim() } : {}, { replace: true })}
          style={{ maxWidth: 420, marginBottom: 16 }}
          data-testid="faq-search"
        />
        {faq.isLoading && <Spin />}
        {faq.data && faq.data.items.length === 0 && <Empty description={t('faq.empty')} />}
        <Space direction="vertical" style={{ width: '100%' }} size={12}>
          {faq.data?.items.map((entry) => (
            <Card
              key={entry.id}
              size="small"
              type="inner"
              title={<Space><Tag>{t(`helpdesk.category.${entry.category}`)}</Tag><span>{entry.title}</span></Space>}
              extra={
                entry.abilities.withdraw && (
                  <Popconfirm title={t('faq.withdrawConfirm')} okText={t('faq.withdraw')} okButtonProps={{ danger: true }} onConfirm={() => withdraw.mutateAsync(entry.id)}>
                    <Button type="link" danger size="small" data-testid="faq-withdraw">{t('faq.withdraw')}</Button>
                  </Popconfirm>
                )
              }
              data-testid="faq-entry"
            >
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}><Typography.Text strong>{t('faq.question')}：</Typography.Text>{entry.question}</Typography.Paragraph>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}><Typography.Text strong>{t('faq.answer')}：</Typography.Text>{entry.answer}</Typography.Paragraph>
              <Typography.Text type="secondary">{t('faq.publishedBy', { unit: entry.unitName, date: chinaDay(new Date(entry.publishedAt)) })}</Typography.Text>
            </Card>
          ))}
        </Space>
      </Card>
    </div>
  );
}
