import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { bulletins, correctionRequests, idConflicts, imports, packages, staff, unlockRequests } from '../db/schema.ts';
import { libraryFiles, questionAttachments, questions, storedFiles } from '../db/schema.ts';
import { makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';
import type { Role } from './actor.ts';
import { routeMatrix, type Level } from './route-matrix.ts';

const roles: Role[] = ['admin', 'operator', 'leader', 'viewer'];
const chain = { province: '430000', prefecture: '430100', county: '430102', school: '2430102001' } as const;
const elsewhere = { county: '430103', prefecture: '430200' } as const;

let t: TestApp;
let routes: { method: string; path: string; params: string[] }[];
const callers: { unit: string; level: Level; onChain: boolean; role: Role; username: string; client: TestClient }[] = [];
const ids: Record<string, string> = {};
let foreignLibraryFile: string;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await makeSchool(db, { countyCode: '430102', serial: 1 });
  await makeSchool(db, { countyCode: '430202', serial: 1 });
  const units = [...Object.entries(chain).map(([level, unit]) => ({ level, unit, onChain: true })), ...Object.entries(elsewhere).map(([level, unit]) => ({ level, unit, onChain: false }))];
  for (const { level, unit, onChain } of units) {
    for (const role of roles) {
      const account = await makeAccount(db, { unitCode: unit, role });
      callers.push({ unit, level: level as Level, onChain, role, client: t.anonymous(), username: account.username });
    }
  }
  await Promise.all(callers.map(async (caller) => (caller.client = await t.login(caller.username))));
  const campaign = await makeCampaign(db);
  ids.accountId = String((await makeAccount(db, { unitCode: chain.school, role: 'operator' })).id);
  const [record] = await db.insert(staff).values({ campaignId: campaign.id, schoolCode: chain.school, ...validStaffValues(1) }).returning();
  ids.staffId = String(record.id);
  const [upload] = await db
    .insert(imports)
    .values({ campaignId: campaign.id, schoolCode: chain.school, fileName: 'x.xlsx', fileSize: 1, fileSha256: '0'.repeat(64), mode: 'lenient', status: 'previewed', counts: { new: 1, changed: 0, unchanged: 0, invalid: 0, conflicts: 0 }, uploadedBy: 1 })
    .returning();
  ids.importId = String(upload.id);
  const [correction] = await db.insert(correctionRequests).values({ staffId: record.id, fields: [] }).returning();
  ids.correctionId = String(correction.id);
  const [pkg] = await db
    .insert(packages)
    .values({ campaignId: campaign.id, unitCode: chain.school, receiverCode: chain.county, versionNo: 1, status: 'submitted', recordCount: 1, expectedCount: 1, contentHash: '0'.repeat(64), signedBy: 1, signedAt: new Date(), submittedBy: 1 })
    .returning();
  ids.packageId = String(pkg.id);
  const [conflict] = await db
    .insert(idConflicts)
    .values({ campaignId: campaign.id, idNumber: validStaffValues(1).idNumber, holderStaffId: record.id, holderSchoolCode: chain.school, claimantSchoolCode: chain.school })
    .returning();
  ids.conflictId = String(conflict.id);
  const [unlock] = await db.insert(unlockRequests).values({ campaignId: campaign.id, unitCode: chain.school, reason: 'x', createdBy: 1 }).returning();
  ids.unlockId = String(unlock.id);
  const [bulletin] = await db
    .insert(bulletins)
    .values({ campaignId: campaign.id, title: '通报', asOf: campaign.startsOn, status: 'published', weights: { completion: 0.5, timeliness: 0.3, quality: 0.2 }, watchRule: { bottom: 3, belowScore: 60 }, rows: [], createdBy: 1, publishedAt: new Date() })
    .returning();
  ids.bulletinId = String(bulletin.id);
  const [question] = await db
    .insert(questions)
    .values({ askerCode: chain.school, askedBy: 1, title: '问题', body: '内容', category: 'data', status: 'open', holderCode: chain.county })
    .returning();
  ids.questionId = String(question.id);
  const [file] = await db.insert(storedFiles).values({ name: 'a.txt', contentType: 'text/plain', size: 1, sha256: '0'.repeat(64), content: Buffer.from('a') }).returning();
  const [attachment] = await db.insert(questionAttachments).values({ questionId: question.id, fileId: file.id, unitCode: chain.school, uploadedBy: 1 }).returning();
  ids.attachmentId = String(attachment.id);
  const [libraryFile] = await db.insert(libraryFiles).values({ unitCode: chain.county, title: '资料', fileId: file.id, uploadedBy: 1 }).returning();
  ids.fileId = String(libraryFile.id);
  const [foreignFile] = await db.insert(libraryFiles).values({ unitCode: '430202', title: '资料', fileId: file.id, uploadedBy: 1 }).returning();
  foreignLibraryFile = String(foreignFile.id);
  ids.issue = '1';
  ids.taskKey = 'county-1';
  const document = (await t.anonymous().get('/api/docs/json')).json() as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(document.paths)
    .filter(([path]) => !path.startsWith('/api/docs'))
    .flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path, params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]) })),
    );
}, 120_000);
afterAll(() => t.close());


