import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { resultRows, type Executor } from '../db/client.ts';
import { progressDays, units } from '../db/schema.ts';
import type { UnitRow } from '../org/units.repository.ts';
import { addDays, cumulate, type DayCounts, type Progress } from './progress.ts';
import { latestPackagesSql } from '../db/latest-packages.ts';

/** The China calendar day of a timestamp column, in SQL (independent of the session's time zone). */
const chinaDayOf = (column: string) => sql.raw(`((${column} at time zone 'UTC') + interval '8 hours')::date`);

type GroupRow = {
  child: string;
  schools: number | string;
  started: number | string;
  submitted: number | string;
  schools_approved: number | string;
  expected: number | string | null;
  entered: number | string | null;
  shortfall: number | string | null;
  confirmed: number | string | null;
  confirmed_paper: number | string | null;
  approved: number | string | null;
};

/**
 * Progress of every open school in `unit`'s subtree (a closed or merged school counts nowhere), rolled up to
 * the unit's children in one query: the per-school counters (progress_school_counts, kept by triggers on
 * staff) joined to the units and each school's latest package. Keys are the child's code (its segment of the
 * path); a school unit answers under ''.
 */
export async function progressByChild(executor: Executor, campaignId: number, unit: UnitRow): Promise<Map<string, Progress>> {
  const segment = unit.depth + 2;
  const subtree = `${unit.path}%`;
  // A county's few hundred schools look their counters up one by one; larger subtrees join them all at once.
  const counts =
    unit.kind === 'county' || unit.kind === 'school'
      ? sql`left join lateral (select entered, confirmed, confirmed_paper, approved from progress_school_counts pc where pc.campaign_id = ${campaignId} and pc.school_code = u.code limit 1) c on true`
      : sql`left join progress_school_counts c on c.campaign_id = ${campaignId} and c.school_code = u.code`;
  const result = await executor.execute(sql`
    select split_part(u.path, '.', ${segment}::int) as child,
      count(*) as schools,
      count(*) filter (where c.entered > 0) as started,
      count(*) filter (where latest.status in ('submitted', 'approved')) as submitted,
      count(*) filter (where latest.status = 'approved') as schools_approved,
      sum(u.expected_staff) as expected,
      sum(c.entered) as entered,
      sum(greatest(coalesce(u.expected_staff, 0) - coalesce(c.entered, 0), 0)) as shortfall,
      sum(c.confirmed) as confirmed,
      sum(c.confirmed_paper) as confirmed_paper,
      sum(c.approved) as approved
    from units u
    ${counts}
    left join ${latestPackagesSql(campaignId, sql`p.unit_code in (select code from units where kind = 'school' and path like ${subtree} and closed_on is null)`)} latest
      on latest.unit_code = u.code
    where u.kind = 'school' and u.path like ${subtree} and u.closed_on is null
    group by 1`);
  return new Map(
    resultRows<GroupRow>(result).map((row) => [
      row.child,
      {
        schools: { expected: Number(row.schools), started: Number(row.started), submitted: Number(row.submitted), approved: Number(row.schools_approved) },
        staff: {
          expected: Number(row.expected ?? 0),
          entered: Number(row.entered ?? 0),
          shortfall: Number(row.shortfall ?? 0),
          confirmed: Number(row.confirmed ?? 0),
          confirmedPhone: Number(row.confirmed ?? 0) - Number(row.confirmed_paper ?? 0),
          confirmedPaper: Number(row.confirmed_paper ?? 0),
          approved: Number(row.approved ?? 0),
        },
      },
    ]),
  );
}

/** The open units that report to `unit` (prefectures and universities under the province; counties; schools). */
export function childUnits(executor: Executor, unit: UnitRow) {
  return executor
    .select({ code: units.code, name: units.name, kind: units.kind, schoolType: units.schoolType, expectedStaff: units.expectedStaff })
    .from(units)
    .where(and(eq(units.parentCode, unit.code), isNull(units.closedOn)))
    .orderBy(asc(units.code));
}

type ChangeRow = { unit_code: string; day: string; entered: number | string; confirmed: number | string; approved: number | string };

