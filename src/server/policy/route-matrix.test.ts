import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, multipart, type TestApp, type TestClient } from '../test/app.ts';
import { bulletins, correctionRequests, idConflicts, imports, packages, staff, taskCompletions, unlockRequests } from '../db/schema.ts';
import { announcements, faqEntries, libraryFiles, questionAttachments, storedFiles } from '../db/schema.ts';
import { makeAccount, makeCampaign, makeSchool, testPassword, validStaffValues } from '../test/factories.ts';
import { schoolCode } from '../demo/school-names.ts';
import { chinaDay } from '../../standard/normalize.ts';
import type { Role } from '../../contract/roles.ts';
import { routeMatrix, type Level } from './route-matrix.ts';
import { createCampaign } from '../campaign/campaigns.service.ts';

const roles: Role[] = ['admin', 'operator', 'leader', 'viewer'];
const chain = { province: '430000', prefecture: '430100', county: '430102', school: '2430102001' } as const;
const elsewhere = { county: '430103', prefecture: '430200' } as const;
/** A university (高等学校) of the province: off the chain above, it reports straight to the province. */
const university = schoolCode('higher_ed', '430102', 1);

type Caller = { unit: string; level: Level; onChain: boolean; role: Role; username: string; client: TestClient };

let t: TestApp;
let routes: { method: string; path: string; params: string[] }[];
const callers: Caller[] = [];
const ids: Record<string, string> = {};
let foreignLibraryFile: string;
let campaignId: number;
let campaignStartsOn: string;
/** A confirmation slip's code and ID suffix, so the public sign-in of a staff member is sent what it needs. */
let slip: { code: string; idSuffix: string };
let loginName: string;
let schoolTemplate: Buffer;
let schoolListTemplate: Buffer;
/** Serials for staff records made along the way (ID numbers stay distinct). */
let serial = 100;

async function insertAnnouncement(unitCode: string) {
  const [row] = await t.database.db.insert(announcements).values({ unitCode, title: '公告', body: '内容', createdBy: 1 }).returning();
  return row;
}

async function insertFaqEntry(unitCode: string) {
  const [row] = await t.database.db.insert(faqEntries).values({ unitCode, category: 'data', title: '常见问题', question: '问', answer: '答', publishedBy: 1 }).returning();
  return row;
}

/** A library file with bytes of its own, as an upload stores it. */
async function insertLibraryFile(unitCode: string) {
  const db = t.database.db;
  const [file] = await db.insert(storedFiles).values({ name: 'a.txt', contentType: 'text/plain', size: 1, sha256: '0'.repeat(64), content: Buffer.from('a') }).returning();
  const [row] = await db.insert(libraryFiles).values({ unitCode, title: '资料', fileId: file.id, uploadedBy: 1 }).returning();
  return row;
}

async function insertStaff(schoolCode: string) {
  serial += 1;
  const [row] = await t.database.db.insert(staff).values({ campaignId, schoolCode, ...validStaffValues(serial) }).returning();
  return row;
}

