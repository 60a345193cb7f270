import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { eq } from 'drizzle-orm';
import { createTestApp, multipart, type TestApp, type TestClient } from '../test/app.ts';
import { bulletins, correctionRequests, idConflicts, imports, libraryFiles, packages, questionAttachments, staff, storedFiles, unlockRequests } from '../db/schema.ts';
import { makeAccount, makeCampaign, makeSchool, testPassword, validStaffValues } from '../test/factories.ts';
import { createCampaign } from '../campaign/campaigns.service.ts';
import type { Role } from '../../contract/roles.ts';
import type { UnitKind } from '../../contract/unit-tree.ts';
import { routeMatrix, type Level } from './route-matrix.ts';

/**
 * Bad input, generated from the OpenAPI document: every route, called by a caller the table allows in scope,
 * with malformed JSON, bodies of the wrong type, nonsense path ids and garbage query strings. No answer may be
 * a 5xx, and every refusal carries the one error shape with a message in Chinese and English.
 */
const chain = { province: '430000', prefecture: '430100', county: '430102', school: '2430102001' } as const;
const levels = ['province', 'prefecture', 'county', 'school'] as const satisfies readonly Level[];
/** Tried in this order: the first one the table allows in scope calls the route. */
const preference: Role[] = ['admin', 'operator', 'leader', 'viewer'];

type Route = { method: string; path: string; params: string[]; query: string[] };
type Caller = { level: Level; role: Role; username: string; client: TestClient };

let t: TestApp;
let routes: Route[];
const callers: Caller[] = [];
const ids: Record<string, string> = { issue: '1', taskKey: 'county-1' };

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await makeSchool(db, { countyCode: '430102', serial: 1 });
  for (const level of levels) {
    for (const role of preference) {
      const account = await makeAccount(db, { unitCode: chain[level], role });
      callers.push({ level, role, username: account.username, client: await t.sessionOf(account.username) });
    }
  }
  const campaign = await makeCampaign(db);
  ids.accountId = String((await makeAccount(db, { unitCode: chain.school, role: 'operator' })).id);
  const [record] = await db.insert(staff).values({ campaignId: campaign.id, schoolCode: chain.school, ...validStaffValues(1) }).returning();
  ids.staffId = String(record.id);
  const [upload] = await db
    .insert(imports)
    .values({ campaignId: campaign.id, schoolCode: chain.school, fileName: 'x.xlsx', fileSize: 1, fileSha256: '0'.repeat(64), mode: 'lenient', status: 'previewed', counts: { new: 0, changed: 0, unchanged: 0, invalid: 0, conflicts: 0 }, uploadedBy: 1 })
    .returning();
  ids.importId = String(upload.id);
  ids.correctionId = String((await db.insert(correctionRequests).values({ staffId: record.id, fields: [] }).returning())[0].id);
  const [pkg] = await db
    .insert(packages)
    .values({ campaignId: campaign.id, unitCode: chain.school, receiverCode: chain.county, versionNo: 1, status: 'returned', recordCount: 1, expectedCount: 1, contentHash: '0'.repeat(64), signedBy: 1, signedAt: new Date(), submittedBy: 1 })
    .returning();
  ids.packageId = String(pkg.id);
  const [conflict] = await db
    .insert(idConflicts)
    .values({ campaignId: campaign.id, idNumber: record.idNumber!, holderStaffId: record.id, holderSchoolCode: chain.school, claimantSchoolCode: chain.school })
    .returning();
  ids.conflictId = String(conflict.id);
  ids.unlockId = String((await db.insert(unlockRequests).values({ campaignId: campaign.id, unitCode: chain.school, reason: 'x', createdBy: 1 }).returning())[0].id);
  const [bulletin] = await db
    .insert(bulletins)
    .values({ campaignId: campaign.id, title: '通报', asOf: campaign.startsOn, status: 'draft', weights: { completion: 0.5, timeliness: 0.3, quality: 0.2 }, watchRule: { bottom: 3, belowScore: 60 }, rows: [], createdBy: 1, publishedAt: new Date() })
    .returning();
  ids.bulletinId = String(bulletin.id);
  // A draft campaign, so that starting or closing it leaves the running one alone.
  ids.campaignId = String((await createCampaign(db, { actor: null }, { year: 2030, startsOn: '2030-09-02' })).id);
  const asker = callers.find((c) => c.level === 'school' && c.role === 'operator')!.client;
  const question = (await asker.post(`/api/units/${chain.school}/questions`, { title: '问题', body: '内容', category: 'data' })).json() as { id: number };
  ids.questionId = String(question.id);
  const [file] = await db.insert(storedFiles).values({ name: 'a.txt', contentType: 'text/plain', size: 1, sha256: '0'.repeat(64), content: Buffer.from('a') }).returning();
  ids.attachmentId = String((await db.insert(questionAttachments).values({ questionId: question.id, fileId: file.id, unitCode: chain.school, uploadedBy: 1 }).returning())[0].id);
  ids.fileId = String((await db.insert(libraryFiles).values({ unitCode: chain.county, title: '资料', fileId: file.id, uploadedBy: 1 }).returning())[0].id);

  const document = (await t.anonymous().get('/api/docs/json')).json() as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
  routes = Object.entries(document.paths)
    .filter(([path]) => !path.startsWith('/api/docs'))
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
        query: (operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
      })),
    );
}, 120_000);
afterAll(() => t.close());

