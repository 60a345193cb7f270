import { taskKeyByRole, type CampaignPlan } from '../../standard/campaign.ts';
import { chinaDate } from '../campaign/tasks.ts';
import type { Executor } from '../db/client.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import type { UnitKind } from '../../contract/unit-tree.ts';
import { reportsToProvince } from '../../contract/units.ts';
import type { AreaFigures, SchoolTypeFigures, WeeklySnapshot } from '../../contract/reports.schema.ts';
import { countiesUnder, packageStatesAt, recordCountsAt, schoolsUnder, taskCompletionsAt } from './weekly-figures.repository.ts';

/**
 * The figures of the weekly report, as the data stood at a moment (`asOf`), read from what the system keeps
 * with its time: a record counts as entered when it was created by then and not yet deleted; its state is
 * the `from_state` of its first event after that moment (`staff_events`), or its current state when nothing
 * happened to it since (every change of state writes an event; records imported or seeded in a state
 * carry none, and their state holds until their first event).
 * How a record confirmed or approved at a moment was confirmed: its last confirming event by then —
 * `confirm` or `accept_correction` by the person's phone, `confirm_on_paper` on paper registered by the school;
 * a record loaded confirmed with no such event reads its `confirmed_via` (phone when it has none).
 * A package's state at a moment: submitted once `submitted_at` has passed, decided once `decided_at` has
 * (a reopen rewrites `decided_at`; `approved_at` keeps the approval, so a package approved and later reopened
 * reads as approved in between).
 * Plan tasks done by hand (实施方案、培训) come from `task_completions`, counted when both the day they
 * were done and the moment they were recorded precede the cut-off.
 */
export type PackageState = 'submitted' | 'approved' | 'returned';

export type SchoolFact = {
  code: string;
  schoolType: SchoolType;
  path: string;
  expectedStaff: number;
  entered: number;
  confirmed: number;
  /** Of `confirmed`: by the person on the phone, and registered on paper by the school. */
  confirmedPhone: number;
  confirmedPaper: number;
  approved: number;
  trained: boolean;
  /** Its 培训 was marked by the unit it reports to on its behalf (代为标记). */
  trainedOnBehalf: boolean;
  packageState: PackageState | null;
};

export type CountyFact = { code: string; name: string; path: string; planDone: boolean; trainingDone: boolean; packageState: PackageState | null };

export type Facts = { schools: SchoolFact[]; counties: CountyFact[] };

export type { AreaFigures, SchoolTypeFigures, WeeklySnapshot };

/**
 * The plan task keys issue 1 reads: the county's 实施方案 and 培训, the schools' 培训 — found by the role the
 * plan gives them, never by their words (the province may reword a task).
 */
export function deploymentTaskKeys(plan: CampaignPlan) {
  return {
    countyPlan: taskKeyByRole(plan, 'county', 'implementation_plan'),
    countyTraining: taskKeyByRole(plan, 'county', 'training'),
    schoolTraining: taskKeyByRole(plan, 'school', 'training'),
    higherEdTraining: taskKeyByRole(plan, 'higher_ed', 'training'),
  };
}

/**
 * Loads the facts of every school and county under `scopePath` (a unit's path) as of `asOf`. `live` skips
 * the event history: the current states are the states now.
 */
export async function loadFacts(executor: Executor, input: { campaignId: number; plan: CampaignPlan; scopePath: string; asOf: Date; live: boolean }): Promise<Facts> {
  const [facts] = await loadFactsAt(executor, { ...input, moments: [input.asOf] });
  return facts;
}

