import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { bulletins, correctionRequests, idConflicts, imports, packages, staff, unlockRequests } from '../db/schema.ts';
import { libraryFiles, questionAttachments, questions, storedFiles } from '../db/schema.ts';
import { makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';

/**
 * Walks every route of the OpenAPI document as a county admin (芙蓉区) with ids from elsewhere: another
 * county's unit and school, another prefecture, another county's account. Each must answer 404 and
 * reveal nothing. Routes without path parameters must be listed below with how scope reaches them.
 */
const outOfScope: Record<string, string[]> = {
  code: ['430103', '2430103001', '430200', '430000', '4430104001'],
  accountId: [],
  staffId: [],
  importId: [],
  correctionId: [],
  packageId: [],
  conflictId: [],
  unlockId: [],
  // A weekly report's issue number (1–4) names nothing by itself: the unit code scopes it.
  issue: ['1', '4'],
  taskKey: ['county-1'],
  bulletinId: [],
  questionId: [],
  attachmentId: [],
  fileId: [],
  announcementId: [],
  faqId: [],
  // Campaigns are read across the province: only an id that names none is out of reach.
  campaignId: ['999999999'],
};

/** Routes that take no id in their path, and the request that tries to reach outside the county. */
const unscopedRoutes: Record<string, { reason: string; probe?: { url: string; body?: unknown; status: number } }> = {
  'GET /api/health': { reason: 'public, no data' },
  'POST /api/auth/login': { reason: 'public' },
  'POST /api/auth/logout': { reason: 'own session only' },
  'GET /api/auth/me': { reason: 'own account only' },
  'POST /api/auth/password': { reason: 'own account only' },
  'GET /api/campaigns/current': { reason: 'own unit\'s tasks only' },
  'GET /api/campaigns': { reason: 'the province\'s campaigns, read by every unit; no unit data' },
  'POST /api/campaigns': { reason: 'the province\'s admin only', probe: { url: '/api/campaigns', body: { year: 2031, startsOn: '2031-09-01' }, status: 403 } },
  'GET /api/schools/import-template': { reason: 'lists only the counties in scope' },
  'POST /api/schools': {
    reason: 'county in body',
    probe: { url: '/api/schools', body: { code: '2430103099', name: 'x', schoolType: 'k12', countyCode: '430103', expectedStaff: 1 }, status: 404 },
  },
  'POST /api/schools/import': { reason: 'counties checked per row (schools.import.test.ts)' },
  'GET /api/accounts': { reason: 'unit in query', probe: { url: '/api/accounts?unitCode=430103', status: 404 } },
  'POST /api/confirm/session': { reason: 'public: a code and an ID suffix open one record (confirmation.routes.test.ts)' },
  'GET /api/confirm/record': { reason: 'the bearer token opens only its own record' },
  'POST /api/confirm/confirm': { reason: 'the bearer token opens only its own record' },
  'POST /api/confirm/corrections': { reason: 'the bearer token opens only its own record' },
  'PUT /api/campaigns/current/plan': { reason: 'the province\'s admin only', probe: { url: '/api/campaigns/current/plan', body: { levels: {} }, status: 403 } },
  'GET /api/bulletins': { reason: 'the province, prefectures and universities only', probe: { url: '/api/bulletins', status: 403 } },
  'POST /api/bulletins': { reason: 'the province\'s admin only', probe: { url: '/api/bulletins', body: { asOf: '2026-01-01' }, status: 403 } },
  'GET /api/notifications': { reason: 'own unit\'s notifications only' },
  'GET /api/working-group/province': { reason: 'the province\'s working group, shown to everyone signed in, phones masked below the province' },
  'GET /api/questions': { reason: 'own unit\'s questions and queue only' },
  'GET /api/faq': { reason: 'FAQ of the own chain and subtree only (helpdesk.routes.test.ts)' },
  'GET /api/resources': { reason: 'announcements and files of the own chain only (resources.routes.test.ts)' },
  'POST /api/notifications/read': { reason: 'own unit\'s notifications only' },
  'POST /api/accounts/bulk-reset': { reason: 'units in body', probe: { url: '/api/accounts/bulk-reset', body: { unitCodes: ['430102', '430103'] }, status: 404 } },
  'POST /api/accounts/bulk-unlock': { reason: 'units in body', probe: { url: '/api/accounts/bulk-unlock', body: { unitCodes: ['430103'] }, status: 404 } },
  'GET /api/accounts/export': { reason: 'unit in query', probe: { url: '/api/accounts/export?unitCode=430103', status: 404 } },
  'POST /api/accounts': {
    reason: 'unit in body',
    probe: { url: '/api/accounts', body: { username: 'intruder', displayName: 'x', role: 'admin', unitCode: '430103', password: 'Sturdy-Pass-2024' }, status: 404 },
  },
};

let t: TestApp;
let county: TestClient;
let routes: { method: string; path: string; params: string[] }[];

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await makeSchool(db, { countyCode: '430102', serial: 1 });
  await makeSchool(db, { countyCode: '430103', serial: 1 });
  await makeSchool(db, { countyCode: '430104', schoolType: 'higher_ed', serial: 1 });
  county = await t.login((await makeAccount(db, { unitCode: '430102' })).username);
  for (const unitCode of ['430103', '2430103001', '430200', '430000']) {
    outOfScope.accountId.push(String((await makeAccount(db, { unitCode })).id));
  }
  const campaign = await makeCampaign(db);
  for (const [serial, schoolCode] of [[1, '2430103001'], [2, '4430104001']] as const) {
    const [row] = await db.insert(staff).values({ campaignId: campaign.id, schoolCode, ...validStaffValues(serial) }).returning();
    outOfScope.staffId.push(String(row.id));
  }
  outOfScope.staffId.push('999999999');
  const [foreignImport] = await db
    .insert(imports)
    .values({ campaignId: campaign.id, schoolCode: '2430103001', fileName: 'x.xlsx', fileSize: 1, fileSha256: '0'.repeat(64), mode: 'lenient', status: 'previewed', counts: {}, uploadedBy: 1 })
    .returning();
  outOfScope.importId.push(String(foreignImport.id), '999999999');
  const [foreignCorrection] = await db.insert(correctionRequests).values({ staffId: Number(outOfScope.staffId[0]), fields: [] }).returning();
  outOfScope.correctionId.push(String(foreignCorrection.id), '999999999');
  const [foreignPackage] = await db
    .insert(packages)
    .values({ campaignId: campaign.id, unitCode: '2430103001', receiverCode: '430103', versionNo: 1, status: 'submitted', recordCount: 1, expectedCount: 1, contentHash: '0'.repeat(64), signedBy: 1, signedAt: new Date(), submittedBy: 1 })
    .returning();
  outOfScope.packageId.push(String(foreignPackage.id), '999999999');
  const [foreignConflict] = await db
    .insert(idConflicts)
    .values({ campaignId: campaign.id, idNumber: validStaffValues(1).idNumber, holderStaffId: Number(outOfScope.staffId[0]), holderSchoolCode: '2430103001', claimantSchoolCode: '4430104001' })
    .returning();
  outOfScope.conflictId.push(String(foreignConflict.id), '999999999');
  const [foreignUnlock] = await db.insert(unlockRequests).values({ campaignId: campaign.id, unitCode: '2430103001', reason: 'x', createdBy: 1 }).returning();
  outOfScope.unlockId.push(String(foreignUnlock.id), '999999999');
  const [bulletin] = await db
    .insert(bulletins)
    .values({ campaignId: campaign.id, title: '通报', asOf: campaign.startsOn, status: 'published', weights: {}, watchRule: {}, rows: [], createdBy: 1, publishedAt: new Date() })
    .returning();
  outOfScope.bulletinId.push(String(bulletin.id), '999999999');
  const [foreignQuestion] = await db
    .insert(questions)
    .values({ askerCode: '2430103001', askedBy: 1, title: '问题', body: '内容', category: 'data', status: 'open', holderCode: '430103' })
    .returning();
  outOfScope.questionId.push(String(foreignQuestion.id), '999999999');
  const [foreignFile] = await db.insert(storedFiles).values({ name: 'a.txt', contentType: 'text/plain', size: 1, sha256: '0'.repeat(64), content: Buffer.from('a') }).returning();
  const [foreignAttachment] = await db.insert(questionAttachments).values({ questionId: foreignQuestion.id, fileId: foreignFile.id, unitCode: '2430103001', uploadedBy: 1 }).returning();
  outOfScope.attachmentId.push(String(foreignAttachment.id), '999999999');
  const [foreignLibraryFile] = await db.insert(libraryFiles).values({ unitCode: '430103', title: '资料', fileId: foreignFile.id, uploadedBy: 1 }).returning();
  outOfScope.fileId.push(String(foreignLibraryFile.id), '999999999');
  const document = (await t.anonymous().get('/api/docs/json')).json() as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({
      method: method.toUpperCase(),
      path,
      params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
    })),
  );
});
afterAll(() => t.close());

