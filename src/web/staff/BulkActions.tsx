import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Space, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { staffKeys } from './staff-api';
import { ReasonModal } from '../workflow/ReasonModal';
import { issueConfirmationCodes, keepSlips, transitionMany } from '../workflow/workflow-api';

type Props = { school: { code: string; name: string }; ids: number[]; onDone: () => void };

/** The school's steps over the selected records: approve, return with a reason, or send with printed slips. */
export function BulkActions({ school, ids, onDone }: Props) {
  const { t, lang } = useI18n();
  const { message, notification } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<'return' | 'confirm_on_paper' | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: staffKeys.all });

  const step = useMutation({
    mutationFn: ({ event, reason }: { event: 'approve' | 'return' | 'confirm_on_paper'; reason?: string }) => transitionMany(school.code, event, ids, reason),
    onSuccess: (answer, { event }) => {
      refresh();
      setAsking(null);
      onDone();
      const failed = answer.results.filter((result) => !result.ok);
      const text = answer.batch
        ? t('workflow.bulk.paperDone', { id: answer.batch.id, done: answer.done, failed: failed.length })
        : t('workflow.bulk.done', { step: t(`workflow.bulk.${event}`), done: answer.done, failed: failed.length });
      if (failed.length === 0) void message.success(text);
      else notification.warning({ title: text, description: failed.slice(0, 5).map((result) => (lang === 'en' ? result.error?.messageEn : result.error?.message)).join('；') });
    },
    onError: (error) => void message.error(errorText(error, lang)),
  });

  const slips = useMutation({
    mutationFn: () => issueConfirmationCodes(school.code, ids),
    onSuccess: (answer) => {
      refresh();
      onDone();
      if (answer.refused.length > 0) {
        notification.warning({
          title: t('workflow.bulk.refused', { count: answer.refused.length }),
          description: answer.refused.slice(0, 5).map((item) => (lang === 'en' ? item.messageEn : item.message)).join('；'),
        });
      }
      if (answer.issued.length === 0) return;
      keepSlips({ schoolCode: school.code, schoolName: school.name, issuedAt: new Date().toISOString(), issued: answer.issued });
      navigate(`/units/${school.code}/slips`);
    },
    onError: (error) => void message.error(errorText(error, lang)),
  });

  if (ids.length === 0) return null;
  return (
    <Space wrap className="rc-bulk-bar" data-testid="bulk-actions">
      <Typography.Text>{t('workflow.selected', { count: ids.length })}</Typography.Text>
      <Button type="primary" loading={slips.isPending} onClick={() => slips.mutate()} data-testid="bulk-slips">{t('workflow.bulk.slips')}</Button>
      <Button loading={step.isPending && step.variables?.event === 'approve'} onClick={() => step.mutate({ event: 'approve' })} data-testid="bulk-approve">
        {t('workflow.bulk.approve')}
      </Button>
      <Button onClick={() => setAsking('confirm_on_paper')} data-testid="bulk-confirm-on-paper">{t('workflow.bulk.confirm_on_paper')}</Button>
      <Button danger onClick={() => setAsking('return')} data-testid="bulk-return">{t('workflow.bulk.return')}</Button>
      <Button type="link" onClick={onDone}>{t('workflow.clearSelection')}</Button>
      <ReasonModal
        title={t(asking === 'confirm_on_paper' ? 'workflow.bulk.paperTitle' : 'workflow.bulk.returnTitle', { count: ids.length })}
        label={asking === 'confirm_on_paper' ? t('workflow.paperNote') : undefined}
        placeholder={asking === 'confirm_on_paper' ? t('workflow.paperHint') : undefined}
        open={asking !== null}
        loading={step.isPending}
        onCancel={() => setAsking(null)}
        onSubmit={(reason) => asking && step.mutate({ event: asking, reason })}
      />
    </Space>
  );
}
