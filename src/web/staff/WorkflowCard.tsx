import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Space, Typography } from 'antd';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { staffKeys, type StaffRecord } from './staff-api';
import { StaffStatusTag } from './StaffStatusTag';
import { ConfirmedViaTag } from './ConfirmedViaTag';
import { ReasonModal } from '../workflow/ReasonModal';
import { schoolSteps, stepsWithReason, transitionRecord, type SchoolStep } from '../workflow/workflow-api';

/** 流程: the record's state and the school's next steps, as the server's abilities allow them. */
export function WorkflowCard({ record }: { record: StaffRecord }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<SchoolStep | null>(null);
  const steps = schoolSteps.filter((step) => record.abilities.events.includes(step));
  const run = useMutation({
    mutationFn: ({ step, reason }: { step: SchoolStep; reason?: string }) => transitionRecord(record.id, step, record.version, reason),
    onSuccess: (updated, { step }) => {
      queryClient.setQueryData(staffKeys.one(record.id), updated);
      void queryClient.invalidateQueries({ queryKey: staffKeys.all });
      setAsking(null);
      void message.success(t('workflow.done', { step: t(`workflow.step.${step}`) }));
    },
    onError: (error) => void message.error(errorText(error, lang)),
  });

  return (
    <Card size="small" title={t('workflow.card')} data-testid="workflow-card">
      <Space wrap size="middle">
        <span>
          {t('workflow.state')}：<StaffStatusTag status={record.status} />
          <ConfirmedViaTag via={record.confirmedVia} />
        </span>
        {steps.length === 0 && <Typography.Text type="secondary">{t('workflow.noSteps')}</Typography.Text>}
        {steps.map((step) => (
          <Button
            key={step}
            type={step === 'approve' ? 'primary' : 'default'}
            danger={step === 'return'}
            loading={run.isPending && run.variables?.step === step}
            onClick={() => (stepsWithReason.includes(step) ? setAsking(step) : run.mutate({ step }))}
            data-testid={`step-${step}`}
          >
            {t(`workflow.step.${step}`)}
          </Button>
        ))}
      </Space>
      <ReasonModal
        title={t(asking === 'confirm_on_paper' ? 'workflow.paperTitle' : 'workflow.returnTitle')}
        label={asking === 'confirm_on_paper' ? t('workflow.paperNote') : undefined}
        placeholder={asking === 'confirm_on_paper' ? t('workflow.paperHint') : undefined}
        open={asking !== null}
        loading={run.isPending}
        onCancel={() => setAsking(null)}
        onSubmit={(reason) => asking && run.mutate({ step: asking, reason })}
      />
    </Card>
  );
}
