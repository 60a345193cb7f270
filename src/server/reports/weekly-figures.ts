import { sql } from 'drizzle-orm';
import { taskKeyByRole, type CampaignPlan } from '../../standard/campaign.ts';
import { chinaDate } from '../campaign/tasks.ts';
import { resultRows, type Executor } from '../db/client.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import type { UnitKind } from '../../contract/unit-tree.ts';
import { latestPackagesSql } from '../db/latest-packages.ts';
import { reportsToProvince } from '../../contract/units.ts';

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

type RecordCounts = { entered: number; confirmed: number; confirmedPaper: number; approved: number };

/**
 * The records of each school by state at each of `moments`, in one scan of the staff table (the levels'
 * Friday cut-offs differ by hours, so one pass serves them all).
 */
async function recordCountsAt(executor: Executor, input: { campaignId: number; prefix: string; moments: string[]; live: boolean }) {
  const { moments } = input;
  const latest = moments.reduce((a, b) => (a > b ? a : b));
  const earliest = moments.reduce((a, b) => (a < b ? a : b));
  // A record's state changes only with an event, so with no event after a cut-off its state then is its
  // state now; otherwise it is the `from_state` of its first event after the cut-off. How it was confirmed
  // then is the kind of its last confirming event by the cut-off (p: paper, h: phone, the later wins). One
  // scan of the events serves both. Live: the states and kinds now.
  const confirming = sql`('confirm', 'accept_correction', 'confirm_on_paper')`;
  const changed = input.live
    ? sql``
    : sql`left join (
        select first_after.staff_id,
          ${sql.join(moments.map((_, k) => sql`case when first_after.${sql.raw(`i${k}`)} is null then null else coalesce(${sql.raw(`e${k}`)}.from_state, 'draft') end as ${sql.raw(`s${k}`)},
            case when first_after.${sql.raw(`p${k}`)} > coalesce(first_after.${sql.raw(`h${k}`)}, 0) then 'paper' when first_after.${sql.raw(`h${k}`)} is not null then 'phone' end as ${sql.raw(`v${k}`)}`), sql`, `)}
        from (
          select staff_id, ${sql.join(moments.map((moment, k) => sql`min(id) filter (where at > ${moment}::timestamptz) as ${sql.raw(`i${k}`)},
            max(id) filter (where at <= ${moment}::timestamptz and event = 'confirm_on_paper') as ${sql.raw(`p${k}`)},
            max(id) filter (where at <= ${moment}::timestamptz and event in ('confirm', 'accept_correction')) as ${sql.raw(`h${k}`)}`), sql`, `)}
          from staff_events where at > ${earliest}::timestamptz or event in ${confirming} group by staff_id
        ) first_after
        ${sql.join(moments.map((_, k) => sql`left join staff_events ${sql.raw(`e${k}`)} on ${sql.raw(`e${k}`)}.id = first_after.${sql.raw(`i${k}`)}`), sql` `)}
      ) changed on changed.staff_id = s.id`;
  const columns = moments.map((moment, k) => {
    const alive = sql`s.created_at <= ${moment}::timestamptz and (s.deleted_at is null or s.deleted_at > ${moment}::timestamptz)`;
    const state = input.live ? sql`s.status` : sql`coalesce(changed.${sql.raw(`s${k}`)}, s.status)`;
    const via = input.live ? sql`s.confirmed_via` : sql`coalesce(changed.${sql.raw(`v${k}`)}, s.confirmed_via)`;
    return sql`count(*) filter (where ${alive})::int as ${sql.raw(`entered${k}`)},
      count(*) filter (where ${alive} and ${state} in ('confirmed', 'approved'))::int as ${sql.raw(`confirmed${k}`)},
      count(*) filter (where ${alive} and ${state} in ('confirmed', 'approved') and ${via} = 'paper')::int as ${sql.raw(`paper${k}`)},
      count(*) filter (where ${alive} and ${state} = 'approved')::int as ${sql.raw(`approved${k}`)}`;
  });
  const rows = resultRows<Record<string, string | number>>(
    await executor.execute(sql`
      select s.school_code, ${sql.join(columns, sql`, `)}
      from staff s
      join units u on u.code = s.school_code and u.path like ${input.prefix}
      ${changed}
      where s.campaign_id = ${input.campaignId} and s.created_at <= ${latest}::timestamptz
      group by s.school_code`),
  );
  return moments.map((_, k) => new Map<string, RecordCounts>(rows.map((row) => [
    String(row.school_code),
    { entered: Number(row[`entered${k}`]), confirmed: Number(row[`confirmed${k}`]), confirmedPaper: Number(row[`paper${k}`]), approved: Number(row[`approved${k}`]) },
  ])));
}

