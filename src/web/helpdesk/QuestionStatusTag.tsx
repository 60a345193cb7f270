import { Tag } from 'antd';
import { useI18n } from '../shared/I18nProvider';
import type { QuestionStatus } from './helpdesk-api';

const colors: Record<QuestionStatus, string> = { open: 'gold', answered: 'green', escalated: 'purple', closed: 'default' };

export function QuestionStatusTag({ status }: { status: QuestionStatus }) {
  const { t } = useI18n();
  return <Tag color={colors[status]} data-testid="question-status">{t(`helpdesk.status.${status}`)}</Tag>;
}
