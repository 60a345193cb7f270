import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { staff } from '../db/schema.ts';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';

let plain: TestApp;
let secure: TestApp;
let operator: TestClient;
let schoolCode: string;
let idNumber: string;

beforeAll(async () => {
  plain = await createTestApp();
  secure = await createTestApp({ ROLLCALL_SECURE_COOKIES: 'true' });
  const db = plain.database.db;
  const school = await makeSchool(db, { countyCode: '430102', serial: 1 });
  schoolCode = school.code;
  const campaign = await makeCampaign(db);
  const [record] = await db.insert(staff).values({ campaignId: campaign.id, schoolCode, ...validStaffValues(1) }).returning();
  idNumber = record.idNumber!;
  operator = await plain.login((await makeAccount(db, { unitCode: schoolCode, role: 'operator' })).username);
}, 120_000);
afterAll(async () => {
  await plain?.close();
  await secure?.close();
});

/** The CSP's directives by name. */
function policyOf(response: LightMyRequestResponse): Map<string, string[]> {
  const header = String(response.headers['content-security-policy'] ?? '');
  return new Map(header.split(';').map((part) => part.trim().split(/\s+/)).filter((words) => words[0]).map(([name, ...values]) => [name, values]));
}

describe('security headers', () => {
  it('allows only the server\'s own scripts, forbids framing and plugins, and sends no referrer', async () => {
    for (const url of ['/api/health', '/api/docs', '/api/docs/json', '/confirm?c=K7QM-3HXP', '/no-such-page']) {
      const response = await plain.anonymous().get(url);
      const policy = policyOf(response);
      expect(policy.get('default-src'), url).toEqual(["'self'"]);
      expect(policy.get('script-src'), url).toEqual(["'self'"]);
      expect(policy.get('script-src-attr'), url).toEqual(["'none'"]);
      expect(policy.get('object-src'), url).toEqual(["'none'"]);
      expect(policy.get('frame-ancestors'), url).toEqual(["'none'"]);
      expect(policy.get('connect-src'), url).toEqual(["'self'"]);
      expect(policy.has('upgrade-insecure-requests'), url).toBe(false);
      expect(response.headers['x-frame-options'], url).toBe('DENY');
      expect(response.headers['referrer-policy'], url).toBe('no-referrer');
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(response.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('asks browsers for HTTPS (HSTS, upgraded requests) only when ROLLCALL_SECURE_COOKIES=true', async () => {
    const response = await secure.anonymous().get('/api/health');
    expect(response.headers['strict-transport-security']).toBe('max-age=15552000');
    expect(policyOf(response).has('upgrade-insecure-requests')).toBe(true);
    expect(policyOf(response).get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('lets no browser or proxy keep an API answer: personal data, errors and exports with full ID numbers', async () => {
    const list = await operator.get(`/api/schools/${schoolCode}/staff`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(idNumber);
    expect(list.headers['cache-control']).toBe('no-store');
    const exported = await operator.get(`/api/units/${schoolCode}/export`);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('spreadsheetml');
    expect(exported.headers['cache-control']).toBe('no-store');
    for (const url of ['/api/auth/me', '/api/health', '/api/no-such-route']) {
      expect((await plain.anonymous().get(url)).headers['cache-control'], url).toBe('no-store');
    }
  });
});