/** The facts as of each of `moments`, sharing one scan of the records. */
export async function loadFactsAt(executor: Executor, input: { campaignId: number; plan: CampaignPlan; scopePath: string; moments: Date[]; live: boolean }): Promise<Facts[]> {
  const { campaignId } = input;
  const prefix = `${input.scopePath}%`;
  const keys = deploymentTaskKeys(input.plan);
  const taskKeys = [keys.countyPlan, keys.countyTraining, keys.schoolTraining, keys.higherEdTraining].filter((key): key is string => key !== null);
  const countsAt = await recordCountsAt(executor, { campaignId, prefix, moments: input.moments.map((moment) => moment.toISOString()), live: input.live });
  const schoolRows = resultRows<{ code: string; school_type: SchoolType; path: string; expected_staff: number }>(
    await executor.execute(sql`select code, school_type, path, expected_staff from units where kind = 'school' and path like ${prefix} order by code`),
  );
  const countyRows = resultRows<{ code: string; name: string; path: string }>(
    await executor.execute(sql`select code, name, path from units where kind = 'county' and path like ${prefix} order by code`),
  );

  const result: Facts[] = [];
  for (const [index, asOf] of input.moments.entries()) {
    const counts = countsAt[index];
    const asOfDay = chinaDate(asOf);
    const asOfAt = asOf.toISOString();
    const packageRows = resultRows<{ unit_code: string; state: PackageState }>(
      await executor.execute(sql`
        select latest.unit_code,
          case when latest.decided_at <= ${asOfAt}::timestamptz then latest.status
            when latest.approved_at <= ${asOfAt}::timestamptz then 'approved'
            else 'submitted' end as state
        from ${latestPackagesSql(campaignId, sql`p.submitted_at <= ${asOfAt}::timestamptz and p.unit_code in (select code from units where path like ${prefix})`)} latest`),
    );
    const packageState = new Map(packageRows.map((row) => [row.unit_code, row.state]));
    const doneRows = taskKeys.length
      ? resultRows<{ unit_code: string; task_key: string; marked_by_unit_code: string | null }>(
          await executor.execute(sql`
            select t.unit_code, t.task_key, t.marked_by_unit_code from task_completions t join units u on u.code = t.unit_code
            where t.campaign_id = ${campaignId} and u.path like ${prefix}
              and t.task_key in (${sql.join(taskKeys.map((key) => sql`${key}`), sql`, `)})
              and t.done_on <= ${asOfDay}::date and t.done_at <= ${asOfAt}::timestamptz`),
        )
      : [];
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

/** One school type's line of issues 2 and 3 (各类学校教职工数据与报送情况). */
export type SchoolTypeFigures = {
  schoolType: SchoolType;
  schools: number;
  /** Schools that recorded their 培训 as done. */
  trained: number;
  /** Of `trained`: schools whose 培训 the unit they report to marked on their behalf (代为标记). */
  trainedOnBehalf: number;
  /** Schools with at least one record. */
  started: number;
  /** Schools whose package is with the reporting unit or approved by it. */
  submitted: number;
  /** Schools whose package the reporting unit approved. */
  approved: number;
  staffExpected: number;
  staffEntered: number;
  staffConfirmed: number;
  /** Of `staffConfirmed`: by the person on the phone (本人手机确认), and on paper registered by the school. */
  staffConfirmedPhone: number;
  staffConfirmedPaper: number;
  staffApproved: number;
};

/** The figures of one area (the report's unit, or one of the units below it). */
export type AreaFigures = {
  counties: { total: number; planDone: number; trainingDone: number; submitted: number; approved: number };
  schoolTypes: SchoolTypeFigures[];
};

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

export type WeeklySnapshot = {
  /** The moment the figures describe. */
  asOf: string;
  live: boolean;
  unit: { code: string; name: string; kind: UnitKind };
  /** 所辖区县数 (a prefecture), 所辖学校数 (a county), 所辖市州数 (the province). */
  subunitCount: number;
  totals: AreaFigures;
  /** The units below, one line each: a prefecture's counties, the province's prefectures; none for a county. */
  rows: { code: string; name: string; figures: AreaFigures }[];
};

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
