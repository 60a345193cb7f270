import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../db/schema.ts';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';

// Real parallel requests: on PostgreSQL the test database has a pool of several connections.
let t: TestApp;
let operator: TestClient;
const school = '2430102001';

beforeAll(async () => {
  t = await createTestApp();
  await makeCampaign(t.database.db);
  await makeSchool(t.database.db, { countyCode: '430102', serial: 1 });
  operator = await t.login((await makeAccount(t.database.db, { unitCode: school, role: 'operator' })).username);
});
afterAll(() => t.close());

async function createAndIssue(serial: number) {
  const record = (await operator.post(`/api/schools/${school}/staff`, { values: validStaffValues(serial) })).json() as { id: number };
  const [slip] = (await operator.post(`/api/schools/${school}/confirmation-codes`, { ids: [record.id] })).json().issued;
  return { id: record.id, code: slip.code as string, suffix: validStaffValues(serial).idNumber.slice(-6) };
}

const open = (code: string, idSuffix: string, address: string) =>
  t.app.inject({ method: 'POST', url: '/api/confirm/session', payload: { code, idSuffix }, remoteAddress: address });

describe('confirmation code limits under concurrency', () => {
  it('checks at most 5 of 100 concurrent wrong ID suffixes, and the right one afterwards is refused', async () => {
    const { id, code, suffix } = await createAndIssue(1);
    const burst = await Promise.all(Array.from({ length: 100 }, (_, i) => open(code, String(100000 + i), `198.51.100.${i + 1}`)));
    expect(burst.every((response) => response.statusCode === 401)).toBe(true);
    const checked = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'staff.confirmation_failed'), eq(auditEvents.targetId, String(id))));
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.length).toBeLessThanOrEqual(5);
    expect((await open(code, suffix, '192.0.2.1')).statusCode).toBe(401);
  });

  it('holds one address at 30 failures even when 100 wrong codes arrive at once', async () => {
    const { code, suffix } = await createAndIssue(2);
    const burst = await Promise.all(Array.from({ length: 100 }, (_, i) => open(`ZZZZ-${String(i).padStart(4, 'Z').replace(/[01]/g, 'Z')}`, '000000', '203.0.113.77')));
    expect(burst.filter((response) => response.statusCode === 401).length).toBeLessThanOrEqual(30);
    expect(burst.filter((response) => response.statusCode === 429).length).toBeGreaterThanOrEqual(70);
    expect((await open(code, suffix, '203.0.113.77')).statusCode).toBe(429);
    expect((await open(code, suffix, '203.0.113.78')).statusCode).toBe(200);
  });
});
