import { z } from 'zod';
import campaignData from '../../standard/data/campaign-2013.json' with { type: 'json' };
import { plan2013, type CampaignPlan } from '../../standard/campaign.ts';
import { planLevels } from '../../contract/campaign.schema.ts';
import type { UnitKind } from '../../contract/unit-tree.ts';
import { issueNumbers, reportLevels, signatureSteps, type IssueNo, type ReportLevel, type ReportStatus, type SignatureStep } from '../../contract/reports.schema.ts';

export { issueNumbers, signatureSteps, type IssueNo, type ReportLevel, type SignatureStep };

const weeklyReportRule = z.object({ to: z.string(), weekday: z.number(), time: z.string() });
type WeeklyReportRule = z.infer<typeof weeklyReportRule>;
const weeklyReportFormSchema = z.object({
  title: z.string(),
  attachment: z.number(),
  header: z.array(z.string()),
  issues: z.array(z.object({ issue: z.literal(issueNumbers), date: z.string(), content: z.string() })),
  signatures: z.array(z.string()),
});
type WeeklyReportForm = z.infer<typeof weeklyReportFormSchema>;

const planData = z
  .object({ weeklyReportForm: weeklyReportFormSchema, levels: z.record(z.string(), z.object({ weeklyReport: weeklyReportRule.optional() })) })
  .parse(campaignData);

/** Attachment 3 as the plan gives it: title, header, the four issues and the signature rows. */
export const weeklyReportForm: WeeklyReportForm = planData.weeklyReportForm;

export function isReportLevel(kind: UnitKind): kind is ReportLevel {
  return reportLevels.some((level) => level === kind);
}

/** The level's rule: report to whom, on which weekday (5 = Friday) and by what time (China time). */
export function weeklyRule(level: ReportLevel): WeeklyReportRule {
  return planData.levels[level].weeklyReport!;
}


const dayMs = 86_400_000;
const utcOf2013 = (monthDay: string) => {
  const [month, day] = monthDay.split('-').map(Number);
  return Date.UTC(2013, month - 1, day);
};

/**
 * How many days the campaign's plan is shifted from the 2013 plan: the shift most of its tasks carry
 * (`datedPlan` moves every date by the same number of days; a task moved by hand later does not move the
 * weekly report).
 */
export function planOffsetDays(plan: CampaignPlan): number {
  const votes = new Map<number, number>();
  for (const level of planLevels) {
    const data = plan2013.levels[level];
    for (const [index, task] of data.tasks.entries()) {
      const dated = plan.levels[level]?.tasks[index]?.due;
      if (!task.due || !dated) continue;
      const offset = Math.round((Date.parse(dated) - utcOf2013(task.due)) / dayMs);
      votes.set(offset, (votes.get(offset) ?? 0) + 1);
    }
  }
  let best = 0;
  let most = 0;
  for (const [offset, count] of votes) {
    if (count > most) [best, most] = [offset, count];
  }
  return best;
}

export type WeeklyIssue = {
  issueNo: IssueNo;
  content: string;
  /** The issue's date in the campaign (the 2013 month-day, shifted). */
  date: string;
  /** The level's deadline: the first report weekday on or after the issue's date, at the level's time (UTC+8). */
  dueAt: Date;
};

/**
 * The four issues of the weekly report for a level, dated for the campaign. The deadline is the issue
 * week's Friday (10:00 county, 12:00 prefecture, 15:00 province); it is also the cut-off of the figures.
 * Issues are at least seven days apart, so each lands on its own Friday whatever the shift.
 */
export function weeklyIssues(plan: CampaignPlan, level: ReportLevel): WeeklyIssue[] {
  const offset = planOffsetDays(plan);
  const rule = weeklyRule(level);
  const [hours, minutes] = rule.time.split(':').map(Number);
  return weeklyReportForm.issues.map((issue) => {
    const day = utcOf2013(issue.date) + offset * dayMs;
    const weekday = new Date(day).getUTCDay();
    const friday = day + ((rule.weekday - weekday + 7) % 7) * dayMs;
    return {
      issueNo: issue.issue,
      content: issue.content,
      date: new Date(day).toISOString().slice(0, 10),
      dueAt: new Date(friday + (hours - 8) * 3_600_000 + minutes * 60_000),
    };
  });
}

export function weeklyIssue(plan: CampaignPlan, level: ReportLevel, issueNo: IssueNo): WeeklyIssue {
  return weeklyIssues(plan, level).find((issue) => issue.issueNo === issueNo)!;
}

/** The signature steps' labels, in the attachment's words. */
export const signatureStepLabels: Record<SignatureStep, { zh: string; en: string }> = {
  preparer: { zh: weeklyReportForm.signatures[0], en: 'Prepared by' },
  department_head: { zh: weeklyReportForm.signatures[1], en: 'Reviewed by the responsible department head' },
  bureau_leader: { zh: weeklyReportForm.signatures[2], en: 'Signed by the bureau leader' },
};

/** The next step to sign after `status`, or null when all three have signed (or it is submitted). */
export function nextStep(status: ReportStatus): SignatureStep | null {
  if (status === 'draft') return 'preparer';
  if (status === 'submitted') return null;
  return signatureSteps[signatureSteps.indexOf(status) + 1] ?? null;
}
