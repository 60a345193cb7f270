import type { Executor } from '../db/client.ts';
import { currentCampaign } from './campaign.service.ts';
import { deadlineState } from './deadlines.ts';
import { remindLateChildren } from './task-reminders.ts';
import { insertDeadlineSoon } from '../notifications/notifications.repository.ts';
import { planLevels } from '../../standard/campaign.ts';

/**
 * 截止提醒: tells every unit that has not submitted yet when its submission deadline is two days away or less,
 * once per deadline, and every parent which units reporting to it are late with a task, once per task.
 * Run at start and every hour; returns how many reminders it wrote.
 */
export async function remindDeadlines(executor: Executor, now = new Date()): Promise<number> {
  const campaign = await currentCampaign(executor);
  if (!campaign) return 0;
  const plan = campaign.plan;
  let written = 0;
  for (const level of planLevels) {
    const due = plan.levels[level]?.tasks.find((task) => task.observable === 'submit')?.due ?? null;
    if (deadlineState(due, now) !== 'due_soon') continue;
    const title = `报送截止日期 ${due} 即将到期，请尽快完成审核与报送`;
    written += await insertDeadlineSoon(executor, level, campaign.id, title);
  }
  // 下级逾期: each parent hears once per task which of its units are late.
  written += await remindLateChildren(executor, campaign, now);
  return written;
}
