import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Skeleton, Space, Switch, Table, Typography, type TableColumnsType } from 'antd';
import { TeamOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { schoolTasksQuery, type SchoolTasks as SchoolTasksData } from './campaign-api';
import { MarkDoneModal } from './MarkDoneModal';
import { StateCell } from './TaskTable';

type School = SchoolTasksData['schools'][number];
type PlanTask = SchoolTasksData['tasks'][number];

/**
 * 学校任务: the tasks the schools reporting to this unit mark by hand (开展工作部署会与业务技术培训), school by
 * school — done (by the school itself, or 由XX代为标记), or how late — and, for whoever may, the button to mark a
 * school's task on its behalf. Shown to a county (its schools) and to the province (its universities).
 */
export function SchoolTasks({ unitCode }: { unitCode: string }) {
  const { t, lang } = useI18n();
  const query = useQuery(schoolTasksQuery(unitCode));
  const [onlyOpen, setOnlyOpen] = useState(false);
  const [marking, setMarking] = useState<{ school: School; task: PlanTask } | null>(null);
  if (query.isPending) return <Card className="rc-section"><Skeleton active /></Card>;
  if (query.isError) return <Alert type="error" showIcon className="rc-section" title={errorText(query.error, lang)} />;
  const { today, tasks, schools } = query.data;
  if (schools.length === 0) return null;

  const taskOf = (school: School, key: string) => school.tasks.find((task) => task.key === key);
  const open = (school: School) => school.tasks.some((task) => task.state !== 'done');
  const shown = onlyOpen ? schools.filter(open) : schools;
  const columns: TableColumnsType<School> = [
    { title: t('schoolTasks.school'), dataIndex: 'name', width: 260, render: (name: string, row) => <Link to={`/units/${row.code}`}>{name}</Link> },
    ...tasks.map((planTask) => ({
      title: (
        <span>
          {planTask.task}
          {planTask.due && <Typography.Text type="secondary">{` · ${t('task.due')} ${planTask.due}`}</Typography.Text>}
        </span>
      ),
      key: planTask.key,
      render: (_value: unknown, school: School) => {
        const task = taskOf(school, planTask.key);
        if (!task) return t('common.none');
        return (
          <Space size={8} wrap>
            <StateCell task={task} today={today} />
            {task.state !== 'done' && school.canMark && (
              <Button size="small" type="primary" ghost onClick={() => setMarking({ school, task: planTask })} data-testid={`mark-on-behalf-${school.code}-${planTask.key}`}>
                {t('task.markOnBehalf')}
              </Button>
            )}
          </Space>
        );
      },
    })),
  ];

  return (
    <Card
      className="rc-section"
      title={<span><TeamOutlined /> {t('schoolTasks.title', { count: schools.length })}</span>}
      extra={
        <Space>
          <Typography.Text type="secondary">{t('schoolTasks.onlyOpen')}</Typography.Text>
          <Switch size="small" checked={onlyOpen} onChange={setOnlyOpen} data-testid="school-tasks-only-open" />
        </Space>
      }
      data-testid="school-tasks"
    >
      <Typography.Paragraph type="secondary">{t('schoolTasks.intro')}</Typography.Paragraph>
      {tasks.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('schoolTasks.none')} />
      ) : (
        <>
          <Space size={16} wrap className="rc-section">
            {tasks.map((planTask) => {
              const total = schools.filter((school) => taskOf(school, planTask.key)).length;
              const done = schools.filter((school) => taskOf(school, planTask.key)?.state === 'done').length;
              return (
                <Typography.Text key={planTask.key} strong type={done < total ? 'warning' : 'success'}>
                  {t('schoolTasks.done', { task: planTask.task, done, total })}
                </Typography.Text>
              );
            })}
          </Space>
          <Table<School>
            rowKey="code"
            size="small"
            columns={columns}
            dataSource={shown}
            pagination={shown.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
            locale={{ emptyText: t('schoolTasks.allDone') }}
            data-testid="school-tasks-table"
          />
        </>
      )}
      <MarkDoneModal
        unitCode={marking?.school.code ?? ''}
        task={marking?.task ?? null}
        today={today}
        onBehalfOf={marking?.school.name}
        onClose={() => setMarking(null)}
      />
    </Card>
  );
}
