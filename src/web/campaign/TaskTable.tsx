import { useState } from 'react';
import { PaperClipOutlined } from '@ant-design/icons';
import { App, Button, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../shared/I18nProvider';
import type { MessageKey } from '../shared/i18n/dictionary';
import { downloadFile, errorText } from '../shared/api-client';
import { dueStatus, taskFileUrl, undoTaskDone, type DueStatus, type UnitTask } from './campaign-api';
import { MarkDoneModal } from './MarkDoneModal';

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
      return <Tag color="red">{t('task.lateBy', { days: status.days })}</Tag>;
    case 'today':
      return <Tag color="orange">{t('task.dueToday')}</Tag>;
    case 'soon':
      return <Tag color="gold">{t('task.dueSoon', { days: status.days })}</Tag>;
    case 'due':
      return <Tag color="blue">{t('task.dueIn', { days: status.days })}</Tag>;
  }
}

/** A task's state on `today` (China's calendar, as the server counts it): done with its day, or its due status. */
export function StateCell({ task, today }: { task: Pick<UnitTask, 'state' | 'due' | 'doneOn' | 'onTime' | 'markedBy'>; today: string }) {
  const { t } = useI18n();
  if (task.state !== 'done') return <DueTag status={dueStatus(task.due, today)} />;
  return (
    <Space size={4} wrap>
      <Tag color="green">{t('task.doneOnDay', { day: task.doneOn ?? '' })}</Tag>
      {task.onTime === false && <Tag color="volcano">{t('task.doneLate')}</Tag>}
      {task.markedBy && <MarkedBy unit={task.markedBy.name} />}
    </Space>
  );
}

/** 由XX代为标记: the unit above marked the task on this unit's behalf. */
export function MarkedBy({ unit }: { unit: string }) {
  const { t } = useI18n();
  return (
    <Tooltip title={t('task.markedByHint')}>
      <Tag color="purple" data-testid="marked-by">{t('task.markedBy', { unit })}</Tag>
    </Tooltip>
  );
}

/**
 * The unit's tasks of the campaign with their states: those the system observes complete by themselves,
 * the others are marked done (标记完成) with a date and a note by whoever may (the unit's admin; a school
 * without one, its operator; for a school, also its county on its behalf).
 */
export function TaskTable({ unitCode, tasks, today, canComplete }: { unitCode: string; tasks: UnitTask[]; today: string; canComplete: boolean }) {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [marking, setMarking] = useState<UnitTask | null>(null);
  const undo = useMutation({
    mutationFn: (task: UnitTask) => undoTaskDone(unitCode, task.key),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['tasks'] }),
    onError: (error) => void message.error(errorText(error, lang)),
  });
  const columns: TableColumnsType<UnitTask> = [
    { title: '#', key: 'index', width: 48, render: (_value, _row, index) => index + 1 },
    {
      title: t('task.name'),
      dataIndex: 'task',
      render: (text: string, row) => (
        <div>
          <div>{text}</div>
          {row.note && <Typography.Text type="secondary" className="rc-task-note">{t('task.noteBy', { note: row.note, name: row.doneByName ?? '' })}</Typography.Text>}
          {row.file && (
            <div>
              <Button type="link" size="small" icon={<PaperClipOutlined />} onClick={() => downloadFile(taskFileUrl(unitCode, row.key))} style={{ padding: 0 }}>
                {row.file.name}
              </Button>
            </div>
          )}
        </div>
      ),
    },
    {
      title: t('task.reportTo'),
      dataIndex: 'reportTo',
      width: 110,
      render: (reportTo?: string) => (reportTo ? t(reportToKeys[reportTo] ?? 'common.none') : t('common.none')),
    },
    { title: t('task.due'), dataIndex: 'due', width: 110, render: (due: string | null) => due ?? t('common.none') },
    {
      title: t('task.how'),
      key: 'how',
      width: 110,
      render: (_value, row) => (!row.due && row.manual ? t('common.none') : row.manual ? <Typography.Text type="secondary">{t('task.manual')}</Typography.Text> : <Tooltip title={t('task.observedHint')}><Tag color="cyan">{t('task.observed')}</Tag></Tooltip>),
    },
    { title: t('task.status'), key: 'status', width: 190, render: (_value, row) => <StateCell task={row} today={today} /> },
    ...(canComplete
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 110,
            render: (_value: unknown, row: UnitTask) =>
              !row.manual || !row.due ? null : row.state === 'done' ? (
                <Button
                  size="small"
                  type="link"
                  onClick={() => modal.confirm({ title: t('task.undoConfirm', { task: row.task }), onOk: () => undo.mutateAsync(row) })}
                >
                  {t('task.undo')}
                </Button>
              ) : (
                <Button size="small" type="primary" ghost onClick={() => setMarking(row)} data-testid={`mark-done-${row.key}`}>
                  {t('task.markDone')}
                </Button>
              ),
          },
        ]
      : []),
  ];
  return (
    <>
      <Table<UnitTask>
        rowKey="key"
        size="middle"
        columns={columns}
        dataSource={tasks}
        pagination={false}
        data-testid="task-table"
        rowClassName={(row) => `rc-task-${row.state}`}
      />
      <MarkDoneModal unitCode={unitCode} task={marking} today={today} onClose={() => setMarking(null)} />
    </>
  );
}
