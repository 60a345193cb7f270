import { funnelStages, type FunnelStage } from '../../contract/progress.schema.ts';

/**
 * 进度 (progress) arithmetic, pure. The words, made precise:
 * - the schools counted: the schools in the unit's reporting subtree that are not closed (a closed or merged
 *   school has `closed_on` set and leaves every figure: it is not expected, nor are its staff or records).
 *   A university counts under the province only, since it reports there; prefectures and counties count the
 *   schools that report through them.
 * - schools.expected: those schools; schools.started: with at least one live record (deletedAt null).
 * - schools.submitted: schools whose latest package is submitted or approved; schools.approved: approved.
 * - staff.expected: the sum of the schools' expected staff (应有人数).
 * - staff.entered: live records; staff.shortfall (缺报): the people still missing, school by school — each
 *   school's expected staff minus its live records, never below zero (a school with more records than
 *   expected does not make up for another's missing people).
 * - staff.confirmed: live records confirmed or approved by the school (a record is approved only after it was
 *   confirmed), of which staff.confirmedPhone the person confirmed on the phone page (or asked for a
 *   correction the school accepted) and staff.confirmedPaper the school registered as signed on paper.
 * - staff.approved: live records approved.
 * - completion: approved staff / expected staff, capped at 100%; with no expected staff, approved schools /
 *   schools; with no schools either, there is nothing to lag on (null, listed last). Lagging first = lowest
 *   completion first, then fewest approved schools, then the code.
 */

export type SchoolProgress = { expected: number; started: number; submitted: number; approved: number };
export type StaffProgress = { expected: number; entered: number; shortfall: number; confirmed: number; confirmedPhone: number; confirmedPaper: number; approved: number };
export type Progress = { schools: SchoolProgress; staff: StaffProgress };

export type Percentages = {
  schools: { started: number | null; submitted: number | null; approved: number | null };
  staff: { entered: number | null; shortfall: number | null; confirmed: number | null; confirmedPhone: number | null; confirmedPaper: number | null; approved: number | null };
};

const staffKeys = ['expected', 'entered', 'shortfall', 'confirmed', 'confirmedPhone', 'confirmedPaper', 'approved'] as const;

export const emptyProgress = (): Progress => ({
  schools: { expected: 0, started: 0, submitted: 0, approved: 0 },
  staff: { expected: 0, entered: 0, shortfall: 0, confirmed: 0, confirmedPhone: 0, confirmedPaper: 0, approved: 0 },
});

/** The sum of several units' progress. */
export function addProgress(...parts: Progress[]): Progress {
  const total = emptyProgress();
  for (const part of parts) {
    for (const key of ['expected', 'started', 'submitted', 'approved'] as const) total.schools[key] += part.schools[key];
    for (const key of staffKeys) total.staff[key] += part.staff[key];
  }
  return total;
}

/** `part` as a percentage of `whole`, one decimal (null when nothing is expected). May exceed 100. */
export function percent(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part / whole) * 1000) / 10;
}

/** Each figure as a share of what is expected (schools of schools, staff of expected staff). */
export function percentages(progress: Progress): Percentages {
  const { schools, staff } = progress;
  return {
    schools: {
      started: percent(schools.started, schools.expected),
      submitted: percent(schools.submitted, schools.expected),
      approved: percent(schools.approved, schools.expected),
    },
    staff: {
      entered: percent(staff.entered, staff.expected),
      shortfall: percent(staff.shortfall, staff.expected),
      confirmed: percent(staff.confirmed, staff.expected),
      confirmedPhone: percent(staff.confirmedPhone, staff.expected),
      confirmedPaper: percent(staff.confirmedPaper, staff.expected),
      approved: percent(staff.approved, staff.expected),
    },
  };
}

/** 完成度 between 0 and 1 (see the definitions above), or null when the unit expects nothing. */
export function completion(progress: Progress): number | null {
  const { schools, staff } = progress;
  if (staff.expected > 0) return Math.min(1, staff.approved / staff.expected);
  if (schools.expected > 0) return schools.approved / schools.expected;
  return null;
}

/** Lagging first: lowest completion, then the smallest share of approved schools, then the code. */
export function laggingFirst<T extends { code: string; progress: Progress }>(rows: T[]): T[] {
  const schoolShare = (progress: Progress) => (progress.schools.expected > 0 ? progress.schools.approved / progress.schools.expected : 1);
  return [...rows].sort((a, b) => {
    const left = completion(a.progress);
    const right = completion(b.progress);
    if (left !== right) {
      if (left === null) return 1;
      if (right === null) return -1;
      return left - right;
    }
    const share = schoolShare(a.progress) - schoolShare(b.progress);
    return share !== 0 ? share : a.code.localeCompare(b.code);
  });
}

export type { FunnelStage } from '../../contract/progress.schema.ts';

export const funnelLabels: Record<FunnelStage, { zh: string; en: string }> = {
  expected: { zh: '应有人数', en: 'Expected' },
  entered: { zh: '已录入', en: 'Entered' },
  confirmed: { zh: '已确认', en: 'Confirmed' },
  approved: { zh: '已审核', en: 'Approved' },
};

export const confirmationPartLabels = {
  phone: { zh: '本人手机确认', en: 'By phone' },
  paper: { zh: '学校登记纸质签字确认', en: 'On paper' },
} as const;

/**
 * The staff funnel: expected → entered → confirmed → approved, each with its share of expected; the confirmed
 * stage also in its two kinds (phone, paper).
 */
export function funnel(staff: StaffProgress) {
  return funnelStages.map((stage) => ({
    stage,
    label: funnelLabels[stage],
    value: staff[stage],
    percent: percent(staff[stage], staff.expected),
    ...(stage === 'confirmed'
      ? {
          parts: [
            { kind: 'phone' as const, label: confirmationPartLabels.phone, value: staff.confirmedPhone, percent: percent(staff.confirmedPhone, staff.expected) },
            { kind: 'paper' as const, label: confirmationPartLabels.paper, value: staff.confirmedPaper, percent: percent(staff.confirmedPaper, staff.expected) },
          ],
        }
      : {}),
  }));
}

/** A calendar day in China (UTC+8) as YYYY-MM-DD, the day every date of the plan means. */
export { chinaDay } from '../../standard/normalize.ts';

/** The day after (or `by` days after) a YYYY-MM-DD day. */
export function addDays(day: string, by = 1): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + by * 86_400_000).toISOString().slice(0, 10);
}

/** The campaign's days from its start through `today` (or its end, if earlier); today alone before the start. */
export function campaignDays(startsOn: string, endsOn: string, today: string): string[] {
  const last = today < endsOn ? today : endsOn;
  if (last < startsOn) return [today];
  const days: string[] = [];
  for (let day = startsOn; day <= last; day = addDays(day)) days.push(day);
  return days;
}

export type DayCounts = { entered: number; confirmed: number; approved: number };

/**
 * Running totals per day from changes per day: each day's figure is the sum of every change on or before
 * it (changes before the first day count on the first day).
 */
export function cumulate(days: string[], changes: { day: string; entered: number; confirmed: number; approved: number }[]) {
  const sorted = [...changes].sort((a, b) => a.day.localeCompare(b.day));
  const running: DayCounts = { entered: 0, confirmed: 0, approved: 0 };
  let next = 0;
  return days.map((day) => {
    while (next < sorted.length && sorted[next].day <= day) {
      running.entered += sorted[next].entered;
      running.confirmed += sorted[next].confirmed;
      running.approved += sorted[next].approved;
      next += 1;
    }
    return { day, ...running };
  });
}
