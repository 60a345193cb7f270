import { sql, type SQL } from 'drizzle-orm';
import { resultRows, type Executor } from '../db/client.ts';
import { chinaDate } from './tasks.ts';
import { latestPackagesSql } from '../db/latest-packages.ts';

/**
 * What the system can see of a unit's plan tasks, loaded in a few grouped queries for any number of units:
 * the latest package of each unit, the units reporting to it, and each school's records by state.
 */
export type TaskFacts = {
  /** The latest package per unit, with the day it was first submitted (any version) and decided. */
  packages: Map<string, { status: string; firstSubmittedOn: string; decidedOn: string | null }>;
  /** Units that report to each unit (报送下级). */
  children: Map<string, string[]>;
  /** A school's live records: how many, how many confirmed or later, approved, and when they last changed. */
  schools: Map<string, { expected: number; live: number; confirmed: number; approved: number; enteredOn: string | null; changedOn: string | null }>;
  /** The day each unit first reported its responsible persons (责任人和联络员信息表). */
  contacts: Map<string, string>;
};

/** The observables the data answer: packages, records, and the responsible persons reported ('contacts'). */
export const observedKinds: ReadonlySet<string> = new Set(['submit', 'review', 'entered', 'confirmed', 'reviewed', 'contacts']);

/**
 * The day a task the system observes was done, null when not (yet), or undefined when the task is not
 * observable and is marked done by hand.
 *  - submit: the unit's latest package is submitted or approved (dated by its first submission);
 *  - review: every unit reporting to it has an approved latest package (dated by the last decision);
 *  - entered / confirmed / reviewed (schools): the live records reach the expected count, and all of them
 *    are confirmed by the person (or approved), or all approved; a submitted school has done all three.
 */
export function observeTask(observable: string | undefined, unitCode: string, facts: TaskFacts): string | null | undefined {
  if (!observable || !observedKinds.has(observable)) return undefined;
  const pkg = facts.packages.get(unitCode);
  const submittedOn = pkg && (pkg.status === 'submitted' || pkg.status === 'approved') ? pkg.firstSubmittedOn : null;
  switch (observable) {
    case 'submit':
      return submittedOn;
    case 'contacts':
      return facts.contacts.get(unitCode) ?? null;
    case 'review': {
      const children = facts.children.get(unitCode) ?? [];
      if (children.length === 0) return null;
      let last = '';
      for (const child of children) {
        const childPackage = facts.packages.get(child);
        if (childPackage?.status !== 'approved' || !childPackage.decidedOn) return null;
        if (childPackage.decidedOn > last) last = childPackage.decidedOn;
      }
      return last;
    }
    case 'entered':
    case 'confirmed':
    case 'reviewed': {
      const school = facts.schools.get(unitCode);
      if (!school || school.live === 0) return submittedOn;
      const complete = school.live >= school.expected;
      if (observable === 'entered') return complete ? school.enteredOn : submittedOn;
      const count = observable === 'confirmed' ? school.confirmed : school.approved;
      return complete && count === school.live ? school.changedOn : submittedOn;
    }
  }
  return undefined;
}

/** A timestamp as the driver returns it from a raw query (a Date, or its text), to its day in China. */
type RawTimestamp = Date | string | null;
const dateOf = (value: RawTimestamp): string | null => (value == null ? null : chinaDate(new Date(value)));

/**
 * Loads the facts for `unitCodes` (or for every unit when null, as the bulletin and the reminder pass do).
 * `withSchools` adds the per-school record counts, one grouped scan of the staff table.
 */
export async function loadTaskFacts(executor: Executor, campaignId: number, unitCodes: string[] | null, withSchools = true): Promise<TaskFacts> {
  const codes = unitCodes === null ? null : [...new Set(unitCodes)];
  const facts: TaskFacts = { packages: new Map(), children: new Map(), schools: new Map(), contacts: new Map() };
  if (codes && codes.length === 0) return facts;
  const codeList = (column: SQL) => (codes ? sql`and ${column} in (${sql.join(codes.map((c) => sql`${c}`), sql`, `)})` : sql``);

  const childRows = resultRows<{ code: string; parent_code: string }>(
    await executor.execute(sql`select code, parent_code from units u where parent_code is not null ${codeList(sql`u.parent_code`)}`),
  );
  for (const row of childRows) {
    const list = facts.children.get(row.parent_code) ?? [];
    list.push(row.code);
    facts.children.set(row.parent_code, list);
  }
  const packageUnits = codes ? [...new Set([...codes, ...childRows.map((row) => row.code)])] : null;
  const packageFilter = packageUnits ? sql`p.unit_code in (${sql.join(packageUnits.map((c) => sql`${c}`), sql`, `)})` : undefined;
  const packageRows = resultRows<{ unit_code: string; status: string; decided_at: RawTimestamp; first_submitted_at: RawTimestamp }>(
    await executor.execute(sql`
      select latest.unit_code, latest.status, latest.decided_at, latest.first_submitted_at
      from ${latestPackagesSql(campaignId, packageFilter)} latest`),
  );
  for (const row of packageRows) {
    facts.packages.set(row.unit_code, { status: row.status, firstSubmittedOn: dateOf(row.first_submitted_at)!, decidedOn: dateOf(row.decided_at) });
  }
  const contactRows = resultRows<{ unit_code: string; reported_at: RawTimestamp }>(
    await executor.execute(sql`select c.unit_code, c.created_at as reported_at from unit_contacts c where c.campaign_id = ${campaignId} ${codeList(sql`c.unit_code`)}`),
  );
  for (const row of contactRows) facts.contacts.set(row.unit_code, dateOf(row.reported_at)!);
  if (!withSchools) return facts;

  const schoolRows = resultRows<{ code: string; expected: number; live: number; confirmed: number; approved: number; entered_at: RawTimestamp; changed_at: RawTimestamp }>(
    await executor.execute(sql`
      select u.code, u.expected_staff as expected,
        coalesce(s.live, 0)::int as live, coalesce(s.confirmed, 0)::int as confirmed, coalesce(s.approved, 0)::int as approved,
        s.entered_at, s.changed_at
      from units u
      left join (
        select school_code, count(*) as live,
          count(*) filter (where status in ('confirmed', 'approved')) as confirmed,
          count(*) filter (where status = 'approved') as approved,
          max(created_at) as entered_at, max(updated_at) as changed_at
        from staff
        where campaign_id = ${campaignId} and deleted_at is null ${codeList(sql`school_code`)}
        group by school_code
      ) s on s.school_code = u.code
      where u.kind = 'school' ${codeList(sql`u.code`)}`),
  );
  for (const row of schoolRows) {
    facts.schools.set(row.code, {
      expected: Number(row.expected ?? 0),
      live: Number(row.live),
      confirmed: Number(row.confirmed),
      approved: Number(row.approved),
      enteredOn: dateOf(row.entered_at),
      changedOn: dateOf(row.changed_at),
    });
  }
  return facts;
}