/**
 * Changes per China day to the live, confirmed and approved records, from the records and their events
 * (staff_events), through `throughDay`: of one school, or of every school keyed by the unit it reports to.
 * - a record counts as entered on the day it was created and stops on the day it was deleted, or on the day
 *   its school closed (a closed school leaves every figure, as in `progressByChild`);
 * - each event moves it in or out of confirmed/approved on its day;
 * - its state at creation is its current state minus all its moves (records loaded without events count in
 *   their current state from their creation), so the running totals end at today's live figures.
 */
export async function dailyChanges(executor: Executor, campaignId: number, throughDay: string, scope: { schoolCode: string } | 'every school') {
  const oneSchool = scope !== 'every school';
  // The day a record leaves: its deletion's, or its school's closing day if that came first (a record entered
  // at a school already closed leaves on the day it came).
  const leftDay = (closedOn: SQL) =>
    sql`case when ${closedOn} is not null and (s.deleted_at is null or ${closedOn} < ${chinaDayOf('s.deleted_at')}) then greatest(${closedOn}, ${chinaDayOf('s.created_at')}) else ${chinaDayOf('s.deleted_at')} end`;
  const records = oneSchool
    ? // Live and deleted records apart, so that each half is read through its own partial index.
      sql`select s.id, s.school_code as unit_code, s.status, ${chinaDayOf('s.created_at')} as created_day, ${leftDay(sql`(select closed_on from units where code = ${scope.schoolCode})`)} as deleted_day
        from staff s where s.campaign_id = ${campaignId} and s.school_code = ${scope.schoolCode} and s.deleted_at is null
        union all
        select s.id, s.school_code, s.status, ${chinaDayOf('s.created_at')}, ${leftDay(sql`(select closed_on from units where code = ${scope.schoolCode})`)}
        from staff s where s.campaign_id = ${campaignId} and s.school_code = ${scope.schoolCode} and s.deleted_at is not null`
    : sql`select s.id, u.parent_code as unit_code, s.status, ${chinaDayOf('s.created_at')} as created_day, ${leftDay(sql`u.closed_on`)} as deleted_day
        from staff s join units u on u.code = s.school_code where s.campaign_id = ${campaignId}`;
  // One school's few hundred records look up their events by index; every school's are joined in bulk.
  const events = oneSchool
    ? sql`records r cross join lateral (select * from staff_events e where e.staff_id = r.id) e`
    : sql`staff_events e join records r on r.id = e.staff_id`;
  const result = await executor.execute(sql`
    with records as materialized (${records}),
    moves as (
      select r.unit_code, r.created_day, ${chinaDayOf('e.at')} as day,
        (case when e.to_state in ('confirmed', 'approved') then 1 else 0 end) - (case when e.from_state in ('confirmed', 'approved') then 1 else 0 end) as confirmed,
        (case when e.to_state = 'approved' then 1 else 0 end) - (case when e.from_state = 'approved' then 1 else 0 end) as approved
      from ${events}
      where e.from_state is not null and e.from_state <> e.to_state
    ), changes as (
      select unit_code, created_day as day, 1 as entered,
        case when status in ('confirmed', 'approved') then 1 else 0 end as confirmed,
        case when status = 'approved' then 1 else 0 end as approved
      from records
      union all
      select unit_code, deleted_day, -1, case when status in ('confirmed', 'approved') then -1 else 0 end, case when status = 'approved' then -1 else 0 end
      from records where deleted_day is not null
      union all
      select unit_code, day, 0, confirmed, approved from moves
      union all
      select unit_code, created_day, 0, -confirmed, -approved from moves
    )
    select unit_code, day::text as day, sum(entered) as entered, sum(confirmed) as confirmed, sum(approved) as approved
    from changes where day <= ${throughDay}::date
    group by 1, 2`);
  return resultRows<ChangeRow>(result).map((row) => ({
    unitCode: row.unit_code,
    day: String(row.day).slice(0, 10),
    entered: Number(row.entered),
    confirmed: Number(row.confirmed),
    approved: Number(row.approved),
  }));
}

