import { sql, type SQL } from 'drizzle-orm';
import type { PlanLevel } from '../../standard/campaign.ts';
import { resultRows, type Executor } from '../db/client.ts';
import { currentCampaign } from './campaign.service.ts';
import { deadlineState } from './deadlines.ts';
import { remindLateChildren } from './task-reminders.ts';
import { provinceReportingType } from '../../contract/units.ts';

/** Which units carry each level's tasks of the plan. */
const levelUnits: Record<PlanLevel, SQL> = {
  province: sql`u.kind = 'province'`,
  prefecture: sql`u.kind = 'prefecture'`,
  county: sql`u.kind = 'county'`,
  higher_ed: sql`u.kind = 'school' and u.school_type = ${provinceReportingType}`,
  school: sql`u.kind = 'school' and u.school_type <> ${provinceReportingType}`,
};

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
  for (const [level, filter] of Object.entries(levelUnits) as [PlanLevel, SQL][]) {
    const due = plan.levels[level]?.tasks.find((task) => task.observable === 'submit')?.due ?? null;
    if (deadlineState(due, now) !== 'due_soon') continue;
    const title = `报送截止日期 ${due} 即将到期，请尽快完成审核与报送`;
    const result = await executor.execute(sql`
      insert into notifications (unit_code, kind, title, link)
      select u.code, 'deadline_soon', ${title}, '/units/' || u.code || '/submission'
      from units u
      where ${filter}
        and not exists (select 1 from packages p where p.unit_code = u.code and p.campaign_id = ${campaign.id})
        and not exists (select 1 from notifications n where n.unit_code = u.code and n.kind = 'deadline_soon' and n.title = ${title})
      returning 1`);
    written += resultRows(result).length;
  }
  // 下级逾期: each parent hears once per task which of its units are late.
  written += await remindLateChildren(executor, campaign, now);
  return written;
}
