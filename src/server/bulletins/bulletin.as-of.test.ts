import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordState } from '../../contract/record-states.ts';
import type { HistoryEvent } from '../../contract/staff.schema.ts';
import type { PackageStatus } from '../../contract/package-states.ts';
import { resultRows } from '../db/client.ts';
import { campaigns, packages, staff, staffEvents, taskCompletions, unitContacts, units } from '../db/schema.ts';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';
import { addDays, chinaDate } from '../campaign/tasks.ts';
import type { CampaignRow } from '../campaign/campaign.service.ts';
import type { BulletinRow } from './bulletin.figures.ts';
import { endOfChinaDay } from './bulletin.repository.ts';

/**
 * A bulletin dated in the past counts the data as they stood at the end of that day (China time), rebuilt
 * from the history: a week of activity is scripted with explicit times around the day D (three days ago),
 * and each figure of the bulletin dated D is compared with a direct count of the state at that moment.
 */
let t: TestApp;
let campaign: CampaignRow;
let province: TestClient;
const today = chinaDate(new Date());
const D = addDays(today, -3);
/** An instant on a China day, e.g. at(D, '23:30'); `at(D, 1, '00:10')` is the next day. */
const at = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`);
const day = (offset: number) => addDays(D, offset);

const S1 = '2430302001';
const S2 = '2430302002';
const S3 = '2430302003';
const S4 = '2430304001';
const U1 = '4430302001';
const U2 = '4430302002';
const U3 = '4430304003';
let serial = 0;

type Step = { event: HistoryEvent; to: RecordState; at: Date; changes?: unknown };

/** A record whose whole life is given as steps (the first one its creation), with its state now the last step's. */
async function record(schoolCode: string, steps: Step[], extra: { deletedAt?: Date; findings?: unknown[]; values?: Record<string, string> } = {}) {
  serial += 1;
  const db = t.database.db;
  const [row] = await db
    .insert(staff)
    .values({
      campaignId: campaign.id, schoolCode, status: steps.at(-1)!.to, findings: extra.findings ?? [], ...validStaffValues(serial), ...extra.values,
      createdAt: steps[0].at, updatedAt: steps.at(-1)!.at, deletedAt: extra.deletedAt ?? null,
    })
    .returning();
  let from: RecordState | null = null;
  for (const step of steps) {
    await db.insert(staffEvents).values({ staffId: row.id, event: step.event, fromState: from, toState: step.to, actorKind: 'school', at: step.at, changes: step.changes ?? null, reason: step.event === 'return' ? '信息有误' : null });
    from = step.to;
  }
  return row.id;
}

const created = (when: Date): Step => ({ event: 'create', to: 'draft', at: when });
const sent = (when: Date): Step => ({ event: 'send_for_confirmation', to: 'awaiting_confirmation', at: when });
const confirmed = (when: Date): Step => ({ event: 'confirm', to: 'confirmed', at: when });
const approved = (when: Date): Step => ({ event: 'approve', to: 'approved', at: when });
const returned = (when: Date): Step => ({ event: 'return', to: 'returned', at: when });

async function pkg(unitCode: string, receiverCode: string, versionNo: number, status: PackageStatus, times: { submitted: Date; decided?: Date; approved?: Date }) {
  await t.database.db.insert(packages).values({
    campaignId: campaign.id, unitCode, receiverCode, versionNo, status, recordCount: 1, expectedCount: 1, contentHash: '0'.repeat(64),
    signedBy: 1, signedAt: times.submitted, submittedBy: 1, submittedAt: times.submitted, decidedAt: times.decided ?? null, approvedAt: times.approved ?? null,
  });
}

async function marked(unitCode: string, taskKey: string, doneOn: string, doneAt: Date) {
  await t.database.db.insert(taskCompletions).values({ campaignId: campaign.id, unitCode, taskKey, doneOn, note: '已完成', doneBy: 1, doneAt });
}

async function contactsReported(unitCode: string, when: Date) {
  const person = { name: '张三', title: '科长', officePhone: '0731-12345678', mobile: '13800000000', email: 'a@example.cn' };
  await t.database.db.insert(unitContacts).values({ campaignId: campaign.id, unitCode, department: '人事科', leader: person, head: person, liaison: person, reportedAt: when, createdAt: when, updatedAt: when });
}

/** The plan's due dates used here (every other dated task moved a month ahead, so none of them is due). */
const dues: Record<string, string> = {
  'prefecture-1': day(-6), // 制定工作实施方案 (by hand)
  'county-1': day(-4), // 制定工作实施方案 (by hand)
  'county-2': day(-4), // 责任人信息 (contacts)
  'county-6': day(0), // 审核 (review)
  'school-1': day(0), // 培训 (by hand)
  'school-7': day(-1), // 报送 (submit)
  'higher_ed-1': day(-5), // 责任人信息 (contacts)
  'higher_ed-2': day(-2), // 培训 (by hand)
};
const deadlinesPerUnit = { prefecture: 1, county: 3, school: 2, higher_ed: 2 };

/**
 * Direct counts of the state at `moment` for a prefecture's subtree (universities excluded) or a university,
 * read another way than the bulletin does: a record's state then is the target of its last step before it.
 */
async function directCountsAt(code: string, group: 'prefecture' | 'university', asOf: string) {
  const moment = endOfChinaDay(asOf).toISOString();
  const scope = group === 'prefecture' ? sql`u.path like ${`430000.${code}.%`} and u.school_type <> 'higher_ed'` : sql`u.code = ${code}`;
  const open = sql`u.kind = 'school' and (u.closed_on is null or u.closed_on > ${asOf}::date) and ${scope}`;
  const [row] = resultRows<Record<string, string | number>>(
    await t.database.db.execute(sql`
      with records_then as (
        select s.school_code,
          (select e.to_state from staff_events e where e.staff_id = s.id and e.at < ${moment}::timestamptz order by e.at desc, e.id desc limit 1) as state,
          exists (select 1 from staff_events e where e.staff_id = s.id and e.event = 'return' and e.at < ${moment}::timestamptz) as returned
        from staff s
        where s.created_at < ${moment}::timestamptz and (s.deleted_at is null or s.deleted_at >= ${moment}::timestamptz)
      )
      select
        (select count(*) from units u where ${open}) as schools,
        (select coalesce(sum(u.expected_staff), 0) from units u where ${open}) as expected,
        (select count(*) from records_then r join units u on u.code = r.school_code where ${open}) as live,
        (select count(*) from records_then r join units u on u.code = r.school_code where ${open} and r.state = 'approved') as approved,
        (select count(*) from records_then r join units u on u.code = r.school_code where ${open} and (r.state = 'approved' or r.returned)) as reviewed,
        (select count(*) from records_then r join units u on u.code = r.school_code where ${open} and r.returned) as returned,
        (select coalesce(sum(greatest(0, u.expected_staff - (select count(*) from records_then r where r.school_code = u.code))), 0) from units u where ${open}) as shortfall,
        (select count(*) from units u where ${open} and exists (
          select 1 from packages p where p.unit_code = u.code and p.submitted_at < ${moment}::timestamptz and p.approved_at < ${moment}::timestamptz
            and not (p.status <> 'approved' and p.decided_at < ${moment}::timestamptz)
            and not exists (select 1 from packages q where q.unit_code = u.code and q.submitted_at < ${moment}::timestamptz and q.version_no > p.version_no))) as schools_approved`),
  );
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
}

const figuresOf = (row: BulletinRow) => ({
  schools: row.schools, expected: row.expectedStaff, live: row.liveStaff, approved: row.approvedStaff, reviewed: row.reviewedStaff,
  returned: row.returned, schools_approved: row.schoolsApproved, shortfall: row.shortfall,
});
const rowOf = (rows: BulletinRow[], code: string) => rows.find((row) => row.code === code)!;

async function bulletinAsOf(asOf: string): Promise<BulletinRow[]> {
  const response = await province.post('/api/bulletins', { asOf });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().rows;
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  campaign = await makeCampaign(db);
  const plan = campaign.plan;
  for (const level of Object.values(plan.levels)) {
    for (const task of level.tasks) if (task.due) task.due = dues[task.key] ?? addDays(today, 30);
  }
  await db.update(campaigns).set({ plan }).where(eq(campaigns.id, campaign.id));
  province = await t.login((await makeAccount(db, { unitCode: '430000' })).username);

  await makeSchool(db, { countyCode: '430302', serial: 1, expectedStaff: 6 });
  await makeSchool(db, { countyCode: '430302', serial: 2, expectedStaff: 2 });
  await makeSchool(db, { countyCode: '430302', serial: 3, expectedStaff: 10 });
  await makeSchool(db, { countyCode: '430304', serial: 1, expectedStaff: 4 });
  await makeSchool(db, { countyCode: '430302', schoolType: 'higher_ed', serial: 1, expectedStaff: 5 });
  await makeSchool(db, { countyCode: '430302', schoolType: 'higher_ed', serial: 2, expectedStaff: 4 });
  await makeSchool(db, { countyCode: '430304', schoolType: 'higher_ed', serial: 3, expectedStaff: 2 });
  // S3 closed the day before D; S4 closes the day after.
  await db.update(units).set({ closedOn: day(-1), closedReason: '撤销' }).where(eq(units.code, S3));
  await db.update(units).set({ closedOn: day(1), closedReason: '撤销' }).where(eq(units.code, S4));

  // S1: six records entered three days before D, confirmed; two approved the day before, one at 23:30 on D,
  // one ten minutes after midnight; one approved then returned on D. One entered after D, one deleted after D,
  // one deleted before. One record's work start was wrong at D (a finding) and corrected after.
  const life = (...approval: Step[]) => [created(at(day(-3))), sent(at(day(-2), '09:00')), confirmed(at(day(-2), '15:00')), ...approval];
  await record(S1, [...life(approved(at(day(-1)))), { event: 'edit', to: 'draft', at: at(day(1)), changes: { workStart: { before: '1995-09', after: '2002-09' } } }]);
  await record(S1, life(approved(at(day(-1)))), { findings: [{ field: 'birthDate', code: 'age_over_65', severity: 'warning', message: '年龄偏大' }] });
  await record(S1, life(approved(at(day(0), '23:30'))));
  await record(S1, life(approved(at(day(1), '00:10'))));
  await record(S1, life(approved(at(day(-1))), returned(at(day(0), '09:00'))));
  await record(S1, [created(at(day(1)))]);
  await record(S1, [created(at(day(-3)))], { deletedAt: at(day(2)) });
  await record(S1, [created(at(day(-3)))], { deletedAt: at(day(-1)) });
  // S2: three approved well before D, one more than it expects. S3 (closed): one record.
  for (let i = 0; i < 3; i += 1) await record(S2, [created(at(day(-4))), sent(at(day(-4), '11:00')), confirmed(at(day(-4), '12:00')), approved(at(day(-3)))]);
  await record(S3, [created(at(day(-4)))]);
  // Universities: U1 approved everything before D; U2 entered four and approved them only after D;
  // U3 approved one and returned one.
  for (let i = 0; i < 5; i += 1) await record(U1, [created(at(day(-4))), sent(at(day(-4), '11:00')), confirmed(at(day(-3))), approved(at(day(-2)))]);
  for (let i = 0; i < 4; i += 1) await record(U2, [created(at(day(-2))), sent(at(day(1), '08:00')), confirmed(at(day(1), '09:00')), approved(at(day(1), '10:00'))]);
  await record(U3, [created(at(day(-4))), sent(at(day(-3))), confirmed(at(day(-3), '12:00')), approved(at(day(-2)))]);
  await record(U3, [created(at(day(-4))), sent(at(day(-3))), confirmed(at(day(-3), '12:00')), returned(at(day(-1)))]);

  // Packages: S1 submitted on time (D−1), was returned, sent again on D and approved after D; S2 submitted
  // late (on D, due D−1) and approved on D.
  await pkg(S1, '430302', 1, 'returned', { submitted: at(day(-1), '12:00'), decided: at(day(-1), '18:00') });
  await pkg(S1, '430302', 2, 'approved', { submitted: at(day(0)), decided: at(day(1), '09:00'), approved: at(day(1), '09:00') });
  await pkg(S2, '430302', 1, 'approved', { submitted: at(day(0)), decided: at(day(0), '16:00'), approved: at(day(0), '16:00') });

  // Tasks marked by hand: 雨湖区 on time; S1 at 23:59 on its due day; S2 one minute after midnight with the due
  // day typed; 湘潭市 after D with an early day typed; U1 on time. 雨湖区 and U1 reported their contacts on time.
  await marked('430302', 'county-1', day(-5), at(day(-5)));
  await marked(S1, 'school-1', day(0), at(day(0), '23:59'));
  await marked(S2, 'school-1', day(0), at(day(1), '00:01'));
  await marked('430300', 'prefecture-1', day(-7), at(day(1)));
  await marked(U1, 'higher_ed-2', day(-2), at(day(-2), '20:00'));
  await contactsReported('430302', at(day(-5)));
  await contactsReported(U1, at(day(-6)));
});
afterAll(() => t.close());

describe('a bulletin as of a past date', () => {
  it('equals direct counts of the state at the end of that day, for every prefecture and university', async () => {
    const rows = await bulletinAsOf(D);
    expect(rows.filter((row) => row.group === 'prefecture')).toHaveLength(14);
    for (const row of rows) expect(figuresOf(row), row.name).toEqual(await directCountsAt(row.code, row.group, D));

    // 湘潭市 by hand: S3 closed before D is out, S4 closing after D is in; S1's approval at 00:10 after D and
    // its package approved after D do not count; the record deleted after D does.
    const xiangtan = rowOf(rows, '430300');
    // The shortfall school by school: S4's four; S2's extra record does not make up for them.
    expect(figuresOf(xiangtan)).toEqual({ schools: 3, expected: 6 + 2 + 4, live: 6 + 3, approved: 3 + 3, reviewed: 4 + 3, returned: 1, schools_approved: 1, shortfall: 4 });
    // Findings at D: the record corrected after D had one then; the one with a stored finding has it.
    expect(xiangtan).toMatchObject({ withFindings: 2, withProblems: 3 });
    // Deadlines at D: 湘潭市 1, five counties 3 each, three open schools 2 each; met: 雨湖区's plan and contacts,
    // S1's training (23:59 on its due day) and S1's submission (first sent on its due day, sent again after a return).
    const counties = Number(resultRows<{ n: number }>(await t.database.db.execute(sql`select count(*) as n from units where kind = 'county' and path like '430000.430300.%'`))[0].n);
    expect(xiangtan.deadlines).toBe(deadlinesPerUnit.prefecture + counties * deadlinesPerUnit.county + 3 * deadlinesPerUnit.school);
    expect(xiangtan.deadlinesMet).toBe(4);

    // U2 entered records but had reviewed none at D: no quality, no quality rank; U1 and U3 are ranked on it.
    expect(rowOf(rows, U2)).toMatchObject({ liveStaff: 4, approvedStaff: 0, reviewedStaff: 0, quality: null, ranks: { quality: null } });
    expect(rowOf(rows, U1)).toMatchObject({ quality: 1, ranks: { quality: 1 }, deadlines: 2, deadlinesMet: 2 });
    expect(rowOf(rows, U3)).toMatchObject({ quality: 0.5, ranks: { quality: 2 }, returned: 1 });
  });

  it('counts what happened after the date in a bulletin dated today', async () => {
    const rows = await bulletinAsOf(today);
    for (const row of rows) expect(figuresOf(row), row.name).toEqual(await directCountsAt(row.code, row.group, today));
    const xiangtan = rowOf(rows, '430300');
    // S4 has closed by now; S1's approval after midnight and its package count, the corrected record is entered
    // again (no longer approved) and has no finding now.
    expect(figuresOf(xiangtan)).toEqual({ schools: 2, expected: 6 + 2, live: 6 + 3, approved: 3 + 3, reviewed: 4 + 3, returned: 1, schools_approved: 2, shortfall: 0 });
    expect(xiangtan).toMatchObject({ withFindings: 1, withProblems: 2 });
    expect(rowOf(rows, U2)).toMatchObject({ approvedStaff: 4, quality: 1 });
  });

  it('counts a task marked late as late, whatever earlier day was typed with it', async () => {
    // 岳塘区 marks its implementation plan now, three days after it was due, typing the day before it was due.
    const yuetang = await t.login((await makeAccount(t.database.db, { unitCode: '430304' })).username);
    const response = await yuetang.post('/api/units/430304/tasks/county-1/done', { doneOn: day(-5), note: '已印发' });
    expect(response.statusCode, response.body).toBe(200);
    const [completion] = await t.database.db.select().from(taskCompletions).where(eq(taskCompletions.unitCode, '430304'));
    expect(completion.doneOn < dues['county-1']).toBe(true);
    // Met today, as at D: 雨湖区's plan and contacts and S1's training and submission; not 岳塘区's plan, nor
    // S2's training marked a minute after its due day, nor 湘潭市's marked after, nor the review approved late.
    expect(rowOf(await bulletinAsOf(today), '430300').deadlinesMet).toBe(4);
  });
});