/** A question the school asks through its route (so the county's queue holds it on record), in the county's queue. */
async function askQuestion(): Promise<{ id: number }> {
  const asker = callers.find((c) => c.unit === chain.school && c.role === 'operator')!.client;
  const response = await asker.post(`/api/units/${chain.school}/questions`, { title: '问题', body: '内容', category: 'data' });
  if (response.statusCode !== 201) throw new Error(`asking answered ${response.statusCode} ${response.body}`);
  return response.json() as { id: number };
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await makeSchool(db, { countyCode: '430102', serial: 1 });
  await makeSchool(db, { countyCode: '430202', serial: 1 });
  await makeSchool(db, { countyCode: '430102', schoolType: 'higher_ed', serial: 1 });
  const units = [
    ...Object.entries(chain).map(([level, unit]) => ({ level, unit, onChain: true })),
    ...Object.entries(elsewhere).map(([level, unit]) => ({ level, unit, onChain: false })),
    { level: 'university', unit: university, onChain: false },
  ];
  for (const { level, unit, onChain } of units) {
    for (const role of roles) {
      const account = await makeAccount(db, { unitCode: unit, role });
      callers.push({ unit, level: level as Level, onChain, role, client: t.anonymous(), username: account.username });
    }
  }
  // The matrix is about what each role may do, not about signing in (its public login route does that).
  await Promise.all(callers.map(async (caller) => (caller.client = await t.sessionOf(caller.username))));
  const campaign = await makeCampaign(db);
  campaignId = campaign.id;
  campaignStartsOn = campaign.startsOn;
  loginName = (await makeAccount(db, { unitCode: chain.school, role: 'viewer' })).username;
  ids.accountId = String((await makeAccount(db, { unitCode: chain.school, role: 'operator' })).id);
  const record = await insertStaff(chain.school);
  ids.staffId = String(record.id);
  const [upload] = await db
    .insert(imports)
    .values({ campaignId, schoolCode: chain.school, fileName: 'x.xlsx', fileSize: 1, fileSha256: '0'.repeat(64), mode: 'lenient', status: 'previewed', counts: { new: 1, changed: 0, unchanged: 0, invalid: 0, conflicts: 0 }, uploadedBy: 1 })
    .returning();
  ids.importId = String(upload.id);
  const [correction] = await db.insert(correctionRequests).values({ staffId: record.id, fields: [] }).returning();
  ids.correctionId = String(correction.id);
  const [pkg] = await db
    .insert(packages)
    .values({ campaignId, unitCode: chain.school, receiverCode: chain.county, versionNo: 1, status: 'submitted', recordCount: 1, expectedCount: 1, contentHash: '0'.repeat(64), signedBy: 1, signedAt: new Date(), submittedBy: 1 })
    .returning();
  ids.packageId = String(pkg.id);
  // Releasing a conflict deletes the holder's record: it holds a record of its own.
  const holder = await insertStaff(chain.school);
  const [conflict] = await db
    .insert(idConflicts)
    .values({ campaignId, idNumber: holder.idNumber!, holderStaffId: holder.id, holderSchoolCode: chain.school, claimantSchoolCode: chain.school })
    .returning();
  ids.conflictId = String(conflict.id);
  const [unlock] = await db.insert(unlockRequests).values({ campaignId, unitCode: chain.school, reason: 'x', createdBy: 1 }).returning();
  ids.unlockId = String(unlock.id);
  const [bulletin] = await db
    .insert(bulletins)
    .values({ campaignId, title: '通报', asOf: campaign.startsOn, status: 'published', weights: { completion: 0.5, timeliness: 0.3, quality: 0.2 }, watchRule: { bottom: 3, belowScore: 60 }, rows: [], createdBy: 1, publishedAt: new Date() })
    .returning();
  ids.bulletinId = String(bulletin.id);
  const question = await askQuestion();
  ids.questionId = String(question.id);
  const [file] = await db.insert(storedFiles).values({ name: 'a.txt', contentType: 'text/plain', size: 1, sha256: '0'.repeat(64), content: Buffer.from('a') }).returning();
  const [attachment] = await db.insert(questionAttachments).values({ questionId: question.id, fileId: file.id, unitCode: chain.school, uploadedBy: 1 }).returning();
  ids.attachmentId = String(attachment.id);
  const [libraryFile] = await db.insert(libraryFiles).values({ unitCode: chain.county, title: '资料', fileId: file.id, uploadedBy: 1 }).returning();
  ids.fileId = String(libraryFile.id);
  const [foreignFile] = await db.insert(libraryFiles).values({ unitCode: '430202', title: '资料', fileId: file.id, uploadedBy: 1 }).returning();
  foreignLibraryFile = String(foreignFile.id);
  ids.issue = '1';
  // The school's own manual task (培训), which the school marks and its county may mark on its behalf.
  ids.taskKey = 'school-1';
  // A draft campaign: starting it meets the running one (409), closing it is refused (409), its plan takes edits.
  ids.campaignId = String((await createCampaign(db, { actor: null }, { year: 2030, startsOn: '2030-09-02' })).id);

  const schoolOperator = callers.find((c) => c.unit === chain.school && c.role === 'operator')!.client;
  const provinceAdmin = callers.find((c) => c.unit === chain.province && c.role === 'admin')!.client;
  // A slip for a record of its own, so the staff member's sign-in is sent a code that opens it.
  const slipRecord = await insertStaff(chain.school);
  const issued = await schoolOperator.post(`/api/schools/${chain.school}/confirmation-codes`, { ids: [slipRecord.id] });
  slip = { code: (issued.json() as { issued: { code: string }[] }).issued[0].code, idSuffix: slipRecord.idNumber!.slice(-6) };
  schoolTemplate = (await schoolOperator.get(`/api/schools/${chain.school}/template`)).rawPayload;
  schoolListTemplate = (await provinceAdmin.get('/api/schools/import-template')).rawPayload;

  const document = (await t.anonymous().get('/api/docs/json')).json() as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(document.paths)
    .filter(([path]) => !path.startsWith('/api/docs'))
    .flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path, params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]) })),
    );
}, 120_000);
afterAll(() => t.close());

