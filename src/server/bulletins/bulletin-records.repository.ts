import { sql } from 'drizzle-orm';
import { checkRecord } from '../../standard/index.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import { fieldKeys, type FieldKey, type RawRecord } from '../../standard/types.ts';
import { resultRows, type Executor } from '../db/client.ts';
import { columnName } from '../db/tables/common.ts';

/** One school's records as they stood at a moment. */
export type SchoolRecords = {
  /** Entered and not deleted. */
  live: number;
  /** Approved by the school (学校已审核). */
  approved: number;
  /** Reviewed: approved, or returned at some point — the records the school has decided on. */
  reviewed: number;
  /** Returned at some point (a 'return' step). */
  returned: number;
  /** With check findings (the standard's warnings) on their content then. */
  withFindings: number;
  /** Returned or with findings: each record once. */
  withProblems: number;
};

const emptyRecords = (): SchoolRecords => ({ live: 0, approved: 0, reviewed: 0, returned: 0, withFindings: 0, withProblems: 0 });

/** The steps that change a record's content; each keeps the fields it changed, `{ field: { before, after } }`. */
const contentSteps = sql`('edit', 'accept_correction')`;

/**
 * Each school's records as they stood just before `before` (the first instant not counted: for a bulletin,
 * 00:00 in China of the day after its date), rebuilt from what the system keeps with its time, as the weekly
 * report does:
 *  - a record counts when it was created before the moment and not deleted by then;
 *  - its state then is the `from_state` of its first step at or after the moment (staff_events), or its state
 *    now when nothing has happened to it since (records seeded in a state carry no steps);
 *  - returned: a 'return' step before the moment; reviewed: approved then, or returned before;
 *  - check findings are stored with each write of the content, so a record whose content has not changed since
 *    carries its findings of then; the content of one changed since (an edit, an import, an accepted
 *    correction) is rebuilt by undoing those changes, newest first, and checked again on the bulletin's day.
 * One scan of the records, one of the steps (those at or after the moment, and the returns), and the few
 * records changed since.
 */
export async function schoolRecordsAt(executor: Executor, campaignId: number, before: Date): Promise<Map<string, SchoolRecords>> {
  const moment = before.toISOString();
  const alive = sql`s.campaign_id = ${campaignId} and s.created_at < ${moment}::timestamptz and (s.deleted_at is null or s.deleted_at >= ${moment}::timestamptz)`;
  const [counted, rewritten] = await Promise.all([
    executor.execute(sql`
      with steps as (
        select staff_id,
          min(id) filter (where at >= ${moment}::timestamptz) as first_after,
          bool_or(event = 'return' and at < ${moment}::timestamptz) as returned,
          bool_or(event in ${contentSteps} and at >= ${moment}::timestamptz) as rewritten
        from staff_events
        where at >= ${moment}::timestamptz or event = 'return'
        group by staff_id
      ), records as (
        select s.school_code, s.findings <> '[]'::jsonb as has_findings,
          coalesce(t.returned, false) as returned, coalesce(t.rewritten, false) as rewritten,
          case when t.first_after is null then s.status else coalesce(e.from_state, 'draft') end as state
        from staff s
        left join steps t on t.staff_id = s.id
        left join staff_events e on e.id = t.first_after
        where ${alive}
      )
      select school_code,
        count(*)::int as live,
        count(*) filter (where state = 'approved')::int as approved,
        count(*) filter (where state = 'approved' or returned)::int as reviewed,
        count(*) filter (where returned)::int as returned,
        count(*) filter (where not rewritten and has_findings)::int as with_findings,
        count(*) filter (where not rewritten and (has_findings or returned))::int as with_problems
      from records
      group by school_code`),
    // Driven from the few content steps since the moment, each record looked up by its key.
    executor.execute(sql`
      with changed as (
        select staff_id, jsonb_agg(changes order by id desc) as changes
        from staff_events
        where event in ${contentSteps} and at >= ${moment}::timestamptz
        group by staff_id
      )
      select s.school_code, u.school_type, to_jsonb(s) as record, c.changes,
        exists (select 1 from staff_events r where r.staff_id = s.id and r.event = 'return' and r.at < ${moment}::timestamptz) as returned
      from changed c
      join staff s on s.id = c.staff_id
      join units u on u.code = s.school_code
      where ${alive}`),
  ]);

  const schools = new Map<string, SchoolRecords>();
  const at = (code: string) => {
    let entry = schools.get(code);
    if (!entry) schools.set(code, (entry = emptyRecords()));
    return entry;
  };
  for (const row of resultRows<Record<string, string | number>>(counted)) {
    const entry = at(String(row.school_code));
    entry.live = Number(row.live);
    entry.approved = Number(row.approved);
    entry.reviewed = Number(row.reviewed);
    entry.returned = Number(row.returned);
    entry.withFindings = Number(row.with_findings);
    entry.withProblems = Number(row.with_problems);
  }
  // Checked on the bulletin's day (ages are counted on it): the last instant before the moment.
  const checkDay = new Date(before.getTime() - 1);
  type Rewritten = { school_code: string; school_type: SchoolType; record: Record<string, unknown>; returned: boolean; changes: Record<string, { before?: unknown }>[] | null };
  for (const row of resultRows<Rewritten>(rewritten)) {
    const findings = findingsOfContentThen(row.record, row.changes ?? [], row.school_type, checkDay);
    const entry = at(row.school_code);
    if (findings) entry.withFindings += 1;
    if (findings || row.returned) entry.withProblems += 1;
  }
  return schools;
}

const fieldKeySet: ReadonlySet<string> = new Set(fieldKeys);
const isFieldKey = (key: string): key is FieldKey => fieldKeySet.has(key);

/**
 * Whether a record's content as it stood before the given changes (newest first) had check findings: its
 * stored fields (snake_case, as `to_jsonb` gives them) with each change undone, checked against the standard.
 */
export function findingsOfContentThen(record: Record<string, unknown>, changes: Record<string, { before?: unknown }>[], schoolType: SchoolType, day: Date): boolean {
  const values: RawRecord = {};
  for (const key of fieldKeys) {
    const value = record[columnName(key)];
    values[key] = value == null ? null : String(value);
  }
  for (const change of changes) {
    for (const [key, diff] of Object.entries(change ?? {})) {
      if (isFieldKey(key) && diff && typeof diff === 'object' && 'before' in diff) {
        values[key] = diff.before == null ? null : String(diff.before);
      }
    }
  }
  return checkRecord(values, { schoolType, today: day }).findings.length > 0;
}
