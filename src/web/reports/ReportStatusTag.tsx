import { Space, Tag } from 'antd';
import { useI18n } from '../shared/I18nProvider';
import type { ReportState } from './reports-api';

const colors: Record<ReportState['status'], string> = { draft: 'default', preparer: 'processing', department_head: 'processing', bureau_leader: 'blue', submitted: 'success' };

/** Where a weekly report stands, with 逾期报送 / 逾期未报 when its Friday deadline passed. */
export function ReportStatusTag({ state }: { state: ReportState }) {
  const { t } = useI18n();
  return (
    <Space size={4} wrap>
      <Tag color={colors[state.status]}>{t(`weekly.status.${state.status}`)}</Tag>
      {state.status === 'submitted' && state.late && <Tag color="warning">{t('weekly.late')}</Tag>}
      {state.overdue && <Tag color="error">{t('weekly.overdue')}</Tag>}
    </Space>
  );
}