const today = () => chinaDay(new Date());

/** The school's training task marked done, as the undo of every caller meets it (and the file upload after). */
async function markSchoolTraining() {
  await t.database.db
    .insert(taskCompletions)
    .values({ campaignId, unitCode: chain.school, taskKey: 'school-1', doneOn: today(), note: '培训已开展', doneBy: 1 })
    .onConflictDoNothing();
  return {};
}
const textFile = (name: string) => multipart({ name, content: Buffer.from('芙蓉区实施方案\n') }, { title: '实施方案' });
const person = { name: '张三', title: '科长', officePhone: '0731-84720000', mobile: '13812345678', email: 'zhang@example.cn' };
/** A county the caller may place a school in (a school caller may place none: it is refused for its role first). */
const countyOf = (caller: Caller | undefined) =>
  caller?.level === 'county' ? caller.unit : caller?.unit === elsewhere.prefecture ? '430202' : chain.county;

type WriteInput = { caller: Caller | undefined; serial: number; ids: Record<string, string> };

/**
 * What every write is sent: a body valid for its route's schema (built for the caller where the route takes a
 * unit or a name of the caller's own), a query the route requires, or a small valid file for an upload. So a
 * caller without the right is refused for the right (403), never for the body (400).
 */
type Write = {
  body?: (input: WriteInput) => unknown;
  query?: (input: WriteInput) => string;
  upload?: () => { payload: Buffer; headers: Record<string, string> };
  /** Path ids fixed for this route. */
  ids?: Record<string, string>;
  /** Fresh path ids before every caller: the write consumes its target, and each caller must meet one. */
  fresh?: () => Promise<Record<string, string>>;
};

