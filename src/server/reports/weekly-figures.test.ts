import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignPlan } from '../../standard/campaign.ts';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';
import { resultRows } from '../db/client.ts';
import { packages, staff } from '../db/schema.ts';
import { reopenPackage } from '../packages/package.service.ts';
import { buildSnapshot, loadFactsAt } from './weekly-figures.ts';
import { issueTable } from './weekly-layout.ts';

let t: TestApp;
afterAll(() => t.close());
beforeAll(async () => {
  t = await createTestApp();
});

describe('a package\'s state at a cut-off', () => {
  it('reads an approval later reopened as approved between the two, and as returned after the reopening', async () => {
    const db = t.database.db;
    const campaign = await makeCampaign(db);
    const school = await makeSchool(db, { countyCode: '430102', serial: 1 });
    const prefecture = await makeAccount(db, { unitCode: '430100', role: 'admin' });
    const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000);
    const [pkg] = await db
      .insert(packages)
      .values({ campaignId: campaign.id, unitCode: school.code, receiverCode: '430102', versionNo: 1, status: 'approved', recordCount: 0, expectedCount: 0, contentHash: '0'.repeat(64), signedBy: 1, signedAt: at(30), submittedBy: 1, submittedAt: at(30), decidedBy: 1, decidedAt: at(20), approvedAt: at(20) })
      .returning();
    // The prefecture reopens it now (the reopening rewrites decided_at).
    const actor = { id: prefecture.id, username: prefecture.username, displayName: prefecture.displayName, role: 'admin' as const, unit: { code: '430100', name: '长沙市', kind: 'prefecture' as const, path: '430000.430100' } };
    await reopenPackage(db, { actor, ip: null }, pkg, '复核');
    const moments = [at(40), at(25), at(10), new Date(Date.now() + 60_000)];
    const facts = await loadFactsAt(db, { campaignId: campaign.id, plan: campaign.plan, scopePath: '430000.430100.430102', moments, live: false });
    const stateOf = (index: number) => facts[index].schools.find((row) => row.code === school.code)!.packageState;
    expect([0, 1, 2, 3].map(stateOf)).toEqual([null, 'submitted', 'approved', 'returned']);
  });
});