/** The last day stored for a unit (for area units the province's rows mark a filled day). */
async function lastStoredDay(executor: Executor, campaignId: number, unitCode: string) {
  const [row] = await executor
    .select({ day: sql<string | null>`max(${progressDays.day})::text` })
    .from(progressDays)
    .where(and(eq(progressDays.campaignId, campaignId), eq(progressDays.unitCode, unitCode)));
  return row?.day ?? null;
}

/** The days from `firstDay` through `throughDay` after `stored`. */
function daysAfter(stored: string | null, firstDay: string, throughDay: string) {
  const days: string[] = [];
  for (let day = firstDay; day <= throughDay; day = addDays(day)) if (stored === null || day > stored) days.push(day);
  return days;
}

/**
 * Stores one school's end-of-day figures for the days from `firstDay` through `throughDay` not stored yet,
 * when its trend is first asked for that day (its deleted records are found only by scanning staff).
 */
export async function fillSchoolDays(executor: Executor, campaignId: number, schoolCode: string, firstDay: string, throughDay: string) {
  if (throughDay < firstDay) return;
  const stored = await lastStoredDay(executor, campaignId, schoolCode);
  if (stored !== null && stored >= throughDay) return;
  const changes = await dailyChanges(executor, campaignId, throughDay, { schoolCode });
  const rows = cumulate(daysAfter(stored, firstDay, throughDay), changes).map((counts) => ({ campaignId, unitCode: schoolCode, ...counts }));
  if (rows.length > 0) await executor.insert(progressDays).values(rows).onConflictDoNothing();
}

/**
 * Stores the end-of-day figures of every area unit (the province, prefectures and counties) for the campaign's
 * days from `firstDay` through `throughDay` not stored yet, in one transaction. Past days do not change, so
 * this runs once a day (the first trend asked for after midnight in China).
 */
export async function fillDays(executor: Executor, campaignId: number, firstDay: string, throughDay: string) {
  if (throughDay < firstDay) return;
  const [province] = await executor.select({ code: units.code }).from(units).where(eq(units.kind, 'province')).limit(1);
  if (!province) return;
  const before = await lastStoredDay(executor, campaignId, province.code);
  if (before !== null && before >= throughDay) return;
  // One request computes the days; others asking at the same moment wait for it and find them stored.
  await executor.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${fillLockKey}, ${campaignId})`);
    const stored = await lastStoredDay(tx, campaignId, province.code);
    if (stored !== null && stored >= throughDay) return;
    await storeAreaDays(tx, campaignId, daysAfter(stored, firstDay, throughDay), throughDay);
  });
}

/** Lock key (with the campaign id) of the daily fill. */
const fillLockKey = 7_341_001;

async function storeAreaDays(executor: Executor, campaignId: number, days: string[], throughDay: string) {
  const areaUnits = await executor.select({ code: units.code, path: units.path }).from(units).where(sql`${units.kind} <> 'school'`);
  const ancestors = new Map(areaUnits.map((unit) => [unit.code, unit.path.split('.').filter(Boolean)]));
  const changesByUnit = new Map<string, { day: string; entered: number; confirmed: number; approved: number }[]>();
  for (const change of await dailyChanges(executor, campaignId, throughDay, 'every school')) {
    for (const code of ancestors.get(change.unitCode) ?? []) {
      const list = changesByUnit.get(code) ?? [];
      list.push(change);
      changesByUnit.set(code, list);
    }
  }
  const rows = areaUnits.flatMap(({ code }) =>
    cumulate(days, changesByUnit.get(code) ?? []).map((counts) => ({ campaignId, unitCode: code, ...counts })),
  );
  for (let start = 0; start < rows.length; start += 2000) {
    await executor.insert(progressDays).values(rows.slice(start, start + 2000)).onConflictDoNothing();
  }
}

/** The stored end-of-day figures of one unit, oldest first. */
export async function storedDays(executor: Executor, campaignId: number, unitCode: string): Promise<Map<string, DayCounts>> {
  const rows = await executor
    .select({ day: progressDays.day, entered: progressDays.entered, confirmed: progressDays.confirmed, approved: progressDays.approved })
    .from(progressDays)
    .where(and(eq(progressDays.campaignId, campaignId), eq(progressDays.unitCode, unitCode)))
    .orderBy(asc(progressDays.day));
  return new Map(rows.map(({ day, ...counts }) => [day, counts]));
}
