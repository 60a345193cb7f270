import { useQuery } from '@tanstack/react-query';
import { Space, Tag, Typography } from 'antd';
import { recordStates } from '../../contract/record-states';
import { useI18n } from '../shared/I18nProvider';
import { StaffStatusTag } from './StaffStatusTag';
import { summaryQuery } from '../workflow/workflow-api';

/** The school's records against its expected staff, by state, and the corrections waiting for it. */
export function StaffSummaryBar({ schoolCode }: { schoolCode: string }) {
  const { t } = useI18n();
  const query = useQuery(summaryQuery(schoolCode));
  const summary = query.data;
  if (!summary) return null;
  return (
    <Space wrap size="middle" className="rc-staff-summary" data-testid="staff-summary">
      <Typography.Text strong>{t('workflow.summary.total', { total: summary.total, expected: summary.expectedStaff })}</Typography.Text>
      {summary.difference !== 0 && (
        <Tag color="warning">{t(summary.difference < 0 ? 'workflow.summary.fewer' : 'workflow.summary.more', { count: Math.abs(summary.difference) })}</Tag>
      )}
      {recordStates
        .filter((state) => (summary.byStatus[state] ?? 0) > 0)
        .map((state) => (
          <span key={state} data-testid={`summary-${state}`}>
            <StaffStatusTag status={state} />
            {summary.byStatus[state]}
          </span>
        ))}
      {summary.confirmedVia.phone + summary.confirmedVia.paper > 0 && (
        <Typography.Text type="secondary" data-testid="summary-via">{t('workflow.summary.via', summary.confirmedVia)}</Typography.Text>
      )}
      {summary.pendingCorrections > 0 && <Tag color="orange">{t('workflow.summary.pending', { count: summary.pendingCorrections })}</Tag>}
    </Space>
  );
}
