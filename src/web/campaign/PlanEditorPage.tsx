import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Input, Skeleton, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { campaignQuery, updatePlan, type CampaignTask, type PlanEdit, type TaskRole } from './campaign-api';

type Row = { uid: string; key?: string; task: string; due: string | null; observable?: string; role?: TaskRole };
type Levels = Record<string, { label: string; rows: Row[] }>;

let uidSequence = 0;
const nextUid = () => `new-${(uidSequence += 1)}`;

function toLevels(levels: Partial<Record<string, { label: string; tasks: CampaignTask[] }>>): Levels {
  return Object.fromEntries(
    Object.entries(levels).flatMap(([level, data]) =>
      data ? [[level, { label: data.label, rows: data.tasks.map((task) => ({ uid: task.key, key: task.key, task: task.task, due: task.due, observable: task.observable, role: task.role })) }]] : [],
    ),
  );
}

/** 工作安排: the province edits each level's tasks and due dates (PUT /api/campaigns/current/plan). */
export function PlanEditorPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const campaign = useQuery(campaignQuery);
  const [levels, setLevels] = useState<Levels | null>(null);
  useEffect(() => {
    if (campaign.data?.levels && levels === null) setLevels(toLevels(campaign.data.levels));
  }, [campaign.data, levels]);

  const save = useMutation({
    mutationFn: (body: PlanEdit) => updatePlan(body),
    onSuccess: (result) => {
      void message.success(t('plan.saved', { changes: result.changes }));
      setLevels(null);
      void queryClient.invalidateQueries({ queryKey: ['campaign'] });
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
    },
    onError: (error) => void message.error({ content: errorText(error, lang), duration: 8 }),
  });

  if (campaign.isPending) return <Card className="rc-page"><Skeleton active /></Card>;
  if (campaign.isError) return <Alert type="error" showIcon title={errorText(campaign.error, lang)} />;
  if (!campaign.data.abilities.editPlan) return <Alert type="warning" showIcon title={t('error.forbidden')} />;
  if (!levels) return <Card className="rc-page"><Skeleton active /></Card>;

  const change = (level: string, uid: string, patch: Partial<Row>) =>
    setLevels({ ...levels, [level]: { ...levels[level], rows: levels[level].rows.map((row) => (row.uid === uid ? { ...row, ...patch } : row)) } });
  const remove = (level: string, uid: string) => setLevels({ ...levels, [level]: { ...levels[level], rows: levels[level].rows.filter((row) => row.uid !== uid) } });
  const add = (level: string) => setLevels({ ...levels, [level]: { ...levels[level], rows: [...levels[level].rows, { uid: nextUid(), task: '', due: null }] } });
  const submit = () =>
    save.mutate({
      levels: Object.fromEntries(
        Object.entries(levels).map(([level, data]) => [level, { tasks: data.rows.map(({ key, task, due }) => ({ ...(key ? { key } : {}), task: task.trim(), due })) }]),
      ),
      version: campaign.data.planVersion,
    });

  const columns = (level: string): TableColumnsType<Row> => [
    { title: '#', key: 'index', width: 48, render: (_value, _row, index) => index + 1 },
    {
      title: t('task.name'),
      dataIndex: 'task',
      render: (task: string, row) => (
        <Input
          value={task}
          status={task.trim().length < 2 ? 'error' : undefined}
          placeholder={t('plan.taskRequired')}
          maxLength={200}
          onChange={(event) => change(level, row.uid, { task: event.target.value })}
          data-testid={`plan-task-${row.key ?? row.uid}`}
        />
      ),
    },
    {
      title: t('task.due'),
      dataIndex: 'due',
      width: 200,
      render: (due: string | null, row) => (
        <DatePicker
          value={due ? dayjs(due) : null}
          allowClear={!row.observable}
          placeholder={t('plan.ongoing')}
          onChange={(value) => change(level, row.uid, { due: value ? value.format('YYYY-MM-DD') : null })}
          data-testid={`plan-due-${row.key ?? row.uid}`}
        />
      ),
    },
    {
      title: t('task.how'),
      key: 'how',
      width: 150,
      render: (_value, row) => (
        <Space size={4} wrap>
          {row.observable ? <Tag color="cyan">{t('plan.observed')}</Tag> : <Typography.Text type="secondary">{t('task.manual')}</Typography.Text>}
          {row.role && <Tag color="geekblue" data-testid={`plan-role-${row.key}`}>{t(`plan.role.${row.role}`)}</Tag>}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_value, row) => (
        <Button size="small" type="text" danger icon={<DeleteOutlined />} disabled={Boolean(row.observable || row.role)} onClick={() => remove(level, row.uid)}>
          {t('plan.remove')}
        </Button>
      ),
    },
  ];

  return (
    <div className="rc-page">
      <Card
        title={t('plan.title')}
        extra={
          <Button type="primary" icon={<SaveOutlined />} loading={save.isPending} onClick={submit} data-testid="plan-save">
            {t('common.save')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('plan.intro')}</Typography.Paragraph>
        <Typography.Paragraph>
          {campaign.data.name} · {t('campaign.period', { start: campaign.data.startsOn, end: campaign.data.endsOn })}
        </Typography.Paragraph>
        <Tabs
          items={Object.entries(levels).map(([level, data]) => ({
            key: level,
            label: data.label,
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Table<Row> rowKey="uid" size="small" columns={columns(level)} dataSource={data.rows} pagination={false} data-testid={`plan-table-${level}`} />
                <Button icon={<PlusOutlined />} onClick={() => add(level)}>{t('plan.addTask')}</Button>
              </Space>
            ),
          }))}
        />
      </Card>
    </div>
  );
}