const levelsAtOrAbove = (kind: UnitKind): Level[] => levels.slice(0, levels.indexOf(kind) + 1);

/** The caller the table allows to call the route in scope (anonymous for public and token routes), and the unit its `code` names. */
function callerFor(key: string): { caller: Caller | undefined; code: string } {
  const rule = routeMatrix[key];
  if (!('levels' in rule)) return { caller: undefined, code: chain.school };
  const target = rule.target ?? 'school';
  const seenBy = rule.seenBy ?? levelsAtOrAbove(target);
  for (const role of preference) {
    for (const level of levels) {
      if (rule.levels.includes(level) && rule.roles.includes(role) && seenBy.includes(level)) {
        return { caller: callers.find((c) => c.level === level && c.role === role), code: chain[target] };
      }
    }
  }
  throw new Error(`no caller is allowed ${key}`);
}

/** Path ids that name nothing: not a number, negative, beyond any integer column, zero, one past int4. */
const nonsenseIds = ['abc', '-1', '99999999999999999999', '0', '2147483648'];
const garbageQuery = '?page=-1&pageSize=100000&status=nonsense&from=notadate';
/** Each declared query parameter on its own: not of its type, negative, past every integer, the largest safe integer, an impossible date, empty. */
const nonsenseValues = ['nonsense', '-1', '99999999999999999999', '9007199254740991', '9999-99-99', ''];

/** Why an answer breaks the rule (a 5xx, or a refusal without the bilingual error shape), or undefined. */
function problemWith(response: LightMyRequestResponse): string | undefined {
  if (response.statusCode >= 500) return `answered ${response.statusCode}: ${response.body.slice(0, 200)}`;
  if (response.statusCode < 400) return undefined;
  if (!String(response.headers['content-type']).startsWith('application/json')) return `${response.statusCode} without a JSON body`;
  const { error } = response.json() as { error?: { code?: unknown; message?: unknown; messages?: { zh?: unknown; en?: unknown } } };
  const text = (value: unknown) => typeof value === 'string' && value.trim().length > 0;
  if (!error || !text(error.code) || !text(error.message) || !text(error.messages?.zh) || !text(error.messages?.en)) {
    return `${response.statusCode} without { error: { code, message, messages: { zh, en } } }: ${response.body.slice(0, 200)}`;
  }
  return undefined;
}

