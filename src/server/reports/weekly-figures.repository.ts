import { latestPackagesSql } from '../db/latest-packages.ts';
import { sql } from 'drizzle-orm';
import { resultRows, type Executor } from '../db/client.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import type { PackageState } from './weekly-figures.ts';

// The weekly report's reads of records, packages and plan tasks as they stood at a moment (see `weekly-figures.ts`).

type RecordCounts = { entered: number; confirmed: number; confirmedPaper: number; approved: number };

/**
 * The records of each school by state at each of `moments`, in one scan of the staff table (the levels'
 * Friday cut-offs differ by hours, so one pass serves them all).
 */
export async function recordCountsAt(executor: Executor, input: { campaignId: number; prefix: string; moments: string[]; live: boolean }) {
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

/** The schools under a path prefix (`path like prefix`), by code. */
export async function schoolsUnder(executor: Executor, prefix: string) {
  return resultRows<{ code: string; school_type: SchoolType; path: string; expected_staff: number }>(
    await executor.execute(sql`select code, school_type, path, expected_staff from units where kind = 'school' and path like ${prefix} order by code`),
  );
}

/** The counties under a path prefix, by code. */
export async function countiesUnder(executor: Executor, prefix: string) {
  return resultRows<{ code: string; name: string; path: string }>(
    await executor.execute(sql`select code, name, path from units where kind = 'county' and path like ${prefix} order by code`),
  );
}

/** The state at `asOfAt` of each unit's latest package submitted by then, under a path prefix. */
export async function packageStatesAt(executor: Executor, campaignId: number, prefix: string, asOfAt: string) {
  return resultRows<{ unit_code: string; state: PackageState }>(
    await executor.execute(sql`
        select latest.unit_code,
          case when latest.decided_at <= ${asOfAt}::timestamptz then latest.status
            when latest.approved_at <= ${asOfAt}::timestamptz then 'approved'
            else 'submitted' end as state
        from ${latestPackagesSql(campaignId, sql`p.submitted_at <= ${asOfAt}::timestamptz and p.unit_code in (select code from units where path like ${prefix})`)} latest`),
  );
}

/** The completions of `taskKeys` under a path prefix, done on or before `asOfDay` and recorded by `asOfAt`. */
export async function taskCompletionsAt(executor: Executor, input: { campaignId: number; prefix: string; taskKeys: string[]; asOfDay: string; asOfAt: string }) {
  const { campaignId, prefix, taskKeys, asOfDay, asOfAt } = input;
  return resultRows<{ unit_code: string; task_key: string; marked_by_unit_code: string | null }>(
    await executor.execute(sql`
            select t.unit_code, t.task_key, t.marked_by_unit_code from task_completions t join units u on u.code = t.unit_code
            where t.campaign_id = ${campaignId} and u.path like ${prefix}
              and t.task_key in (${sql.join(taskKeys.map((key) => sql`${key}`), sql`, `)})
              and t.done_on <= ${asOfDay}::date and t.done_at <= ${asOfAt}::timestamptz`),
  );
}