describe('confirmations by kind at a cut-off', () => {
  const county = '430103';
  const schoolA = '2430103001';
  const schoolB = '2430103002';
  let operators: Record<string, TestClient>;
  let campaignId: number;
  let plan: CampaignPlan;
  const db = () => t.database.db;

  /** The database's clock now, in whole milliseconds (the events are stamped by it). */
  const dbNow = async () => Number(resultRows<{ ms: string }>(await db().execute(sql`select floor(extract(epoch from clock_timestamp()) * 1000)::text as ms`))[0].ms);
  /** A cut-off strictly between what was done and what comes next: a millisecond on, once the clock has passed it. */
  async function cutOff() {
    const moment = new Date((await dbNow()) + 1);
    while ((await dbNow()) <= moment.getTime()) await db().execute(sql`select 1`);
    return moment;
  }

  async function enter(school: string, serial: number) {
    const created = await operators[school].post(`/api/schools/${school}/staff`, { values: validStaffValues(serial) });
    expect(created.statusCode, created.body).toBe(201);
    return created.json().id as number;
  }
  async function bulk(school: string, event: string, ids: number[], reason?: string) {
    const answer = await operators[school].post(`/api/schools/${school}/staff/transitions`, { event, ids, reason });
    expect(answer.json().done, answer.body).toBe(ids.length);
  }
  /** The person confirms with the slip's code on the phone page. */
  async function byPhone(school: string, serial: number, id: number) {
    const [slip] = (await operators[school].post(`/api/schools/${school}/confirmation-codes`, { ids: [id] })).json().issued;
    const session = (await t.anonymous().post('/api/confirm/session', { code: slip.code, idSuffix: validStaffValues(serial).idNumber.slice(-6) })).json();
    expect((await t.anonymous().request('POST', '/api/confirm/confirm', {}, { headers: { authorization: `Bearer ${session.token}` } })).statusCode).toBe(200);
  }
  async function version(school: string, id: number) {
    return (await operators[school].get(`/api/staff/${id}`)).json().version as number;
  }

  /**
   * Each school's records as of `moment`, counted from the history alone: alive then, in the state of their
   * last event by then, confirmed by the kind of their last confirming event by then (a record loaded in a
   * state, without events, in its state and kind now).
   */
  async function direct(moment: Date) {
    const at = moment.toISOString();
    const rows = resultRows<Record<string, string | number>>(
      await db().execute(sql`
        with alive as (
          select s.school_code,
            coalesce((select e.to_state from staff_events e where e.staff_id = s.id and e.at <= ${at}::timestamptz order by e.id desc limit 1), s.status) as state,
            coalesce((select case e.event when 'confirm_on_paper' then 'paper' else 'phone' end from staff_events e
              where e.staff_id = s.id and e.at <= ${at}::timestamptz and e.event in ('confirm', 'accept_correction', 'confirm_on_paper') order by e.id desc limit 1), s.confirmed_via) as kind
          from staff s
          where s.campaign_id = ${campaignId} and s.school_code in (${schoolA}, ${schoolB})
            and s.created_at <= ${at}::timestamptz and (s.deleted_at is null or s.deleted_at > ${at}::timestamptz)
        )
        select school_code, count(*) as entered,
          count(*) filter (where state in ('confirmed', 'approved')) as confirmed,
          count(*) filter (where state in ('confirmed', 'approved') and kind = 'phone') as phone,
          count(*) filter (where state in ('confirmed', 'approved') and kind = 'paper') as paper,
          count(*) filter (where state = 'approved') as approved
        from alive group by school_code order by school_code`),
    );
    return Object.fromEntries(rows.map((row) => [String(row.school_code), { entered: Number(row.entered), confirmed: Number(row.confirmed), confirmedPhone: Number(row.phone), confirmedPaper: Number(row.paper), approved: Number(row.approved) }]));
  }

  async function reported(moments: Date[], live = false) {
    const facts = await loadFactsAt(db(), { campaignId, plan, scopePath: `430000.430100.${county}.`, moments, live });
    return facts.map((fact) =>
      Object.fromEntries(
        fact.schools
          .filter((school) => school.entered > 0)
          .map((school) => [school.code, { entered: school.entered, confirmed: school.confirmed, confirmedPhone: school.confirmedPhone, confirmedPaper: school.confirmedPaper, approved: school.approved }]),
      ),
    );
  }

  it('counts phone and paper as each record was confirmed at the cut-off, equal to a count from the history', async () => {
    const campaign = await makeCampaign(db());
    campaignId = campaign.id;
    plan = campaign.plan;
    await makeSchool(db(), { countyCode: county, serial: 1, expectedStaff: 8 });
    await makeSchool(db(), { countyCode: county, serial: 2, expectedStaff: 4 });
    operators = {};
    for (const school of [schoolA, schoolB]) operators[school] = await t.login((await makeAccount(db(), { unitCode: school, role: 'operator' })).username);

    // Before A: r1 by phone and approved; r2, r3 on paper in one batch; r4 a correction accepted; r5 sent;
    // at the second school r6 on paper, r7 by phone; and r8 loaded approved on paper, with no history.
    const [r1, r2, r3, r4, r5] = [await enter(schoolA, 101), await enter(schoolA, 102), await enter(schoolA, 103), await enter(schoolA, 104), await enter(schoolA, 105)];
    const [r6, r7] = [await enter(schoolB, 106), await enter(schoolB, 107)];
    await byPhone(schoolA, 101, r1);
    await bulk(schoolA, 'approve', [r1]);
    await operators[schoolA].post(`/api/schools/${schoolA}/confirmation-codes`, { ids: [r2, r3, r5] });
    await bulk(schoolA, 'confirm_on_paper', [r2, r3], '第一批签字确认单');
    const [slip4] = (await operators[schoolA].post(`/api/schools/${schoolA}/confirmation-codes`, { ids: [r4] })).json().issued;
    const session = (await t.anonymous().post('/api/confirm/session', { code: slip4.code, idSuffix: validStaffValues(104).idNumber.slice(-6) })).json();
    await t.anonymous().request('POST', '/api/confirm/corrections', { fields: [{ field: 'name', value: '更正后', note: '以户口簿为准' }] }, { headers: { authorization: `Bearer ${session.token}` } });
    const [correction] = (await operators[schoolA].get(`/api/staff/${r4}/corrections`)).json().items;
    expect((await operators[schoolA].post(`/api/corrections/${correction.id}/accept`)).statusCode).toBe(200);
    await operators[schoolB].post(`/api/schools/${schoolB}/confirmation-codes`, { ids: [r6] });
    await bulk(schoolB, 'confirm_on_paper', [r6], '签字确认单存档');
    await byPhone(schoolB, 107, r7);
    await db().insert(staff).values({ campaignId, schoolCode: schoolB, status: 'approved', confirmedVia: 'paper', ...validStaffValues(108) });
    const a = await cutOff();

    // Between A and B: r1 edited (back to entry) and then signed on paper; r2 approved; r3 returned and
    // confirmed again by phone; r5 on paper; r6 deleted.
    expect((await operators[schoolA].patch(`/api/staff/${r1}`, { version: await version(schoolA, r1), values: { name: '改名' } })).json().status).toBe('draft');
    await operators[schoolA].post(`/api/schools/${schoolA}/confirmation-codes`, { ids: [r1] });
    await bulk(schoolA, 'confirm_on_paper', [r1, r5], '第二批签字确认单');
    await bulk(schoolA, 'approve', [r2]);
    await bulk(schoolA, 'return', [r3], '学历有误');
    await byPhone(schoolA, 103, r3);
    const removed = await operators[schoolB].request('DELETE', `/api/staff/${r6}?version=${await version(schoolB, r6)}&reason=${encodeURIComponent('调离')}`);
    expect(removed.statusCode).toBe(204);
    const b = await cutOff();

    // After B: r4 edited back to entry, r7 approved.
    await operators[schoolA].patch(`/api/staff/${r4}`, { version: await version(schoolA, r4), values: { name: '再改' } });
    await bulk(schoolB, 'approve', [r7]);
    const now = await cutOff();

    const [atA, atB, atNow] = await reported([a, b, now]);
    expect(atA).toEqual(await direct(a));
    expect(atB).toEqual(await direct(b));
    expect(atNow).toEqual(await direct(now));
    expect((await reported([now], true))[0]).toEqual(atNow);
    // The story told above, in figures.
    expect(atA[schoolA]).toEqual({ entered: 5, confirmed: 4, confirmedPhone: 2, confirmedPaper: 2, approved: 1 });
    expect(atB[schoolA]).toEqual({ entered: 5, confirmed: 5, confirmedPhone: 2, confirmedPaper: 3, approved: 1 });
    expect(atNow[schoolA]).toEqual({ entered: 5, confirmed: 4, confirmedPhone: 1, confirmedPaper: 3, approved: 1 });
    expect(atA[schoolB]).toEqual({ entered: 3, confirmed: 3, confirmedPhone: 1, confirmedPaper: 2, approved: 1 });
    expect(atNow[schoolB]).toEqual({ entered: 2, confirmed: 2, confirmedPhone: 1, confirmedPaper: 1, approved: 2 });

    // Issues 2 and 3 show the two kinds after the attachment's columns, adding up to 本人已确认.
    const facts = (await loadFactsAt(db(), { campaignId, plan, scopePath: `430000.430100.${county}.`, moments: [a], live: false }))[0];
    const snapshot = buildSnapshot(facts, { code: county, name: '天心区', kind: 'county', path: `430000.430100.${county}.` }, [], a, false);
    const table = issueTable(snapshot, 2);
    expect(table.columns.map((column) => column.zh).slice(-4)).toEqual(['本人已确认', '学校已审核', '其中：本人手机确认', '其中：学校登记纸质确认']);
    const total = table.rows.at(-1)!.values;
    expect(total.slice(-4)).toEqual([7, 2, 3, 4]);
    // A report frozen before the kinds were counted keeps its own columns.
    const old = structuredClone(snapshot);
    for (const line of old.totals.schoolTypes) delete (line as Partial<typeof line>).staffConfirmedPhone;
    expect(issueTable(old, 2).columns).toHaveLength(8);
    expect(issueTable(old, 2).rows.at(-1)!.values).toHaveLength(8);
  });
});
