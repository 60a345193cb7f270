import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Progress, Skeleton, Space, Typography } from 'antd';
import { ApartmentOutlined, CalendarOutlined, TeamOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useNavigate } from 'react-router-dom';
import { errorText, isApiError } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { useLabels } from '../shared/useLabels';
import { useCurrentUser } from '../auth/SessionProvider';
import { unitQuery } from '../org/unit-queries';
import { UnitSummary } from '../org/UnitSummary';
import { campaignQuery, campaignsQuery, unitTasksQuery, type Campaign, type UnitTasks } from './campaign-api';
import { TaskTable } from './TaskTable';
import { TaskReminders } from './TaskReminders';
import { OverdueChildren } from './OverdueChildren';
import { SchoolTasks } from './SchoolTasks';
import { chinaDay } from '../../standard/normalize.ts';

function CampaignCard({ campaign, tasks }: { campaign: Campaign; tasks: UnitTasks | undefined }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const start = dayjs(campaign.startsOn);
  const end = dayjs(campaign.endsOn);
  const days = end.diff(start, 'day') + 1;
  // Today is China's calendar day as the server counts it (the browser's own zone plays no part).
  const today = dayjs(tasks?.today ?? chinaDay(new Date()));
  const day = today.diff(start, 'day') + 1;
  const late = tasks?.tasks.filter((task) => task.state === 'late').length ?? 0;
  const soon = tasks?.tasks.filter((task) => task.dueThisWeek).length ?? 0;
  const done = tasks?.tasks.filter((task) => task.state === 'done').length ?? 0;
  const dated = tasks?.tasks.filter((task) => task.due !== null).length ?? 0;
  const progressText = day < 1 ? t('campaign.notStarted') : day > days ? t('campaign.finished') : t('campaign.progress', { day, days });

  return (
    <Card
      className="rc-section"
      title={
        <Space>
          <CalendarOutlined />
          {t('campaign.title')}
        </Space>
      }
      extra={campaign.abilities.editPlan && <Button onClick={() => navigate('/campaign/plan')} data-testid="open-plan-editor">{t('plan.open')}</Button>}
      data-testid="campaign-card"
    >
      <div className="rc-campaign-head">
        <div>
          <Typography.Title level={4} style={{ margin: 0 }}>{campaign.name}</Typography.Title>
          <Typography.Text type="secondary">
            {t('campaign.period', { start: start.format('YYYY-MM-DD'), end: end.format('YYYY-MM-DD') })}
          </Typography.Text>
        </div>
        <div className="rc-campaign-progress">
          <Typography.Text type="secondary">{progressText}</Typography.Text>
          <Progress percent={Math.round((Math.min(Math.max(day, 0), days) / days) * 100)} size="small" />
        </div>
      </div>
      <div className="rc-campaign-tasks-head">
        <Typography.Text strong>{t('campaign.level', { level: campaign.levelLabel })}</Typography.Text>
        {tasks && <Typography.Text type={late > 0 ? 'danger' : soon > 0 ? 'warning' : 'secondary'}>{t('task.summary', { done, dated, late, soon })}</Typography.Text>}
      </div>
      {tasks ? <TaskTable unitCode={tasks.unit.code} tasks={tasks.tasks} today={tasks.today} canComplete={tasks.abilities.complete} /> : <Skeleton active />}
    </Card>
  );
}

/**
 * 首页: welcome, the user's unit with its counts, reminders (本周到期, 已逾期, and for a parent 下级逾期), for a
 * county (and the province) its schools' own tasks (学校任务, marked on their behalf when need be), the
 * campaign and the unit's tasks with their states.
 */
export function HomePage() {
  const { t, lang } = useI18n();
  const labels = useLabels();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const unit = useQuery({ ...unitQuery(user.unit.code), enabled: user.unit.kind !== 'school' });
  const campaign = useQuery(campaignQuery);
  const campaigns = useQuery(campaignsQuery);
  const tasks = useQuery({ ...unitTasksQuery(user.unit.code), enabled: campaign.isSuccess });

  return (
    <div className="rc-page">
      <Card className="rc-welcome" variant="borderless">
        <div className="rc-welcome-row">
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>{t('home.welcome', { name: user.displayName })}</Typography.Title>
            <Typography.Text type="secondary">
              {t('home.unitLine', { unit: user.unit.name, code: user.unit.code, role: labels.role(user.role) })}
            </Typography.Text>
          </div>
          <Space wrap>
            <Button icon={<ApartmentOutlined />} onClick={() => navigate(`/units/${user.unit.code}`)}>{t('home.openUnit')}</Button>
            {user.abilities.manageAccounts && (
              <Button icon={<TeamOutlined />} onClick={() => navigate('/accounts')}>{t('home.openAccounts')}</Button>
            )}
          </Space>
        </div>
      </Card>
      {unit.data && <UnitSummary unit={unit.data} />}
      {campaign.isPending && <Card className="rc-section"><Skeleton active /></Card>}
      {campaign.isError && (
        <Alert
          type={isApiError(campaign.error, 404) ? 'info' : 'error'}
          showIcon
          title={isApiError(campaign.error, 404) ? t('campaign.none') : errorText(campaign.error, lang)}
          action={isApiError(campaign.error, 404) && campaigns.data?.abilities.create && (
            <Button type="primary" onClick={() => navigate('/campaign/plan')} data-testid="create-campaign-link">{t('campaign.createFirst')}</Button>
          )}
        />
      )}
      {tasks.data && <TaskReminders tasks={tasks.data.tasks} />}
      {campaign.data && user.unit.kind !== 'school' && <OverdueChildren unitCode={user.unit.code} />}
      {campaign.data && (user.unit.kind === 'county' || user.unit.kind === 'province') && <SchoolTasks unitCode={user.unit.code} />}
      {campaign.data && <CampaignCard campaign={campaign.data} tasks={tasks.data} />}
    </div>
  );
}
