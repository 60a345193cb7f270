import { Table, Tag, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../app/i18n/I18nProvider';
import type { MessageKey } from '../app/i18n/dictionary';
import { dueStatus, type CampaignTask, type DueStatus } from './campaign-api';

const reportToKeys: Record<string, MessageKey> = {
  ministry: 'reportTo.ministry',
  province: 'reportTo.province',
  prefecture: 'reportTo.prefecture',
  county: 'reportTo.county',
};

/** A due-status tag: red past due, orange today, gold within 3 days, blue later, grey ongoing. */
export function DueTag({ status }: { status: DueStatus }) {
  const { t } = useI18n();
  switch (status.kind) {
    case 'ongoing':
      return <Tag>{t('task.ongoing')}</Tag>;
    case 'late':
      return <Tag color="red">{t('task.late')}</Tag>;
    case 'today':
      return <Tag color="orange">{t('task.dueToday')}</Tag>;
    case 'soon':
      return <Tag color="gold">{t('task.dueSoon', { days: status.days })}</Tag>;
    case 'due':
      return <Tag color="blue">{t('task.dueIn', { days: status.days })}</Tag>;
  }
}

/** The unit's tasks of the campaign with their due dates (the task texts are the plan's own, in Chinese). */
export function TaskTable({ tasks }: { tasks: CampaignTask[] }) {
  const { t } = useI18n();
  const columns: TableColumnsType<CampaignTask> = [
    { title: '#', key: 'index', width: 48, render: (_value, _row, index) => index + 1 },
    { title: t('task.name'), dataIndex: 'task' },
    {
      title: t('task.reportTo'),
      dataIndex: 'reportTo',
      width: 150,
      render: (reportTo?: string) => (reportTo ? t(reportToKeys[reportTo] ?? 'common.none') : t('common.none')),
    },
    { title: t('task.due'), dataIndex: 'due', width: 120, render: (due: string | null) => (due ? dayjs(due).format('YYYY-MM-DD') : t('common.none')) },
    { title: t('task.status'), key: 'status', width: 170, render: (_value, row) => <DueTag status={dueStatus(row.due)} /> },
  ];
  return <Table<CampaignTask> rowKey="key" size="middle" columns={columns} dataSource={tasks} pagination={false} data-testid="task-table" />;
}