/** The facts as of each of `moments`, sharing one scan of the records. */
export async function loadFactsAt(executor: Executor, input: { campaignId: number; plan: CampaignPlan; scopePath: string; moments: Date[]; live: boolean }): Promise<Facts[]> {
  const { campaignId } = input;
  const prefix = `${input.scopePath}%`;
  const keys = deploymentTaskKeys(input.plan);
  const taskKeys = [keys.countyPlan, keys.countyTraining, keys.schoolTraining, keys.higherEdTraining].filter((key): key is string => key !== null);
  const countsAt = await recordCountsAt(executor, { campaignId, prefix, moments: input.moments.map((moment) => moment.toISOString()), live: input.live });
  const schoolRows = await schoolsUnder(executor, prefix);
  const countyRows = await countiesUnder(executor, prefix);

  const result: Facts[] = [];
  for (const [index, asOf] of input.moments.entries()) {
    const counts = countsAt[index];
    const asOfDay = chinaDate(asOf);
    const asOfAt = asOf.toISOString();
    const packageRows = await packageStatesAt(executor, campaignId, prefix, asOfAt);
    const packageState = new Map(packageRows.map((row) => [row.unit_code, row.state]));
    const doneRows = taskKeys.length ? await taskCompletionsAt(executor, { campaignId, prefix, taskKeys, asOfDay, asOfAt }) : [];
    const done = new Set(doneRows.map((row) => `${row.unit_code}:${row.task_key}`));
    const onBehalf = new Set(doneRows.filter((row) => row.marked_by_unit_code).map((row) => `${row.unit_code}:${row.task_key}`));
    result.push({
      schools: schoolRows.map((row) => ({
        code: row.code,
        schoolType: row.school_type,
        path: row.path,
        expectedStaff: Number(row.expected_staff ?? 0),
        entered: counts.get(row.code)?.entered ?? 0,
        confirmed: counts.get(row.code)?.confirmed ?? 0,
        confirmedPhone: (counts.get(row.code)?.confirmed ?? 0) - (counts.get(row.code)?.confirmedPaper ?? 0),
        confirmedPaper: counts.get(row.code)?.confirmedPaper ?? 0,
        approved: counts.get(row.code)?.approved ?? 0,
        trained: done.has(`${row.code}:${reportsToProvince(row.school_type) ? keys.higherEdTraining : keys.schoolTraining}`),
        trainedOnBehalf: onBehalf.has(`${row.code}:${reportsToProvince(row.school_type) ? keys.higherEdTraining : keys.schoolTraining}`),
        packageState: packageState.get(row.code) ?? null,
      })),
      counties: countyRows.map((row) => ({
        code: row.code,
        name: row.name,
        path: row.path,
        planDone: done.has(`${row.code}:${keys.countyPlan}`),
        trainingDone: done.has(`${row.code}:${keys.countyTraining}`),
        packageState: packageState.get(row.code) ?? null,
      })),
    });
  }
  return result;
}

const emptyType = (schoolType: SchoolType): SchoolTypeFigures => ({
  schoolType,
  schools: 0,
  trained: 0,
  trainedOnBehalf: 0,
  started: 0,
  submitted: 0,
  approved: 0,
  staffExpected: 0,
  staffEntered: 0,
  staffConfirmed: 0,
  staffConfirmedPhone: 0,
  staffConfirmedPaper: 0,
  staffApproved: 0,
});

/** Adds up the facts of the given schools and counties (pure). `types` fixes the lines shown, in order. */
export function sumFigures(schools: SchoolFact[], counties: CountyFact[], types: readonly SchoolType[]): AreaFigures {
  const lines = new Map(types.map((type) => [type, emptyType(type)]));
  for (const school of schools) {
    const line = lines.get(school.schoolType);
    if (!line) continue;
    line.schools += 1;
    if (school.trained) line.trained += 1;
    if (school.trained && school.trainedOnBehalf) line.trainedOnBehalf += 1;
    if (school.entered > 0) line.started += 1;
    if (school.packageState === 'submitted' || school.packageState === 'approved') line.submitted += 1;
    if (school.packageState === 'approved') line.approved += 1;
    line.staffExpected += school.expectedStaff;
    line.staffEntered += school.entered;
    line.staffConfirmed += school.confirmed;
    line.staffConfirmedPhone += school.confirmedPhone;
    line.staffConfirmedPaper += school.confirmedPaper;
    line.staffApproved += school.approved;
  }
  return {
    counties: {
      total: counties.length,
      planDone: counties.filter((county) => county.planDone).length,
      trainingDone: counties.filter((county) => county.trainingDone).length,
      submitted: counties.filter((county) => county.packageState === 'submitted' || county.packageState === 'approved').length,
      approved: counties.filter((county) => county.packageState === 'approved').length,
    },
    schoolTypes: [...lines.values()],
  };
}

export const schoolTypesBelowProvince: readonly SchoolType[] = ['k12', 'vocational', 'special'];
export const allSchoolTypes: readonly SchoolType[] = ['k12', 'vocational', 'special', 'higher_ed'];

/**
 * Builds the report's figures for `unit` from facts loaded for it or for any area above it (the province's
 * facts serve every prefecture and county of one issue). Universities report to the province, so only the
 * province's report counts them.
 */
export function buildSnapshot(facts: Facts, unit: { code: string; name: string; kind: UnitKind; path: string }, children: { code: string; name: string; path: string }[], asOf: Date, live: boolean): WeeklySnapshot {
  const types = unit.kind === 'province' ? allSchoolTypes : schoolTypesBelowProvince;
  const inside = (path: string) => path.startsWith(unit.path);
  const schools = facts.schools.filter((school) => inside(school.path) && types.includes(school.schoolType));
  const counties = facts.counties.filter((county) => inside(county.path));
  const rows = unit.kind === 'county'
    ? []
    : children.map((child) => ({
        code: child.code,
        name: child.name,
        figures: sumFigures(
          schools.filter((school) => school.path.startsWith(child.path) && !reportsToProvince(school.schoolType)),
          counties.filter((county) => county.path.startsWith(child.path)),
          schoolTypesBelowProvince,
        ),
      }));
  return {
    asOf: asOf.toISOString(),
    live,
    unit: { code: unit.code, name: unit.name, kind: unit.kind },
    subunitCount: unit.kind === 'county' ? schools.length : children.length,
    totals: sumFigures(schools, counties, types),
    rows,
  };
}
