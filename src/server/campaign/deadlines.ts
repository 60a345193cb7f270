import type { CampaignPlan } from '../../standard/campaign.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import type { UnitKind } from '../../contract/unit-tree.ts';
import { planLevelOf } from './campaign.service.ts';
import { chinaDay } from '../../standard/normalize.ts';
import type { DeadlineState } from '../../contract/packages.schema.ts';

/** The due date of a unit's submission in the campaign plan (its level's task the system sees as `submit`). */
export function submissionDeadline(plan: CampaignPlan, kind: UnitKind, schoolType: SchoolType | null): string | null {
  const level = plan.levels[planLevelOf(kind, schoolType)];
  return level?.tasks.find((task) => task.observable === 'submit')?.due ?? null;
}

/** 未到期 / 即将到期 (two days or less) / 已逾期, by China's calendar day. */
export function deadlineState(due: string | null, now: Date): DeadlineState | null {
  if (!due) return null;
  const today = chinaDay(now);
  if (today > due) return 'late';
  const days = (Date.parse(due) - Date.parse(today)) / 86_400_000;
  return days <= 2 ? 'due_soon' : 'open';
}
