import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmationBatches, staff, staffEvents } from '../db/schema.ts';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { auditEventsFor, makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';

let t: TestApp;
let operator: TestClient;
let countyAdmin: TestClient;
const school = '2430102001';

async function create(serial: number) {
  const response = await operator.post(`/api/schools/${school}/staff`, { values: validStaffValues(serial) });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: number; version: number; status: string };
}

/** Stands in for the person's confirmation on their own page (the next step of the workflow). */
async function confirmByPerson(ids: number[]) {
  await t.database.db.update(staff).set({ status: 'confirmed' }).where(inArray(staff.id, ids));
}

beforeAll(async () => {
  t = await createTestApp();
  await makeCampaign(t.database.db);
  await makeSchool(t.database.db, { countyCode: '430102', serial: 1 });
  operator = await t.login((await makeAccount(t.database.db, { unitCode: school, role: 'operator' })).username);
  countyAdmin = await t.login((await makeAccount(t.database.db, { unitCode: '430102' })).username);
});
afterAll(() => t.close());

describe('record steps', () => {
  it('sends a record for confirmation, approves it once confirmed, and keeps the history', async () => {
    const record = await create(1);
    expect(record.status).toBe('draft');
    const sent = await operator.post(`/api/staff/${record.id}/transitions`, { event: 'send_for_confirmation', version: 1 });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toMatchObject({ status: 'awaiting_confirmation', version: 2 });
    await confirmByPerson([record.id]);
    const approved = await operator.post(`/api/staff/${record.id}/transitions`, { event: 'approve', version: 2 });
    expect(approved.json()).toMatchObject({ status: 'approved' });
    const history = (await countyAdmin.get(`/api/staff/${record.id}/history`)).json().items;
    expect(history.map((h: { event: string; to: string }) => `${h.event}:${h.to}`)).toEqual(['create:draft', 'send_for_confirmation:awaiting_confirmation', 'approve:approved']);
    expect((await auditEventsFor(t.database.db, record.id, 'staff')).map((e) => e.action)).toContain('staff.approve');
  });

  it('refuses a step in the wrong state with 409 naming the state, and a return without a reason', async () => {
    const record = await create(2);
    const approve = await operator.post(`/api/staff/${record.id}/transitions`, { event: 'approve', version: 1 });
    expect(approve.statusCode).toBe(409);
    expect(approve.json().error.message).toContain('已录入');
    await operator.post(`/api/staff/${record.id}/transitions`, { event: 'send_for_confirmation', version: 1 });
    const bare = await operator.post(`/api/staff/${record.id}/transitions`, { event: 'return', version: 2 });
    expect(bare.statusCode).toBe(400);
    const stale = await operator.post(`/api/staff/${record.id}/transitions`, { event: 'return', version: 1, reason: '出生日期有误' });
    expect(stale.statusCode).toBe(409);
    const returned = await operator.post(`/api/staff/${record.id}/transitions`, { event: 'return', version: 2, reason: '出生日期有误' });
    expect(returned.json()).toMatchObject({ status: 'returned' });
    const history = (await operator.get(`/api/staff/${record.id}/history`)).json().items;
    expect(history.at(-1)).toMatchObject({ event: 'return', from: 'awaiting_confirmation', to: 'returned', reason: '出生日期有误', actorKind: 'school' });
  });

  it('sends an edited approved record back to entry, with the field diff in its history', async () => {
    const record = await create(3);
    await t.database.db.update(staff).set({ status: 'approved' }).where(eq(staff.id, record.id));
    const edited = await operator.patch(`/api/staff/${record.id}`, { version: 1, values: { name: '李四' } });
    expect(edited.json()).toMatchObject({ status: 'draft' });
    const history = (await operator.get(`/api/staff/${record.id}/history`)).json().items;
    expect(history.at(-1)).toMatchObject({ event: 'edit', from: 'approved', to: 'draft', changes: { name: { before: '测试教师3', after: '李四' } } });
  });

  it('approves in bulk with a result per record; one bad id fails alone', async () => {
    const records = await Promise.all([10, 11, 12].map((serial) => create(serial)));
    await confirmByPerson([records[0].id, records[1].id]);
    const response = await operator.post(`/api/schools/${school}/staff/transitions`, { event: 'approve', ids: [...records.map((r) => r.id), 999999] });
    expect(response.statusCode).toBe(200);
    const { done, results } = response.json();
    expect(done).toBe(2);
    expect(results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true, false, false]);
    expect(results[2].error.code).toBe('conflict');
    expect(results[3].error.code).toBe('not_found');
  });

  it('records confirmations signed on the printed slip, in bulk, with a note, and spends their codes', async () => {
    const records = [await create(40), await create(41)];
    const ids = records.map((record) => record.id);
    const slips = (await operator.post(`/api/schools/${school}/confirmation-codes`, { ids })).json().issued as { staffId: number; code: string }[];
    const noNote = (await operator.post(`/api/schools/${school}/staff/transitions`, { event: 'confirm_on_paper', ids })).json();
    expect(noNote.done).toBe(0);
    expect(noNote.results[0].error.code).toBe('validation_failed');
    const done = await operator.post(`/api/schools/${school}/staff/transitions`, { event: 'confirm_on_paper', ids, reason: '确认单已本人签字，存人事档案' });
    expect(done.json().done).toBe(2);
    for (const id of ids) expect((await operator.get(`/api/staff/${id}`)).json().status).toBe('confirmed');
    const opened = await t.anonymous().post('/api/confirm/session', { code: slips[0].code, idSuffix: validStaffValues(40).idNumber.slice(-6) });
    expect(opened.statusCode).toBe(401);
    const history = (await operator.get(`/api/staff/${ids[1]}/history`)).json().items;
    expect(history.at(-1)).toMatchObject({ event: 'confirm_on_paper', actorKind: 'school', reason: '确认单已本人签字，存人事档案', to: 'confirmed' });
    expect((await auditEventsFor(t.database.db, ids[0], 'staff')).map((e) => e.action)).toContain('staff.confirm_on_paper');
    const again = (await operator.post(`/api/schools/${school}/staff/transitions`, { event: 'confirm_on_paper', ids: [ids[0]], reason: '再次' })).json();
    expect(again.results[0].error.message).toContain('本人已确认');
  });

  it('lets only the school take these steps', async () => {
    const record = await create(20);
    expect((await countyAdmin.post(`/api/staff/${record.id}/transitions`, { event: 'send_for_confirmation', version: 1 })).statusCode).toBe(403);
    expect((await countyAdmin.post(`/api/schools/${school}/staff/transitions`, { event: 'approve', ids: [record.id] })).statusCode).toBe(403);
  });
});

