import { Tag } from 'antd';
import { useI18n } from '../shared/I18nProvider';
import type { Deadline, PackageStatus } from './packages-api';

const statusColors: Record<PackageStatus, string> = { submitted: 'processing', approved: 'green', returned: 'red' };
const deadlineColors = { open: 'blue', due_soon: 'orange', late: 'red' } as const;

/** 待审核 / 已通过 / 已退回, and 需重新审核 beside it when something changed below after it was signed. */
export function PackageStatusTag({ status, stale = false }: { status: PackageStatus; stale?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <Tag color={statusColors[status]} data-testid="package-status">{t(`package.status.${status}`)}</Tag>
      {stale && status !== 'returned' && <Tag color="orange" data-testid="package-stale">{t('package.stale')}</Tag>}
    </>
  );
}

/** 未到期 / 即将到期 / 已逾期, with the date. */
export function DeadlineTag({ deadline }: { deadline: Deadline }) {
  const { t } = useI18n();
  if (!deadline.due || !deadline.state) return <Tag>{t('submission.deadline.none')}</Tag>;
  return (
    <Tag color={deadlineColors[deadline.state]} data-testid="deadline-tag">
      {t(`submission.deadline.${deadline.state}`)} · {deadline.due}
    </Tag>
  );
}
