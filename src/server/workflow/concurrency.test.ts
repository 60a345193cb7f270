import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, staff } from '../db/schema.ts';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';

/**
 * Races: the same change sent twice at once, or two people acting on one thing. Requests run truly in parallel
 * on PostgreSQL (a pool of connections); on the embedded database they interleave on its one connection.
 */
let t: TestApp;
let operator: TestClient;
let secondOperator: TestClient;
let leader: TestClient;
let county: TestClient;
const school = '2430102001';

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await makeCampaign(db);
  await makeSchool(db, { countyCode: '430102', serial: 1, expectedStaff: 3 });
  operator = await t.login((await makeAccount(db, { unitCode: school, role: 'operator' })).username);
  secondOperator = await t.login((await makeAccount(db, { unitCode: school, role: 'operator' })).username);
  leader = await t.login((await makeAccount(db, { unitCode: school, role: 'leader' })).username);
  county = await t.login((await makeAccount(db, { unitCode: '430102' })).username);
});
afterAll(() => t.close());

describe('concurrency', () => {
  it('two editors save one record at once: one wins, the other gets 409 and the winner\'s change stands', async () => {
    const created = (await operator.post(`/api/schools/${school}/staff`, { values: validStaffValues(1) })).json();
    const [first, second] = await Promise.all([
      operator.patch(`/api/staff/${created.id}`, { version: created.version, values: { name: '张一' } }),
      secondOperator.patch(`/api/staff/${created.id}`, { version: created.version, values: { name: '张二' } }),
    ]);
    const statuses = [first.statusCode, second.statusCode].sort();
    expect(statuses).toEqual([200, 409]);
    const winner = first.statusCode === 200 ? '张一' : '张二';
    const loser = first.statusCode === 200 ? second : first;
    expect(loser.json().error.code).toBe('stale_version');
    const stored = (await operator.get(`/api/staff/${created.id}`)).json();
    expect(stored).toMatchObject({ version: created.version + 1, values: { name: winner } });
  });

  it('two approvals of one package race: one wins, one audit event; an edit during review is refused by state', async () => {
    const ids: number[] = [];
    for (const serial of [2, 3]) ids.push((await operator.post(`/api/schools/${school}/staff`, { values: validStaffValues(serial) })).json().id);
    const all = (await operator.get(`/api/schools/${school}/staff`)).json().items.map((row: { id: number }) => row.id);
    await t.database.db.update(staff).set({ status: 'confirmed' }).where(inArray(staff.id, all));
    expect((await operator.post(`/api/schools/${school}/staff/transitions`, { event: 'approve', ids: all })).json().done).toBe(all.length);
    expect((await leader.post(`/api/units/${school}/signoff`, {})).statusCode).toBe(200);
    const pkg = (await operator.post(`/api/units/${school}/packages`)).json();

    // The county approves while the school tries to change a record: the locked data refuse the edit.
    const record = (await operator.get(`/api/staff/${ids[0]}`)).json();
    const [approved, approvedAgain, edit] = await Promise.all([
      county.post(`/api/packages/${pkg.id}/approve`),
      county.post(`/api/packages/${pkg.id}/approve`),
      operator.patch(`/api/staff/${ids[0]}`, { version: record.version, values: { name: '迟到的修改' } }),
    ]);
    expect([approved.statusCode, approvedAgain.statusCode].sort()).toEqual([200, 409]);
    const refused = approved.statusCode === 409 ? approved : approvedAgain;
    expect(refused.json().error.message).toContain('已通过');
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.message).toContain('锁定');
    expect((await operator.get(`/api/staff/${ids[0]}`)).json().values.name).toBe(validStaffValues(2).name);
    const events = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'package.approved'));
    expect(events.filter((event) => event.targetId === String(pkg.id))).toHaveLength(1);
  });
});
