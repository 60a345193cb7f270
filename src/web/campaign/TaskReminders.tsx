import { Card, Col, Empty, List, Row, Tag, Typography } from 'antd';
import { ClockCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { useI18n } from '../shared/I18nProvider';
import type { UnitTask } from './campaign-api';

function ReminderList({ tasks, empty, late }: { tasks: UnitTask[]; empty: string; late?: boolean }) {
  const { t } = useI18n();
  if (tasks.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />;
  return (
    <List
      size="small"
      dataSource={tasks}
      renderItem={(task) => (
        <List.Item key={task.key}>
          <Typography.Text>{task.task}</Typography.Text>
          {late ? <Tag color="red">{t('task.lateBy', { days: task.daysLate })}</Tag> : <Tag color="gold">{task.due}</Tag>}
        </List.Item>
      )}
    />
  );
}

/** 提醒: what falls due within seven days (本周到期) and what is past its date (已逾期), for the unit itself. */
export function TaskReminders({ tasks }: { tasks: UnitTask[] }) {
  const { t } = useI18n();
  const week = tasks.filter((task) => task.dueThisWeek);
  const late = tasks.filter((task) => task.state === 'late');
  return (
    <Row gutter={16} className="rc-section" data-testid="task-reminders">
      <Col xs={24} md={12}>
        <Card size="small" title={<span><ClockCircleOutlined /> {t('reminder.week', { count: week.length })}</span>} data-testid="reminder-week">
          <ReminderList tasks={week} empty={t('reminder.weekNone')} />
        </Card>
      </Col>
      <Col xs={24} md={12}>
        <Card
          size="small"
          title={<Typography.Text type={late.length > 0 ? 'danger' : undefined}><ExclamationCircleOutlined /> {t('reminder.late', { count: late.length })}</Typography.Text>}
          data-testid="reminder-late"
        >
          <ReminderList tasks={late} empty={t('reminder.lateNone')} late />
        </Card>
      </Col>
    </Row>
  );
}
