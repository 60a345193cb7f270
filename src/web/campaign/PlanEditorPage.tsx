import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Input, Skeleton, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { errorText } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { planLevels } from '../../contract/campaign.schema';
import { campaignDetailQuery, campaignsQuery, updateCampaignPlan, type CampaignDetail, type PlanEdit, type TaskRole, type WeeklyPlan } from './campaign-api';
import { CampaignsCard } from './CampaignsCard';
import { WeeklyPlanEditor } from './WeeklyPlanEditor';

type Row = { uid: string; key?: string; task: string; due: string | null; observable?: string; role?: TaskRole };
type Levels = Record<string, { label: string; rows: Row[] }>;
/** The plan being edited: the campaign's levels as rows, and its weekly report. */
type Draft = { id: number; version: string; levels: Levels; weekly: WeeklyPlan };

let uidSequence = 0;
const nextUid = () => `new-${(uidSequence += 1)}`;

function toDraft(detail: CampaignDetail): Draft {
  const levels: Levels = Object.fromEntries(
    planLevels.map((level) => {
      const data = detail.levels[level];
      return [level, { label: data.label, rows: data.tasks.map((task) => ({ uid: task.key, key: task.key, task: task.task, due: task.due, observable: task.observable, role: task.role })) }];
    }),
  );
  return { id: detail.id, version: detail.planVersion, levels, weekly: detail.weekly };
}

/**
 * 工作安排: the province's campaigns (create a year's draft, start, close), and the plan of the one chosen:
 * each level's tasks and due dates, and the weekly report (PUT /api/campaigns/:id/plan). A closed campaign's
 * plan is shown read-only.
 */
export function PlanEditorPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const campaigns = useQuery(campaignsQuery);
  const [chosen, setChosen] = useState<number | undefined>(undefined);
  const list = campaigns.data?.campaigns ?? [];
  const selectedId = chosen ?? (list.find((row) => row.status === 'running') ?? list[0])?.id;
  const detail = useQuery({ ...campaignDetailQuery(selectedId ?? 0), enabled: selectedId !== undefined });
  const [draft, setDraft] = useState<Draft | null>(null);
  useEffect(() => {
    // A saved plan comes back with a new version: the editor then shows it as stored.
    if (detail.data && (draft === null || draft.id !== detail.data.id || draft.version !== detail.data.planVersion)) setDraft(toDraft(detail.data));
  }, [detail.data, draft]);

  const save = useMutation({
    mutationFn: ({ id, body }: { id: number; body: PlanEdit }) => updateCampaignPlan(id, body),
    onSuccess: (result) => {
      void message.success(t('plan.saved', { changes: result.changes }));
      void queryClient.invalidateQueries({ queryKey: ['campaign'] });
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
    },
    onError: (error) => void message.error({ content: errorText(error, lang), duration: 8 }),
  });

  if (campaigns.isPending) return <Card className="rc-page"><Skeleton active /></Card>;
  if (campaigns.isError) return <Alert type="error" showIcon title={errorText(campaigns.error, lang)} />;
  if (!campaigns.data.abilities.create) return <Alert type="warning" showIcon title={t('error.forbidden')} />;
  const card = <CampaignsCard campaigns={list} canCreate={campaigns.data.abilities.create} selected={selectedId} onSelect={setChosen} />;
  if (selectedId === undefined) return <div className="rc-page">{card}</div>;
  if (detail.isError) return <div className="rc-page">{card}<Alert type="error" showIcon title={errorText(detail.error, lang)} /></div>;
  if (!detail.data || !draft || draft.id !== detail.data.id || draft.version !== detail.data.planVersion) return <div className="rc-page">{card}<Card><Skeleton active /></Card></div>;
  const campaign = detail.data;
  const readOnly = !campaign.abilities.editPlan;
  const levels = draft.levels;
  const setLevels = (next: Levels) => setDraft({ ...draft, levels: next });

  const change = (level: string, uid: string, patch: Partial<Row>) =>
    setLevels({ ...levels, [level]: { ...levels[level], rows: levels[level].rows.map((row) => (row.uid === uid ? { ...row, ...patch } : row)) } });
  const remove = (level: string, uid: string) => setLevels({ ...levels, [level]: { ...levels[level], rows: levels[level].rows.filter((row) => row.uid !== uid) } });
  const add = (level: string) => setLevels({ ...levels, [level]: { ...levels[level], rows: [...levels[level].rows, { uid: nextUid(), task: '', due: null }] } });
  const submit = () =>
    save.mutate({
      id: campaign.id,
      body: {
        levels: Object.fromEntries(
          Object.entries(levels).map(([level, data]) => [level, { tasks: data.rows.map(({ key, task, due }) => ({ ...(key ? { key } : {}), task: task.trim(), due })) }]),
        ),
        weekly: { issues: draft.weekly.issues.map(({ date, content }) => ({ date, content: content.trim() })), levels: draft.weekly.levels },
        version: campaign.planVersion,
      },
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
          disabled={readOnly}
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
          disabled={readOnly}
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
        <Button size="small" type="text" danger icon={<DeleteOutlined />} disabled={readOnly || Boolean(row.observable || row.role)} onClick={() => remove(level, row.uid)}>
          {t('plan.remove')}
        </Button>
      ),
    },
  ];

  return (
    <div className="rc-page">
      {card}
      <Card
        title={t('plan.title')}
        extra={
          !readOnly && (
            <Button type="primary" icon={<SaveOutlined />} loading={save.isPending} onClick={submit} data-testid="plan-save">
              {t('common.save')}
            </Button>
          )
        }
      >
        <Typography.Paragraph type="secondary">{t('plan.intro')}</Typography.Paragraph>
        {readOnly && <Alert type="info" showIcon title={t('plan.readOnly')} style={{ marginBottom: 12 }} />}
        <Typography.Paragraph>
          {campaign.name} · <Tag>{campaign.statusLabel}</Tag> {t('campaign.period', { start: campaign.startsOn, end: campaign.endsOn })}
        </Typography.Paragraph>
        <Tabs
          items={[
            // The contract's order of the levels, never the order the stored plan's keys come back in.
            ...planLevels.map((level) => ({
              key: level,
              label: levels[level].label,
              children: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Table<Row> rowKey="uid" size="small" columns={columns(level)} dataSource={levels[level].rows} pagination={false} data-testid={`plan-table-${level}`} />
                  {!readOnly && <Button icon={<PlusOutlined />} onClick={() => add(level)}>{t('plan.addTask')}</Button>}
                </Space>
              ),
            })),
            {
              key: 'weekly',
              label: t('planWeekly.tab'),
              children: (
                <WeeklyPlanEditor
                  weekly={draft.weekly}
                  levelLabels={Object.fromEntries(planLevels.map((level) => [level, levels[level].label]))}
                  readOnly={readOnly}
                  onChange={(weekly) => setDraft({ ...draft, weekly })}
                />
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
