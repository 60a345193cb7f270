import { handDatingProblems, planDatedByHand, planDateProblems, planLevels, planStartingOn, withTaskRoles, type CampaignPlan } from '../../standard/campaign.ts';
import { campaignStatusLabels, type CampaignCreate, type CampaignStatus } from '../../contract/campaign.schema.ts';
import type { Database } from '../db/client.ts';
import { isUniqueViolation } from '../db/sql-state.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import { DomainError, notFound } from '../errors.ts';
import { campaignName } from './campaign.service.ts';
import { findCampaign, findRunningCampaign, insertCampaign, listCampaigns, lockCampaign, setCampaignStatus, type CampaignRow } from './campaign.repository.ts';
import { addDays } from './tasks.ts';

/** The span of a campaign's dates at most: a campaign runs within a year of its first day. */
const maxSpanDays = 365;

function unprocessable(problems: string[]): DomainError {
  return new DomainError(
    'unprocessable',
    { zh: `采集工作未创建：${problems.join('；')}`, en: `The campaign was not created: ${problems.length} problem(s) with its dates` },
    { problems },
  );
}

/** The first and last due date of a plan's tasks. */
function spanOf(plan: CampaignPlan): { startsOn: string; endsOn: string } | undefined {
  const dues = planLevels.flatMap((level) => plan.levels[level].tasks.map((task) => task.due)).filter((due): due is string => due !== null).sort();
  const [first, last] = [dues[0], dues.at(-1)];
  return first && last ? { startsOn: first, endsOn: last } : undefined;
}

/**
 * Creates a draft campaign for `input.year` from the plan template (the 2013 plan), dated from its start or
 * by hand. Every date is checked first (all of a hand dating, the order of the data's steps within and
 * between levels, the weekly issues a week apart, the first day in the year): a problem refuses it whole
 * (422), naming the date.
 */
export async function createCampaign(db: Database, context: AuditContext, input: CampaignCreate): Promise<CampaignRow> {
  let plan: CampaignPlan;
  if ('startsOn' in input) {
    plan = planStartingOn(input.startsOn).plan;
  } else {
    const problems = handDatingProblems(input.dates, input.weeklyDates);
    if (problems.length > 0) throw unprocessable(problems);
    plan = planDatedByHand(input.dates, input.weeklyDates);
  }
  const span = spanOf(plan);
  if (!span) throw unprocessable(['工作安排没有任何截止日期']);
  const problems = planDateProblems(plan);
  if (Number(span.startsOn.slice(0, 4)) !== input.year) problems.unshift(`第一项任务的截止日期 ${span.startsOn} 不在 ${input.year} 年`);
  const weeklyDays = plan.weekly?.issues.map((issue) => issue.date) ?? [];
  const latest = addDays(span.startsOn, maxSpanDays);
  for (const day of [span.endsOn, ...weeklyDays]) {
    if (day > latest) problems.push(`日期 ${day} 距第一项任务（${span.startsOn}）超过一年`);
  }
  for (const day of weeklyDays) {
    if (day < addDays(span.startsOn, -60)) problems.push(`周报表日期 ${day} 早于第一项任务（${span.startsOn}）60 天以上`);
  }
  if (problems.length > 0) throw unprocessable(problems);

  return db.transaction(async (tx) => {
    const row = await insertCampaign(tx, { name: input.name ?? campaignName(input.year), year: input.year, ...span, plan, status: 'draft' });
    await recordAudit(tx, context, {
      action: 'campaign.created',
      targetType: 'campaign',
      targetId: row.id,
      after: { name: row.name, year: row.year, startsOn: row.startsOn, endsOn: row.endsOn, datedBy: 'startsOn' in input ? 'start' : 'hand' },
    });
    return row;
  });
}

const alreadyRunning = (running: CampaignRow) =>
  new DomainError('conflict', {
    zh: `已有进行中的采集工作「${running.name}」，请先结束它再开始新的采集工作`,
    en: `Campaign "${running.name}" is running; close it before starting another`,
  });

function wrongStatus(row: CampaignRow, action: string, needed: CampaignStatus): DomainError {
  return new DomainError('conflict', {
    zh: `采集工作「${row.name}」当前为${campaignStatusLabels[row.status]}，只有${campaignStatusLabels[needed]}的采集工作可以${action}`,
    en: `Campaign "${row.name}" is ${row.status}; only a ${needed} campaign can be ${action === '开始' ? 'started' : 'closed'}`,
  });
}

/** 开始: a draft becomes the running campaign; refused (409) while another runs. */
export async function startCampaign(db: Database, context: AuditContext, campaignId: number): Promise<CampaignRow> {
  try {
    return await db.transaction(async (tx) => {
      const row = await lockCampaign(tx, campaignId);
      if (!row) throw notFound();
      if (row.status !== 'draft') throw wrongStatus(row, '开始', 'draft');
      const running = await findRunningCampaign(tx);
      if (running) throw alreadyRunning(running);
      const started = await setCampaignStatus(tx, campaignId, 'draft', 'running');
      if (!started) throw wrongStatus(row, '开始', 'draft');
      await recordAudit(tx, context, { action: 'campaign.started', targetType: 'campaign', targetId: campaignId, before: { status: 'draft' }, after: { status: 'running' } });
      return started;
    });
  } catch (error) {
    // Two starts at once: the unique index lets one through and refuses the other.
    if (isUniqueViolation(error, 'campaigns_one_running_idx')) {
      const running = await findRunningCampaign(db);
      if (running) throw alreadyRunning(running);
    }
    throw error;
  }
}

/** 结束: the running campaign closes; its plan is read-only from then on, and it stays readable. */
export async function closeCampaign(db: Database, context: AuditContext, campaignId: number): Promise<CampaignRow> {
  return db.transaction(async (tx) => {
    const row = await lockCampaign(tx, campaignId);
    if (!row) throw notFound();
    if (row.status !== 'running') throw wrongStatus(row, '结束', 'running');
    const closed = await setCampaignStatus(tx, campaignId, 'running', 'closed');
    if (!closed) throw wrongStatus(row, '结束', 'running');
    await recordAudit(tx, context, { action: 'campaign.closed', targetType: 'campaign', targetId: campaignId, before: { status: 'running' }, after: { status: 'closed' } });
    return closed;
  });
}

/** Every campaign, newest year first. */
export function campaignList(db: Database): Promise<CampaignRow[]> {
  return listCampaigns(db);
}

/** One campaign with its plan read with every task's role (as `currentCampaign` reads the running one). */
export async function campaignById(db: Database, campaignId: number): Promise<CampaignRow | undefined> {
  const row = await findCampaign(db, campaignId);
  return row && { ...row, plan: withTaskRoles(row.plan) };
}