describe('scope: every route, ids from outside the county', () => {
  it('finds the routes in the OpenAPI document', () => {
    expect(routes.length).toBeGreaterThan(15);
  });

  it('answers 404 with no data for every route with an out-of-scope id', async () => {
    const checked: string[] = [];
    for (const route of routes.filter((r) => r.params.length > 0)) {
      for (const param of route.params) {
        const values = outOfScope[param];
        expect(values, `no out-of-scope ids declared for {${param}} in ${route.method} ${route.path}`).toBeDefined();
        for (const value of values) {
          const url = route.path.replace(`{${param}}`, value).replace(/\{(\w+)\}/g, (_, other: string) => outOfScope[other][0]);
          const response = await county.request(route.method as 'GET', url, route.method === 'GET' ? undefined : {});
          expect(response.statusCode, `${route.method} ${url}`).toBe(404);
          expect(Object.keys(response.json()), `${route.method} ${url}`).toEqual(['error']);
          checked.push(`${route.method} ${url}`);
        }
      }
    }
    expect(checked.length).toBeGreaterThan(20);
  });

  it('lists every route without a path id, and probes those that take a unit in query or body', async () => {
    const unlisted = routes
      .filter((r) => r.params.length === 0 && !r.path.startsWith('/api/docs'))
      .map((r) => `${r.method} ${r.path}`)
      .filter((key) => !(key in unscopedRoutes));
    expect(unlisted, 'new routes need a row in unscopedRoutes').toEqual([]);
    for (const [key, { probe }] of Object.entries(unscopedRoutes)) {
      if (!probe) continue;
      const response = await county.request(key.split(' ')[0] as 'GET', probe.url, probe.body);
      expect(response.statusCode, key).toBe(probe.status);
    }
  });

  it('answers 401 to every route without a session, except the public ones', async () => {
    for (const route of routes.filter((r) => !r.path.startsWith('/api/docs'))) {
      const url = route.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'code' ? '430102' : '1'));
      const response = await t.anonymous().request(route.method as 'GET', url, route.method === 'GET' ? undefined : {});
      const isPublic = ['GET /api/health', 'POST /api/auth/login', 'POST /api/confirm/session'].includes(`${route.method} ${route.path}`);
      if (!isPublic) expect(response.statusCode, `${route.method} ${url}`).toBe(401);
    }
  });
});
