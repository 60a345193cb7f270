import { z } from 'zod';
import campaignData from '../../standard/data/campaign-2013.json' with { type: 'json' };
import { weeklyPlanOf, type CampaignPlan } from '../../standard/campaign.ts';
import type { UnitKind } from '../../contract/unit-tree.ts';
import { issueNumbers, reportLevels, signatureSteps, type IssueNo, type ReportLevel, type ReportStatus, type SignatureStep } from '../../contract/reports.schema.ts';

export { issueNumbers, signatureSteps, type IssueNo, type ReportLevel, type SignatureStep };

const weeklyReportFormSchema = z.object({
  title: z.string(),
  attachment: z.number(),
  header: z.array(z.string()),
  issues: z.array(z.object({ issue: z.literal(issueNumbers), date: z.string(), content: z.string() })),
  signatures: z.array(z.string()),
});
type WeeklyReportForm = z.infer<typeof weeklyReportFormSchema>;

const planData = z.object({ weeklyReportForm: weeklyReportFormSchema }).parse(campaignData);

/** Attachment 3 as the plan gives it: title, header, the four issues and the signature rows. */
export const weeklyReportForm: WeeklyReportForm = planData.weeklyReportForm;

export function isReportLevel(kind: UnitKind): kind is ReportLevel {
  return reportLevels.some((level) => level === kind);
}

const dayMs = 86_400_000;

export type WeeklyIssue = {
  issueNo: IssueNo;
  content: string;
  /** The issue's date in the campaign (as its plan sets it; the 2013 month-day, shifted, by default). */
  date: string;
  /** The level's deadline: the first report weekday on or after the issue's date, at the level's time (UTC+8). */
  dueAt: Date;
};

/**
 * The four issues of the weekly report for a level, dated as the campaign's plan sets them (`weeklyPlanOf`).
 * The deadline is the level's report weekday on or after the issue's date (Friday 10:00 county, 12:00
 * prefecture, 15:00 province by default); it is also the cut-off of the figures. Issues are at least seven
 * days apart, so each lands on its own report day.
 */
export function weeklyIssues(plan: CampaignPlan, level: ReportLevel): WeeklyIssue[] {
  const weekly = weeklyPlanOf(plan);
  const rule = weekly.levels[level];
  const [hours, minutes] = rule.time.split(':').map(Number);
  return issueNumbers.map((issueNo, index) => {
    const issue = weekly.issues[index];
    const day = Date.parse(`${issue.date}T00:00:00Z`);
    const weekday = new Date(day).getUTCDay();
    const reportDay = day + ((rule.weekday - weekday + 7) % 7) * dayMs;
    return {
      issueNo,
      content: issue.content,
      date: issue.date,
      dueAt: new Date(reportDay + (hours - 8) * 3_600_000 + minutes * 60_000),
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