/** Valid bodies for some writes, so that a caller without the right is refused for the right, not the body. */
const bodies: Record<string, unknown> = {
  'POST /api/units/{code}/tasks/{taskKey}/done': { doneOn: new Date().toISOString().slice(0, 10), note: '培训已开展' },
  'POST /api/units/{code}/unlock-requests': { reason: '更正数据' },
  'POST /api/units/{code}/questions': { title: '问题', body: '内容', category: 'data' },
  'PUT /api/units/{code}/weekly-reports/{issue}/remarks': { remarks: '备注' },
  'POST /api/units/{code}/announcements': { title: '公告', body: '内容' },
};

const levelsAtOrAbove = (kind: Level): Level[] => (['province', 'prefecture', 'county', 'school'] as Level[]).slice(0, ['province', 'prefecture', 'county', 'school'].indexOf(kind) + 1);

/** What the table says one caller should hear, as a check on the status and body. */
function expected(key: string, hasPathId: boolean, caller: (typeof callers)[number] | undefined): { outcome: 'public' | 'unauthenticated' | 'hidden' | 'allowed' | 'forbidden'; mayBeAbsent?: boolean } {
  const rule = routeMatrix[key];
  if ('public' in rule) return { outcome: 'public' };
  if ('confirmationToken' in rule || !caller) return { outcome: 'unauthenticated' };
  if (hasPathId) {
    const seenBy = rule.seenBy ?? levelsAtOrAbove(rule.target ?? 'school');
    const visible = (caller.onChain || rule.provinceWide === true) && seenBy.includes(caller.level);
    if (!visible) return { outcome: 'hidden' };
  }
  const allowed = rule.levels.includes(caller.level) && rule.roles.includes(caller.role);
  return allowed ? { outcome: 'allowed', mayBeAbsent: rule.mayBeAbsent !== undefined } : { outcome: 'forbidden' };
}

function mismatch(method: string, validBody: boolean, outcome: ReturnType<typeof expected>, status: number, body: string): string | undefined {
  switch (outcome.outcome) {
    case 'public':
      return status === 401 || status >= 500 ? `public, answered ${status}` : undefined;
    case 'unauthenticated':
      return status === 401 ? undefined : `expected 401, answered ${status}`;
    case 'hidden': {
      if (status !== 404) return `out of scope, expected 404, answered ${status}`;
      const keys = Object.keys(JSON.parse(body) as object);
      return keys.length === 1 && keys[0] === 'error' ? undefined : `out of scope, 404 carries ${keys.join(', ')}`;
    }
    case 'allowed':
      if (status === 404 && outcome.mayBeAbsent) return undefined;
      return [401, 403, 404].includes(status) || status >= 500 ? `allowed, answered ${status}` : undefined;
    case 'forbidden':
      // A write with an empty body may be refused (400) before the role is weighed: it writes nothing either way.
      return status === 403 || (status === 400 && method !== 'GET' && !validBody) ? undefined : `forbidden, expected 403, answered ${status}`;
  }
}

describe('the authorisation matrix', () => {
  it('has one row for every route of the OpenAPI document and none for a route that is gone', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(Object.keys(bodies).filter((key) => !keys.includes(key)), 'bodies for routes that are gone').toEqual([]);
    expect(keys.filter((key) => !(key in routeMatrix)), 'routes without a row in routeMatrix').toEqual([]);
    expect(Object.keys(routeMatrix).filter((key) => !keys.includes(key)), 'rows of routeMatrix without a route').toEqual([]);
  });

  it('hides another county\'s library file from a county and its schools', async () => {
    for (const caller of callers.filter((c) => c.onChain && (c.level === 'county' || c.level === 'school'))) {
      const response = await caller.client.get(`/api/library-files/${foreignLibraryFile}`);
      expect(response.statusCode, `${caller.role}@${caller.unit}`).toBe(404);
    }
  });

  it('answers every route as the table says, for every role at every level, in and out of scope and anonymous', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    // Signing out ends the caller's session: it goes last.
    const ordered = [...routes.filter((r) => r.path !== '/api/auth/logout'), ...routes.filter((r) => r.path === '/api/auth/logout')];
    for (const route of ordered) {
      const key = `${route.method} ${route.path}`;
      const rule = routeMatrix[key];
      if (!rule) continue;
      const target = 'levels' in rule ? (rule.target ?? 'school') : 'school';
      const url = route.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'code' ? chain[target] : ids[name]));
      const body = route.method === 'GET' ? undefined : (bodies[key] ?? {});
      const hasPathId = route.params.length > 0;
      const ask = async (caller: (typeof callers)[number] | undefined) => {
        const response = await (caller?.client ?? t.anonymous()).request(route.method as 'GET', url, body);
        const problem = mismatch(route.method, key in bodies, expected(key, hasPathId, caller), response.statusCode, response.body);
        if (problem) mismatches.push(`${key} as ${caller ? `${caller.role}@${caller.unit}` : 'anonymous'}: ${problem}`);
        checked += 1;
      };
      // Reads go out together; writes one after another, so each caller meets the state the last one left.
      if (route.method === 'GET') await Promise.all([undefined, ...callers].map(ask));
      else for (const caller of [undefined, ...callers]) await ask(caller);
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(routes.length * (callers.length + 1));
  }, 240_000);

});