/** Integers the schemas take (safe integers) but the database's integer columns do not hold. */
const largeIntegers = [2_147_483_648, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
const person = { name: '张三', title: '科长', officePhone: '0731-84720000', mobile: '13812345678', email: 'zhang@example.cn' };
/** Writes whose bodies carry a version or ids, each otherwise valid, with `n` where the integer goes. */
const integerBodies: Record<string, (n: number) => unknown> = {
  'PATCH /api/schools/{code}': (n) => ({ version: n, expectedStaff: 1 }),
  'PATCH /api/accounts/{accountId}': (n) => ({ version: n, displayName: '改名' }),
  'PATCH /api/staff/{staffId}': (n) => ({ version: n, values: { name: '改名' } }),
  'POST /api/staff/{staffId}/transitions': (n) => ({ event: 'send_for_confirmation', version: n }),
  'POST /api/schools/{code}/staff/transitions': (n) => ({ event: 'send_for_confirmation', ids: [n] }),
  'POST /api/schools/{code}/confirmation-codes': (n) => ({ ids: [n] }),
  'POST /api/notifications/read': (n) => ({ id: n }),
  'POST /api/packages/{packageId}/return': (n) => ({ category: 'data_error', reason: '有误', items: [{ staffId: n, reason: '有误' }] }),
  'PATCH /api/bulletins/{bulletinId}': (n) => ({ version: n, title: '通报' }),
  'POST /api/bulletins/{bulletinId}/publish': (n) => ({ version: n }),
  'PUT /api/units/{code}/weekly-reports/{issue}/remarks': (n) => ({ remarks: '备注', version: n }),
  'PUT /api/units/{code}/contacts': (n) => ({ department: '人事科', leader: person, head: person, liaison: person, version: n }),
};

describe('bad input', () => {
  it('never answers 5xx, and refuses with a bilingual error message, on every route', async () => {
    const problems: string[] = [];
    let sent = 0;
    // Signing out ends the caller's session: it goes last, with a session of its own each time.
    const ordered = [...routes.filter((r) => r.path !== '/api/auth/logout'), ...routes.filter((r) => r.path === '/api/auth/logout')];
    for (const route of ordered) {
      const key = `${route.method} ${route.path}`;
      const { caller, code } = callerFor(key);
      const client = async () => (route.path === '/api/auth/logout' ? t.login(caller!.username) : (caller?.client ?? t.anonymous()));
      const named = { ...ids, code };
      const urlWith = (values: Record<string, string>) => route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name]));
      const send = async (what: string, url: string, payload?: string) => {
        const response = await (await client()).request(route.method as 'GET', url, payload, payload === undefined ? {} : { headers: { 'content-type': 'application/json' } });
        sent += 1;
        const problem = problemWith(response);
        if (problem) problems.push(`${key} ${what}: ${problem}`);
      };
      const valid = urlWith(named);
      if (route.method === 'GET') {
        await send('garbage query', valid + garbageQuery);
      }
      for (const name of route.query) {
        for (const value of nonsenseValues) await send(`?${name}=${value}`, `${valid}?${name}=${encodeURIComponent(value)}`, route.method === 'GET' ? undefined : '{}');
      }
      for (const n of integerBodies[key] ? largeIntegers : []) await send(`integer ${n} in the body`, valid, JSON.stringify(integerBodies[key](n)));
      if (route.method !== 'GET') {
        await send('malformed JSON', valid, '{"a":');
        await send('an array body', valid, '[]');
        await send('a string body', valid, '"text"');
      }
      for (const param of route.params) {
        for (const nonsense of nonsenseIds) {
          await send(`${param}=${nonsense}`, urlWith({ ...named, [param]: nonsense }), route.method === 'GET' ? undefined : '{}');
        }
      }
    }
    expect(Object.keys(integerBodies).filter((key) => !routes.some((r) => `${r.method} ${r.path}` === key)), 'integer bodies for routes that are gone').toEqual([]);
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThan(routes.length * 2);
  }, 240_000);
});

/** NUL, other C0 controls and DEL: none belongs in a URL, a header, a name or a typed value. */
const controls = ['\u0000', '\u0001', '\u0008', '\u000B', '\u000C', '\u001B', '\u001F', '\u007F'];
/** Tab and line breaks: refused in a URL's path, allowed in its query and in typed text (a reason, a question's body). */
const lineBreaks = ['\t', '\n', '\r'];
const visible = (text: string) => JSON.stringify(text);

/** Why an answer is not the 400 a control character earns, with the one error shape, or undefined. */
function notRefused(response: LightMyRequestResponse): string | undefined {
  if (response.statusCode !== 400) return `answered ${response.statusCode}: ${response.body.slice(0, 200)}`;
  const problem = problemWith(response);
  if (problem) return problem;
  return /控制字符/.test(response.json().error.messages.zh) ? undefined : `400 for another reason: ${response.body.slice(0, 200)}`;
}