const writes: Record<string, Write> = {
  'POST /api/auth/login': { body: () => ({ username: loginName, password: testPassword }) },
  'POST /api/auth/logout': {},
  'POST /api/auth/password': { body: () => ({ currentPassword: testPassword, newPassword: 'renewed2026' }) },
  'POST /api/schools': {
    body: ({ caller, serial: n }) => ({ code: schoolCode('k12', countyOf(caller), 100 + n), name: `新建学校${n}`, schoolType: 'k12', countyCode: countyOf(caller), expectedStaff: 10 }),
  },
  'POST /api/schools/import': { upload: () => multipart({ name: '学校名单.xlsx', content: schoolListTemplate }) },
  'PATCH /api/schools/{code}': { body: () => ({ version: 1, expectedStaff: 60 }) },
  // A version no school has (and a merge into itself): an allowed caller hears 409 or 400, and the school stays open.
  'POST /api/schools/{code}/close': { body: () => ({ closedOn: today(), reason: '撤并', version: 999_999 }) },
  'POST /api/schools/{code}/merge': { body: () => ({ closedOn: today(), reason: '撤并', version: 999_999, into: chain.school }) },
  'POST /api/accounts': {
    body: ({ caller, serial: n }) => ({ username: `matrix-made-${n}`, displayName: '新账号', role: 'viewer', unitCode: caller?.unit ?? chain.school, password: 'Census-Made-2026' }),
  },
  'PATCH /api/accounts/{accountId}': { body: () => ({ version: 1, displayName: '改名' }) },
  'POST /api/accounts/{accountId}/reset-password': { body: () => ({ password: 'Renewed-by-2026' }) },
  'POST /api/accounts/{accountId}/unlock': {},
  // A reset of the caller's own unit would end the matrix callers' sessions: a unit that does not exist (404 when allowed).
  'POST /api/accounts/bulk-reset': { body: () => ({ unitCodes: ['2430102999'] }) },
  'POST /api/accounts/bulk-unlock': { body: ({ caller }) => ({ unitCodes: [caller?.unit ?? chain.school] }) },
  'POST /api/units/{code}/tasks/{taskKey}/done': { body: () => ({ doneOn: today(), note: '培训已开展' }) },
  'DELETE /api/units/{code}/tasks/{taskKey}/done': { fresh: markSchoolTraining },
  'POST /api/units/{code}/tasks/{taskKey}/file': { upload: () => textFile('实施方案.txt') },
  'PUT /api/campaigns/current/plan': { body: () => ({ levels: {} }) },
  'POST /api/campaigns': { body: () => ({ year: 2031, startsOn: '2031-09-01' }) },
  'POST /api/campaigns/{campaignId}/start': {},
  'POST /api/campaigns/{campaignId}/close': {},
  'PUT /api/campaigns/{campaignId}/plan': { body: () => ({ levels: {} }) },
  'POST /api/schools/{code}/staff': { body: ({ serial: n }) => ({ values: validStaffValues(300 + n) }) },
  'POST /api/schools/{code}/staff/transitions': { body: ({ ids: current }) => ({ event: 'send_for_confirmation', ids: [Number(current.staffId)] }) },
  'PATCH /api/staff/{staffId}': { body: () => ({ version: 1, values: { name: '改名教师' } }) },
  'DELETE /api/staff/{staffId}': {
    query: () => '?version=1',
    fresh: async () => ({ staffId: String((await insertStaff(chain.school)).id) }),
  },
  'POST /api/staff/{staffId}/reveal': {},
  'POST /api/staff/{staffId}/transitions': { body: () => ({ event: 'send_for_confirmation', version: 1 }) },
  'POST /api/corrections/{correctionId}/accept': {},
  'POST /api/corrections/{correctionId}/reject': { body: () => ({ reason: '信息无误' }) },
  'POST /api/schools/{code}/confirmation-codes': { body: ({ ids: current }) => ({ ids: [Number(current.staffId)] }) },
  'POST /api/schools/{code}/imports': { upload: () => multipart({ name: '教职工.xlsx', content: schoolTemplate }) },
  'POST /api/imports/{importId}/commit': {},
  'POST /api/confirm/session': { body: () => slip },
  'POST /api/confirm/confirm': {},
  'POST /api/confirm/corrections': { body: () => ({ fields: [{ field: 'name', value: '新名字', note: '改名' }] }) },
  'POST /api/units/{code}/signoff': { body: () => ({ explanation: '人数相符' }) },
  'POST /api/units/{code}/packages': {},
  'POST /api/packages/{packageId}/approve': {},
  'POST /api/packages/{packageId}/return': { body: () => ({ category: 'data_error', reason: '数据有误' }) },
  'POST /api/packages/{packageId}/reopen': { body: () => ({ reason: '抽查发现问题' }) },
  'POST /api/units/{code}/unlock-requests': { body: () => ({ reason: '更正数据' }) },
  'POST /api/unlock-requests/{unlockId}/grant': { body: () => ({ answer: '同意' }) },
  'POST /api/unlock-requests/{unlockId}/refuse': { body: () => ({ answer: '不同意' }) },
  'POST /api/conflicts/{conflictId}/release': { body: () => ({ note: '已调出' }) },
  'POST /api/conflicts/{conflictId}/withdraw': { body: () => ({ note: '申报有误' }) },
  'POST /api/notifications/read': { body: () => ({}) },
  'POST /api/bulletins': { body: () => ({ asOf: campaignStartsOn, title: '第二期通报' }) },
  'PATCH /api/bulletins/{bulletinId}': { body: () => ({ version: 1, title: '通报（修改）' }) },
  'DELETE /api/bulletins/{bulletinId}': {},
  'POST /api/bulletins/{bulletinId}/publish': { body: () => ({ version: 1 }) },
  'PUT /api/units/{code}/weekly-reports/{issue}/remarks': { body: () => ({ remarks: '备注' }) },
  'POST /api/units/{code}/weekly-reports/{issue}/signatures': {
    // Each role signs its own step; a viewer tries the first.
    body: ({ caller }) => ({ step: caller?.role === 'leader' ? 'bureau_leader' : caller?.role === 'admin' ? 'department_head' : 'preparer', signerName: '李四' }),
  },
  'POST /api/units/{code}/weekly-reports/{issue}/submit': {},
  'POST /api/units/{code}/questions': { body: () => ({ title: '问题', body: '内容', category: 'data' }) },
  'POST /api/questions/{questionId}/answer': { body: () => ({ body: '答复' }) },
  // Escalating moves the question to the prefecture's queue: every caller meets one still in the county's.
  'POST /api/questions/{questionId}/escalate': { body: () => ({ note: '请上级答复' }), fresh: async () => ({ questionId: String((await askQuestion()).id) }) },
  'POST /api/questions/{questionId}/close': {},
  'POST /api/questions/{questionId}/follow-up': { body: () => ({ body: '追问' }) },
  'POST /api/questions/{questionId}/faq': { body: () => ({ title: '常见问题', answer: '答复' }) },
  'POST /api/questions/{questionId}/attachments': { upload: () => textFile('说明.txt') },
  'POST /api/units/{code}/announcements': { body: () => ({ title: '公告', body: '内容' }) },
  'DELETE /api/announcements/{announcementId}': { fresh: async () => ({ announcementId: String((await insertAnnouncement(chain.county)).id) }) },
  'DELETE /api/library-files/{fileId}': { fresh: async () => ({ fileId: String((await insertLibraryFile(chain.county)).id) }) },
  'DELETE /api/faq/{faqId}': { fresh: async () => ({ faqId: String((await insertFaqEntry(chain.county)).id) }) },
  'POST /api/units/{code}/library': { upload: () => textFile('指南.txt') },
  'PUT /api/units/{code}/contacts': { body: () => ({ department: '人事科', leader: person, head: person, liaison: person }) },
  'PUT /api/units/{code}/working-group': { body: () => ({ members: [{ role: 'leader', name: '张三', post: '局长', phone: '13812345678' }] }) },
};