/** The person confirms on the phone page with the slip's code, as the confirmation routes test does. */
async function confirmOnPhone(serial: number, id: number) {
  const issued = (await operator.post(`/api/schools/${school}/confirmation-codes`, { ids: [id] })).json().issued;
  const session = await t.anonymous().post('/api/confirm/session', { code: issued[0].code, idSuffix: validStaffValues(serial).idNumber.slice(-6) });
  expect(session.statusCode, session.body).toBe(200);
  const headers = { authorization: `Bearer ${session.json().token}` };
  return t.anonymous().request('POST', '/api/confirm/confirm', {}, { headers });
}

/** What the record says and what the database holds of how it was confirmed. */
async function via(id: number) {
  const [row] = await t.database.db.select({ confirmedVia: staff.confirmedVia }).from(staff).where(eq(staff.id, id));
  const shown = (await operator.get(`/api/staff/${id}`)).json();
  return { status: shown.status as string, shown: shown.confirmedVia as string | null, stored: row.confirmedVia };
}

describe('how a record was confirmed (确认方式)', () => {
  it('is phone when the person confirms, stays through the approval, and clears on an edit', async () => {
    const record = await create(60);
    expect(await via(record.id)).toEqual({ status: 'draft', shown: null, stored: null });
    expect((await confirmOnPhone(60, record.id)).statusCode).toBe(200);
    expect(await via(record.id)).toEqual({ status: 'confirmed', shown: 'phone', stored: 'phone' });
    const approved = await operator.post(`/api/staff/${record.id}/transitions`, { event: 'approve', version: 3 });
    expect(approved.json()).toMatchObject({ status: 'approved', confirmedVia: 'phone' });
    expect(await via(record.id)).toEqual({ status: 'approved', shown: 'phone', stored: 'phone' });
    const edited = await operator.patch(`/api/staff/${record.id}`, { version: 4, values: { name: '改名后' } });
    expect(edited.json()).toMatchObject({ status: 'draft', confirmedVia: null });
    expect(await via(record.id)).toEqual({ status: 'draft', shown: null, stored: null });
    const history = (await operator.get(`/api/staff/${record.id}/history`)).json().items;
    expect(history.map((item: { event: string; confirmedVia: string | null }) => `${item.event}:${item.confirmedVia}`)).toEqual([
      'create:null', 'send_for_confirmation:null', 'confirm:phone', 'approve:null', 'edit:null',
    ]);
  });

  it('is phone when the school accepts the person\'s own correction, and clears on a return', async () => {
    const record = await create(61);
    const issued = (await operator.post(`/api/schools/${school}/confirmation-codes`, { ids: [record.id] })).json().issued;
    const session = (await t.anonymous().post('/api/confirm/session', { code: issued[0].code, idSuffix: validStaffValues(61).idNumber.slice(-6) })).json();
    const asked = await t.anonymous().request('POST', '/api/confirm/corrections', { fields: [{ field: 'name', value: '更正名', note: '以户口簿为准' }] }, { headers: { authorization: `Bearer ${session.token}` } });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(await via(record.id)).toEqual({ status: 'correction_requested', shown: null, stored: null });
    const [correction] = (await operator.get(`/api/staff/${record.id}/corrections`)).json().items;
    expect((await operator.post(`/api/corrections/${correction.id}/accept`)).statusCode).toBe(200);
    expect(await via(record.id)).toEqual({ status: 'confirmed', shown: 'phone', stored: 'phone' });
    const current = (await operator.get(`/api/staff/${record.id}`)).json();
    const returned = await operator.post(`/api/staff/${record.id}/transitions`, { event: 'return', version: current.version, reason: '岗位类别有误' });
    expect(returned.json()).toMatchObject({ status: 'returned', confirmedVia: null });
    expect(await via(record.id)).toEqual({ status: 'returned', shown: null, stored: null });
  });

  it('is paper when the school registers one signed slip: a batch of one with its note', async () => {
    const record = await create(62);
    await operator.post(`/api/staff/${record.id}/transitions`, { event: 'send_for_confirmation', version: 1 });
    const paper = await operator.post(`/api/staff/${record.id}/transitions`, { event: 'confirm_on_paper', version: 2, reason: '签字确认单存人事档案' });
    expect(paper.json()).toMatchObject({ status: 'confirmed', confirmedVia: 'paper' });
    expect(await via(record.id)).toEqual({ status: 'confirmed', shown: 'paper', stored: 'paper' });
    const step = (await operator.get(`/api/staff/${record.id}/history`)).json().items.at(-1);
    expect(step).toMatchObject({ event: 'confirm_on_paper', confirmedVia: 'paper', batch: { note: '签字确认单存人事档案', recordCount: 1 } });
    const [batch] = await t.database.db.select().from(confirmationBatches).where(eq(confirmationBatches.id, step.batch.id));
    expect(batch).toMatchObject({ schoolCode: school, note: '签字确认单存人事档案', recordCount: 1 });
    // Approved, it is still a paper confirmation; sent for confirmation again after a return, it is not.
    expect((await operator.post(`/api/staff/${record.id}/transitions`, { event: 'approve', version: 3 })).json().confirmedVia).toBe('paper');
    await operator.post(`/api/staff/${record.id}/transitions`, { event: 'return', version: 4, reason: '重新核对' });
    const resent = await operator.post(`/api/staff/${record.id}/transitions`, { event: 'send_for_confirmation', version: 5 });
    expect(resent.json()).toMatchObject({ status: 'awaiting_confirmation', confirmedVia: null });
    expect((await t.database.db.select().from(staff).where(eq(staff.id, record.id)))[0].confirmedVia).toBeNull();
  });

  it('registers a bulk paper confirmation as one batch with its note, shown in each record\'s history and listed by kind', async () => {
    const records = await Promise.all([70, 71, 72].map((serial) => create(serial)));
    const ids = records.map((record) => record.id);
    await operator.post(`/api/schools/${school}/confirmation-codes`, { ids });
    const phoneRecord = await create(73);
    expect((await confirmOnPhone(73, phoneRecord.id)).statusCode).toBe(200);
    const before = await t.database.db.select().from(confirmationBatches);
    const answer = await operator.post(`/api/schools/${school}/staff/transitions`, { event: 'confirm_on_paper', ids: [...ids, phoneRecord.id], reason: '第三批签字确认单，存人事科档案柜' });
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json();
    expect(body.done).toBe(3);
    expect(body.results.at(-1).ok).toBe(false);
    const after = await t.database.db.select().from(confirmationBatches).orderBy(asc(confirmationBatches.id));
    expect(after).toHaveLength(before.length + 1);
    const batch = after.at(-1)!;
    expect(batch).toMatchObject({ id: body.batch.id, schoolCode: school, note: '第三批签字确认单，存人事科档案柜', recordCount: 3 });
    expect(body.batch).toEqual({ id: batch.id, recordCount: 3 });
    const events = await t.database.db.select().from(staffEvents).where(eq(staffEvents.batchId, batch.id));
    expect(events.map((event) => event.staffId).sort()).toEqual([...ids].sort());
    expect(events.every((event) => event.event === 'confirm_on_paper')).toBe(true);
    for (const id of ids) {
      expect(await via(id)).toEqual({ status: 'confirmed', shown: 'paper', stored: 'paper' });
      const step = (await countyAdmin.get(`/api/staff/${id}/history`)).json().items.at(-1);
      expect(step).toMatchObject({ event: 'confirm_on_paper', confirmedVia: 'paper', reason: '第三批签字确认单，存人事科档案柜', batch: { id: batch.id, note: '第三批签字确认单，存人事科档案柜', recordCount: 3 } });
    }
    // A bulk step that confirms nothing makes no batch.
    const none = (await operator.post(`/api/schools/${school}/staff/transitions`, { event: 'confirm_on_paper', ids: [phoneRecord.id], reason: '重复' })).json();
    expect(none).toMatchObject({ done: 0, batch: null });
    expect(await t.database.db.select().from(confirmationBatches)).toHaveLength(after.length);

    const listed = async (query: string) => ((await operator.get(`/api/schools/${school}/staff?pageSize=200&${query}`)).json().items as { id: number; confirmedVia: string | null }[]);
    const paperIds = (await listed('confirmedVia=paper')).map((item) => item.id);
    const phoneIds = (await listed('confirmedVia=phone')).map((item) => item.id);
    const direct = await t.database.db.select().from(staff).where(eq(staff.schoolCode, school));
    const confirmedBy = (kind: string) => direct.filter((row) => row.deletedAt === null && ['confirmed', 'approved'].includes(row.status) && row.confirmedVia === kind).map((row) => row.id).sort();
    expect(paperIds.sort()).toEqual(confirmedBy('paper'));
    expect(phoneIds.sort()).toEqual(confirmedBy('phone'));
    expect(paperIds).toEqual(expect.arrayContaining(ids));
    expect(phoneIds).toContain(phoneRecord.id);
    expect((await listed(`batch=${batch.id}`)).map((item) => item.id).sort()).toEqual([...ids].sort());
    expect((await listed(`batch=${batch.id}`)).every((item) => item.confirmedVia === 'paper')).toBe(true);
    const summary = (await operator.get(`/api/schools/${school}/staff/summary`)).json();
    expect(summary.confirmedVia).toEqual({ phone: confirmedBy('phone').length, paper: confirmedBy('paper').length });
  });
});

describe('the review list', () => {
  it('filters records changed since approval and counts records by state against the expected staff', async () => {
    const record = await create(30);
    await confirmByPerson([record.id]);
    await operator.post(`/api/staff/${record.id}/transitions`, { event: 'approve', version: 1 });
    await operator.patch(`/api/staff/${record.id}`, { version: 2, values: { name: '改过名' } });
    const changed = (await operator.get(`/api/schools/${school}/staff?changedSinceApproval=true`)).json();
    expect(changed.items.map((i: { id: number }) => i.id)).toContain(record.id);
    expect(changed.items.every((i: { status: string }) => i.status !== 'approved')).toBe(true);
    const summary = (await operator.get(`/api/schools/${school}/staff/summary`)).json();
    const direct = await t.database.db.select().from(staff).where(eq(staff.schoolCode, school));
    expect(summary.total).toBe(direct.filter((row) => row.deletedAt === null).length);
    expect(summary.expectedStaff).toBe(50);
    expect(summary.difference).toBe(summary.total - 50);
    expect(summary.byStatus.approved).toBe(direct.filter((row) => row.status === 'approved').length);
  });
});
