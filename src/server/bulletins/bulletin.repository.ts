import { sql } from 'drizzle-orm';
import { resultRows, type Executor } from '../db/client.ts';
import type { CampaignRow } from '../campaign/campaign.service.ts';
import { loadCompletions, levelOfUnit, planOf } from '../campaign/tasks.service.ts';
import { loadTaskFacts, observeTask, observedKinds } from '../campaign/task-observer.ts';
import { isManual } from '../campaign/tasks.ts';
import { share, type UnitFigures } from './bulletin.figures.ts';

/** Observables whose day of completion the data date exactly (the school stages are dated by submission). */
const datedObservables = new Set(['submit', 'review', 'contacts']);

type UnitRecord = { code: string; name: string; kind: string; school_type: string | null; path: string; expected_staff: number | null };
type SchoolCounts = { live: number; approved: number; returned: number; withFindings: number; withProblems: number };

/**
 * Per school: live and approved records from the counters the progress pages keep (progress_school_counts,
 * maintained with every change), and the two quality counts from narrow scans — records with stored check
 * findings, and live records with a 'return' step (few; found from staff_events and looked up by id).
 */
async function loadSchoolCounts(executor: Executor, campaignId: number): Promise<Map<string, SchoolCounts>> {
  const [progress, findings, returned] = await Promise.all([
    executor.execute(sql`select school_code, entered, approved from progress_school_counts where campaign_id = ${campaignId}`),
    executor.execute(sql`
      select school_code, count(*)::int as n from staff
      where campaign_id = ${campaignId} and deleted_at is null and findings <> '[]'::jsonb
      group by school_code`),
    executor.execute(sql`
      select s.school_code, count(distinct s.id)::int as n,
        count(distinct s.id) filter (where s.findings <> '[]'::jsonb)::int as with_findings
      from staff_events e join staff s on s.id = e.staff_id
      where e.event = 'return' and s.campaign_id = ${campaignId} and s.deleted_at is null
      group by s.school_code`),
  ]);
  const counts = new Map<string, SchoolCounts>();
  const at = (code: string) => {
    let entry = counts.get(code);
    if (!entry) counts.set(code, (entry = { live: 0, approved: 0, returned: 0, withFindings: 0, withProblems: 0 }));
    return entry;
  };
  for (const row of resultRows<{ school_code: string; entered: number; approved: number }>(progress)) {
    Object.assign(at(row.school_code), { live: Number(row.entered), approved: Number(row.approved) });
  }
  for (const row of resultRows<{ school_code: string; n: number }>(findings)) {
    const entry = at(row.school_code);
    entry.withFindings = Number(row.n);
    entry.withProblems += Number(row.n);
  }
  for (const row of resultRows<{ school_code: string; n: number; with_findings: number }>(returned)) {
    const entry = at(row.school_code);
    entry.returned = Number(row.n);
    // Either returned or with findings: the returned ones that also carry findings are counted once.
    entry.withProblems += Number(row.n) - Number(row.with_findings);
  }
  return counts;
}

/**
 * Counts for every prefecture (with its counties and their schools; universities excluded) and every
 * university, for a bulletin dated `asOf`:
 *  - completion: schools whose latest package is approved; staff with status approved against the expected;
 *  - timeliness: every deadline of the plan up to `asOf` for the unit and each unit below it — a submission
 *    or review the data date, or a task marked done by hand — met when done on or before its due date;
 *  - quality: live records ever returned (a 'return' step in staff_events), with stored check findings, either.
 * The school counters, two narrow scans for quality, the packages, the unit tree and the completions.
 */
export async function loadFigures(executor: Executor, campaign: CampaignRow, asOf: string): Promise<UnitFigures[]> {
  const [unitRows, counts, facts, completions] = await Promise.all([
    executor.execute(sql`select code, name, kind, school_type, path, expected_staff from units order by code`).then((r) => resultRows<UnitRecord>(r)),
    loadSchoolCounts(executor, campaign.id),
    loadTaskFacts(executor, campaign.id, null, false),
    loadCompletions(executor, campaign.id, null),
  ]);
  const plan = planOf(campaign);

  const figures = new Map<string, UnitFigures>();
  const countyTotals = new Map<string, { name: string; prefecture: string; expected: number; approved: number }>();
  const blank = (unit: UnitRecord, group: UnitFigures['group']): UnitFigures => ({
    code: unit.code, name: unit.name, group, schools: 0, schoolsApproved: 0, expectedStaff: 0, liveStaff: 0, approvedStaff: 0,
    deadlines: 0, deadlinesMet: 0, returned: 0, withFindings: 0, withProblems: 0, slowest: [],
  });
  for (const unit of unitRows) {
    if (unit.kind === 'prefecture') figures.set(unit.code, blank(unit, 'prefecture'));
    if (unit.kind === 'school' && unit.school_type === 'higher_ed') figures.set(unit.code, blank(unit, 'university'));
    if (unit.kind === 'county') countyTotals.set(unit.code, { name: unit.name, prefecture: unit.path.split('.')[1], expected: 0, approved: 0 });
  }

  for (const unit of unitRows) {
    if (unit.kind === 'province') continue;
    const university = unit.school_type === 'higher_ed';
    const target = figures.get(university ? unit.code : unit.path.split('.')[1]);
    if (!target) continue;
    // Deadlines up to the bulletin's date, met or not.
    for (const task of plan.levels[levelOfUnit({ kind: unit.kind, schoolType: unit.school_type })]?.tasks ?? []) {
      if (!task.due || task.due > asOf) continue;
      const manual = isManual(task, observedKinds);
      if (!manual && !datedObservables.has(task.observable!)) continue;
      const doneOn = manual ? completions.get(`${unit.code}/${task.key}`)?.doneOn : observeTask(task.observable, unit.code, facts);
      target.deadlines += 1;
      if (doneOn && doneOn <= task.due) target.deadlinesMet += 1;
    }
    if (unit.kind !== 'school') continue;
    const school = counts.get(unit.code);
    const expected = unit.expected_staff ?? 0;
    target.schools += 1;
    if (facts.packages.get(unit.code)?.status === 'approved') target.schoolsApproved += 1;
    target.expectedStaff += expected;
    if (school) {
      target.liveStaff += school.live;
      target.approvedStaff += school.approved;
      target.returned += school.returned;
      target.withFindings += school.withFindings;
      target.withProblems += school.withProblems;
    }
    const county = !university ? countyTotals.get(unit.path.split('.')[2]) : undefined;
    if (county) {
      county.expected += expected;
      county.approved += school?.approved ?? 0;
    }
  }

  for (const [code, county] of countyTotals) {
    const prefecture = figures.get(county.prefecture);
    if (!prefecture) continue;
    prefecture.slowest.push({ code, name: county.name, completion: Math.round(Math.min(1, share(county.approved, county.expected)) * 10_000) / 10_000 });
  }
  for (const prefecture of figures.values()) {
    prefecture.slowest = prefecture.slowest.sort((a, b) => a.completion - b.completion || a.code.localeCompare(b.code)).slice(0, 3);
  }
  return [...figures.values()];
}