describe('control characters', () => {
  const operatorAt = (level: Level) => callers.find((c) => c.level === level && c.role === 'operator')!.client;

  it('answers 400, never 500, to a control character anywhere in the URL of every route (line breaks in a query pass)', async () => {
    const problems: string[] = [];
    let sent = 0;
    for (const route of routes.filter((r) => r.path !== '/api/auth/logout')) {
      const key = `${route.method} ${route.path}`;
      const { caller, code } = callerFor(key);
      const client = caller?.client ?? t.anonymous();
      const named: Record<string, string> = { ...ids, code };
      const urlWith = (values: Record<string, string>) => route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name]));
      const payload = route.method === 'GET' ? undefined : '{}';
      const send = async (what: string, url: string, refused = true) => {
        const response = await client.request(route.method as 'GET', url, payload, payload === undefined ? {} : { headers: { 'content-type': 'application/json' } });
        sent += 1;
        const problem = refused ? notRefused(response) : problemWith(response);
        if (problem) problems.push(`${key} ${what}: ${problem}`);
      };
      for (const character of [...controls, ...lineBreaks]) {
        for (const param of route.params) await send(`${param} with ${visible(character)}`, urlWith({ ...named, [param]: `${named[param]}${character}` }));
        const refused = controls.includes(character);
        for (const name of route.query) await send(`?${name} with ${visible(character)}`, `${urlWith(named)}?${name}=${encodeURIComponent(`a${character}`)}`, refused);
      }
      await send('an unknown query key with NUL', `${urlWith(named)}?x%00y=1`);
    }
    // The web app's pages and the docs too: the check runs before any route.
    for (const url of ['/confirm?c=K7QM%003HXP', '/units/430102%00', '/api/docs?x=%1b', '/api/no-such%00route']) {
      const response = await t.anonymous().get(url);
      sent += 1;
      const problem = notRefused(response);
      if (problem) problems.push(`GET ${url}: ${problem}`);
    }
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThan(routes.length * 5);
  }, 240_000);

  it('answers 400 to a control character in any JSON body, in a value, a nested value or a key', async () => {
    const problems: string[] = [];
    const writes = routes.filter((r) => r.method !== 'GET' && r.path !== '/api/auth/logout');
    for (const route of writes) {
      const key = `${route.method} ${route.path}`;
      const { caller, code } = callerFor(key);
      const client = caller?.client ?? t.anonymous();
      const url = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(({ ...ids, code } as Record<string, string>)[name]));
      for (const body of [{ reason: 'a\u0000b' }, { values: { name: ['\u001B'] } }, { 'key\u0001': 1 }]) {
        const response = await client.request(route.method as 'POST', url, body);
        const problem = notRefused(response);
        if (problem) problems.push(`${key} ${JSON.stringify(body)}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
    expect(writes.length).toBeGreaterThan(40);
  }, 240_000);

  it('refuses them at sign-in: in the username, the password and the headers the app reads', async () => {
    const { username } = callers.find((c) => c.level === 'school' && c.role === 'operator')!;
    const login = (body: unknown, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: body as object, headers });
    for (const character of controls) {
      expect(notRefused(await login({ username: `${username}${character}`, password: testPassword })), `username ${visible(character)}`).toBeUndefined();
      expect(notRefused(await login({ username, password: `${testPassword}${character}` })), `password ${visible(character)}`).toBeUndefined();
      expect(notRefused(await login({ username, password: testPassword }, { 'user-agent': `Mozilla${character}` })), `user-agent ${visible(character)}`).toBeUndefined();
    }
    expect(notRefused(await login({ username, password: testPassword }, { cookie: 'rollcall_session=a\u0000b' }))).toBeUndefined();
    expect(notRefused(await operatorAt('school').request('GET', '/api/auth/me', undefined, { headers: { 'x-csrf-token': 'a\u0000' } }))).toBeUndefined();
    // A tab is allowed in a header (HTTP says so) and in a password: the answer is about the password, not the character.
    expect((await login({ username, password: `${testPassword}\t` }, { 'user-agent': 'Mozilla\t5.0' })).statusCode).toBe(401);
    expect((await login({ username, password: testPassword })).statusCode).toBe(200);
  });

  it('refuses them in a staff edit and a new record, and saves nothing', async () => {
    const operator = operatorAt('school');
    const before = (await operator.get(`/api/staff/${ids.staffId}`)).json();
    for (const character of controls) {
      const edit = await operator.patch(`/api/staff/${ids.staffId}`, { version: before.version, values: { name: `张${character}三` } });
      expect(notRefused(edit), visible(character)).toBeUndefined();
      expect(edit.json().error.messages.en).toContain('values.name');
      expect(edit.json().error.messages.zh).toContain('字段「姓名」');
      const created = await operator.post(`/api/schools/${chain.school}/staff`, { values: { ...validStaffValues(90), idNumber: `${validStaffValues(90).idNumber}${character}` } });
      expect(notRefused(created), visible(character)).toBeUndefined();
    }
    const after = (await operator.get(`/api/staff/${ids.staffId}`)).json();
    expect(after).toMatchObject({ version: before.version, values: { name: before.values.name } });
    expect(await t.database.db.select({ id: staff.id }).from(staff).where(eq(staff.idNumber, validStaffValues(90).idNumber))).toEqual([]);
    // A deletion's reason is typed in a text area and travels in the query: its line breaks pass, NUL does not.
    const doomed = (await operator.post(`/api/schools/${chain.school}/staff`, { values: validStaffValues(91) })).json();
    const deleteWith = (reason: string) => operator.request('DELETE', `/api/staff/${doomed.id}?version=${doomed.version}&reason=${encodeURIComponent(reason)}`);
    expect(notRefused(await deleteWith('调离\u0000'))).toBeUndefined();
    expect((await deleteWith('调离本校\r\n手续已办')).statusCode).toBe(204);
  });

  it('refuses them in an attachment\'s name and a library file\'s title, and keeps line breaks in typed text', async () => {
    const operator = operatorAt('school');
    const question = (await operator.post(`/api/units/${chain.school}/questions`, { title: '附件', body: '第一行\n第二行\r\n\t缩进', category: 'data' })).json();
    expect(question.body).toBe('第一行\n第二行\r\n\t缩进');
    const text = Buffer.from('说明');
    // (A line break would end the part's header line itself: that is a malformed upload, refused as such.)
    for (const character of controls) {
      const upload = multipart({ name: `说明${character}.txt`, content: text });
      const response = await operator.request('POST', `/api/questions/${question.id}/attachments`, upload.payload, { headers: upload.headers });
      expect(notRefused(response), `name ${visible(character)}`).toBeUndefined();
    }
    expect((await operator.get(`/api/questions/${question.id}`)).json().attachments).toEqual([]);
    const { caller: librarian, code: libraryUnit } = callerFor('POST /api/units/{code}/library');
    const titled = multipart({ name: '资料.txt', content: text }, { title: '资料\u0000' });
    const library = await librarian!.client.request('POST', `/api/units/${libraryUnit}/library`, titled.payload, { headers: titled.headers });
    expect(notRefused(library)).toBeUndefined();
    const good = multipart({ name: '说明.txt', content: text });
    expect((await operator.request('POST', `/api/questions/${question.id}/attachments`, good.payload, { headers: good.headers })).statusCode).toBe(200);
  });
});

describe('a race for one submission', () => {
  it('lets exactly one of ten simultaneous submissions through; the others answer 409 with a message', async () => {
    const db = t.database.db;
    const school = await makeSchool(db, { countyCode: chain.county, serial: 7, expectedStaff: 1 });
    const operator = await t.login((await makeAccount(db, { unitCode: school.code, role: 'operator' })).username);
    const leader = await t.login((await makeAccount(db, { unitCode: school.code, role: 'leader' })).username);
    const created = await operator.post(`/api/schools/${school.code}/staff`, { values: validStaffValues(70) });
    expect(created.statusCode, created.body).toBe(201);
    await db.update(staff).set({ status: 'confirmed' }).where(eq(staff.id, created.json().id));
    expect((await operator.post(`/api/schools/${school.code}/staff/transitions`, { event: 'approve', ids: [created.json().id] })).json().done).toBe(1);
    expect((await leader.post(`/api/units/${school.code}/signoff`, {})).statusCode).toBe(200);

    const answers = await Promise.all(Array.from({ length: 10 }, () => operator.post(`/api/units/${school.code}/packages`)));
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, ...Array(9).fill(409)]);
    for (const answer of answers.filter((a) => a.statusCode === 409)) {
      expect(problemWith(answer)).toBeUndefined();
      expect(answer.json().error.messages.zh).toMatch(/已报送/);
    }
    expect(await db.select({ id: packages.id }).from(packages).where(eq(packages.unitCode, school.code))).toHaveLength(1);
  }, 60_000);
});
