import { DatePicker, Input, Select, Space, Table, TimePicker, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { weeklyAddressees, weeklyReportLevelSchema } from '../../contract/campaign.schema';
import { useI18n } from '../shared/I18nProvider';
import type { WeeklyPlan } from './campaign-api';

type Level = (typeof weeklyReportLevelSchema.options)[number];
type Issue = WeeklyPlan['issues'][number];
type Rule = WeeklyPlan['levels'][Level];

const weekdayKeys = [
  'planWeekly.weekday0',
  'planWeekly.weekday1',
  'planWeekly.weekday2',
  'planWeekly.weekday3',
  'planWeekly.weekday4',
  'planWeekly.weekday5',
  'planWeekly.weekday6',
] as const;
const addresseeKeys = { ministry: 'reportTo.ministry', province: 'reportTo.province', prefecture: 'reportTo.prefecture' } as const;

/** An HH:MM time as a day.js value of today (TimePicker shows only its hour and minute). */
function timeValue(time: string) {
  const [hour, minute] = time.split(':').map(Number);
  return dayjs().hour(hour).minute(minute).second(0);
}

/**
 * 周报表: the four issues (date, what each reports) and each reporting level's addressee, report day and
 * cut-off time, edited in place; `readOnly` for a closed campaign.
 */
export function WeeklyPlanEditor({ weekly, levelLabels, readOnly, onChange }: { weekly: WeeklyPlan; levelLabels: Record<string, string>; readOnly: boolean; onChange: (weekly: WeeklyPlan) => void }) {
  const { t } = useI18n();
  const changeIssue = (index: number, patch: Partial<Issue>) => onChange({ ...weekly, issues: weekly.issues.map((issue, at) => (at === index ? { ...issue, ...patch } : issue)) });
  const changeRule = (level: Level, patch: Partial<Rule>) => onChange({ ...weekly, levels: { ...weekly.levels, [level]: { ...weekly.levels[level], ...patch } } });

  const issueColumns: TableColumnsType<Issue & { index: number }> = [
    { title: t('planWeekly.issue'), key: 'issue', width: 90, render: (_value, row) => t('planWeekly.issueNo', { n: row.index + 1 }) },
    {
      title: t('planWeekly.date'),
      dataIndex: 'date',
      width: 200,
      render: (date: string, row) => (
        <DatePicker
          value={dayjs(date)}
          allowClear={false}
          disabled={readOnly}
          onChange={(value) => value && changeIssue(row.index, { date: value.format('YYYY-MM-DD') })}
          data-testid={`weekly-date-${row.index + 1}`}
        />
      ),
    },
    {
      title: t('planWeekly.content'),
      dataIndex: 'content',
      render: (content: string, row) => (
        <Input
          value={content}
          disabled={readOnly}
          maxLength={200}
          status={content.trim().length < 2 ? 'error' : undefined}
          onChange={(event) => changeIssue(row.index, { content: event.target.value })}
          data-testid={`weekly-content-${row.index + 1}`}
        />
      ),
    },
  ];

  const ruleColumns: TableColumnsType<Rule & { level: Level }> = [
    { title: t('planWeekly.level'), dataIndex: 'level', width: 140, render: (level: Level) => levelLabels[level] ?? level },
    {
      title: t('planWeekly.to'),
      dataIndex: 'to',
      width: 180,
      render: (to: Rule['to'], row) => (
        <Select
          value={to}
          disabled={readOnly}
          style={{ width: '100%' }}
          options={weeklyAddressees.map((value) => ({ value, label: t(addresseeKeys[value]) }))}
          onChange={(value: Rule['to']) => changeRule(row.level, { to: value })}
          data-testid={`weekly-to-${row.level}`}
        />
      ),
    },
    {
      title: t('planWeekly.weekday'),
      dataIndex: 'weekday',
      width: 140,
      render: (weekday: number, row) => (
        <Select
          value={weekday}
          disabled={readOnly}
          style={{ width: '100%' }}
          options={weekdayKeys.map((key, value) => ({ value, label: t(key) }))}
          onChange={(value: number) => changeRule(row.level, { weekday: value })}
          data-testid={`weekly-weekday-${row.level}`}
        />
      ),
    },
    {
      title: t('planWeekly.time'),
      dataIndex: 'time',
      width: 160,
      render: (time: string, row) => (
        <TimePicker
          value={timeValue(time)}
          format="HH:mm"
          minuteStep={5}
          allowClear={false}
          disabled={readOnly}
          onChange={(value) => value && changeRule(row.level, { time: value.format('HH:mm') })}
          data-testid={`weekly-time-${row.level}`}
        />
      ),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{t('planWeekly.intro')}</Typography.Paragraph>
      <Table rowKey="index" size="small" pagination={false} columns={issueColumns} dataSource={weekly.issues.map((issue, index) => ({ ...issue, index }))} data-testid="weekly-issues" />
      <Table
        rowKey="level"
        size="small"
        pagination={false}
        columns={ruleColumns}
        dataSource={weeklyReportLevelSchema.options.map((level) => ({ ...weekly.levels[level], level }))}
        data-testid="weekly-rules"
      />
    </Space>
  );
}