/**
 * Callers who, for a stated reason, are not refused with 403 although the table forbids them: none today.
 * Each entry names the route, the callers (as `role@unit`) and the status they hear instead.
 */
const forbiddenExceptions: Record<string, { callers: string[]; status: number; reason: string }> = {};

const levelsAtOrAbove = (kind: Level): Level[] => (['province', 'prefecture', 'county', 'school'] as Level[]).slice(0, ['province', 'prefecture', 'county', 'school'].indexOf(kind) + 1);

/** What the table says one caller should hear, as a check on the status and body. */
function expected(key: string, hasPathId: boolean, caller: Caller | undefined): { outcome: 'public' | 'unauthenticated' | 'hidden' | 'allowed' | 'forbidden'; mayBeAbsent?: boolean } {
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

function mismatch(key: string, who: string, outcome: ReturnType<typeof expected>, status: number, body: string): string | undefined {
  switch (outcome.outcome) {
    case 'public':
      // Public routes are sent what opens them (a real login, a real slip): they answer 2xx.
      return status >= 200 && status < 300 ? undefined : `public, answered ${status}`;
    case 'unauthenticated':
      return status === 401 ? undefined : `expected 401, answered ${status}`;
    case 'hidden': {
      if (status !== 404) return `out of scope, expected 404, answered ${status}`;
      const keys = Object.keys(JSON.parse(body) as object);
      return keys.length === 1 && keys[0] === 'error' ? undefined : `out of scope, 404 carries ${keys.join(', ')}`;
    }
    case 'allowed':
      // A write may still be refused for the state it meets (409, 400, 422): never for who is asking.
      if (status === 404 && outcome.mayBeAbsent) return undefined;
      return [401, 403, 404].includes(status) || status >= 500 ? `allowed, answered ${status}` : undefined;
    case 'forbidden': {
      const exception = forbiddenExceptions[key];
      if (exception?.callers.includes(who) && status === exception.status) return undefined;
      return status === 403 ? undefined : `forbidden, expected 403, answered ${status}`;
    }
  }
}

describe('the authorisation matrix', () => {
  it('has one row for every route of the OpenAPI document and none for a route that is gone', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(keys.filter((key) => !(key in routeMatrix)), 'routes without a row in routeMatrix').toEqual([]);
    expect(Object.keys(routeMatrix).filter((key) => !keys.includes(key)), 'rows of routeMatrix without a route').toEqual([]);
  });

  it('sends every write what its route takes, and names none that is gone', () => {
    const writeKeys = routes.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    expect(writeKeys.filter((key) => !(key in writes)), 'writes without an entry in `writes`').toEqual([]);
    expect(Object.keys(writes).filter((key) => !writeKeys.includes(key)), 'entries of `writes` without a route').toEqual([]);
    expect(Object.keys(forbiddenExceptions).filter((key) => !routes.some((r) => `${r.method} ${r.path}` === key)), 'exceptions without a route').toEqual([]);
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
    let made = 0;
    // Signing out ends the caller's session: it goes last.
    const ordered = [...routes.filter((r) => r.path !== '/api/auth/logout'), ...routes.filter((r) => r.path === '/api/auth/logout')];
    for (const route of ordered) {
      const key = `${route.method} ${route.path}`;
      const rule = routeMatrix[key];
      if (!rule) continue;
      const write = route.method === 'GET' ? undefined : (writes[key] ?? {});
      const target = 'levels' in rule ? (rule.target ?? 'school') : 'school';
      const hasPathId = route.params.length > 0;
      const ask = async (caller: Caller | undefined) => {
        const current = { ...ids, ...write?.ids, ...(write?.fresh ? await write.fresh() : {}) };
        made += 1;
        const input = { caller, serial: made, ids: current };
        const url = route.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'code' ? chain[target] : current[name])) + (write?.query?.(input) ?? '');
        const client = caller?.client ?? t.anonymous();
        const upload = write?.upload?.();
        const response = upload
          ? await client.request(route.method as 'POST', url, upload.payload, { headers: upload.headers })
          : await client.request(route.method as 'GET', url, write ? (write.body?.(input) ?? {}) : undefined);
        const who = caller ? `${caller.role}@${caller.unit}` : 'anonymous';
        const problem = mismatch(key, who, expected(key, hasPathId, caller), response.statusCode, response.body);
        if (problem) mismatches.push(`${key} as ${who}: ${problem}`);
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
