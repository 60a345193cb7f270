import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldKeys, idCheckCharacter, maskIdNumber, type StaffValues } from '../../standard/index.ts';
import { auditEvents, idConflicts, packageItems, packages, staff } from '../db/schema.ts';
import { createRandom } from '../demo/random.ts';
import { frozenContent } from '../packages/package.service.ts';
import { createTestApp, multipart, type TestApp, type TestClient } from '../test/app.ts';
import { makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';
import { generatePeople, writeStaffRows } from '../test/staff-workbook-file.ts';
import type { Role } from '../../contract/roles.ts';

/**
 * 个人信息不外泄: every GET route of the OpenAPI document, asked by every role at every level of one chain
 * (province → prefecture → county → school) about every unit of that chain, over a world that holds ID
 * numbers and mobile numbers in every place they live — records, their history, an import's rows, a
 * package, a conflict, the audit log, the responsible persons and the working groups. Every answer, JSON or
 * workbook, is searched for the full numbers.
 *
 * Then, for every role above the school, everything it received (and what its searches answer, probed by
 * prefix) is used to rebuild each ID number: the candidates left must stay many.
 *
 * Who may read them in full, declared here and nowhere else in the tests:
 * - ID numbers: the school's own accounts (they enter them); above the school, only the exports that say
 *   so, each audited — the unit's staff export for those who may reveal (not viewers) and the national
 *   dataset for the unit that submits it.
 * - Mobile numbers: every role but viewers; the province's own working group only to the province.
 */
const roles: Role[] = ['admin', 'operator', 'leader', 'viewer'];
const chain = [
  { level: 'province', code: '430000' },
  { level: 'prefecture', code: '430100' },
  { level: 'county', code: '430102' },
  { level: 'school', code: '' },
] as const;
type Level = (typeof chain)[number]['level'];
type Caller = { level: Level; unit: string; role: Role; client: TestClient };

/** Routes whose answer carries full ID numbers above the school on purpose, to whom, and the audit event it leaves. */
const fullIdRoutes: Record<string, { to: (caller: Caller) => boolean; audited: string }> = {
  'GET /api/units/{code}/export': { to: (caller) => caller.role !== 'viewer', audited: 'staff.exported' },
  'GET /api/units/{code}/national-export': { to: (caller) => caller.role === 'admin' || caller.role === 'operator', audited: 'staff.national_export' },
};
const provinceGroupRoutes = new Set(['GET /api/working-group/province']);
/** Answers that hold these numbers when the data reaches the caller at all: each must have been seen masked. */
const mustCarryMaskedIds = [
  'GET /api/schools/{code}/staff',
  'GET /api/staff/{staffId}',
  'GET /api/staff/{staffId}/history',
  'GET /api/staff/{staffId}/corrections',
  'GET /api/imports/{importId}/rows',
  'GET /api/packages/{packageId}/items',
  'GET /api/units/{code}/conflicts',
  'GET /api/units/{code}/audit',
  'GET /api/units/{code}/audit/export',
  'GET /api/units/{code}/export',
];
const mustCarryMaskedPhones = ['GET /api/units/{code}/contacts', 'GET /api/units/{code}/contacts/children', 'GET /api/units/{code}/contacts/export', 'GET /api/units/{code}/working-group', 'GET /api/working-group/province'];

/**
 * How many ID numbers must stay possible for a person whose number a role may not see: the rule leaves the days
 * of the birth month times the 500 sequences of one sex (14,000 or more); a full birth date leaves 500.
 */
const fewestCandidates = 1000;

const phones = ['13812345678', '13912345678', '13712345678', '13612345678', '13512345678'];
const answers = (list: string[], key: string) => list.filter((entry) => entry === key).length;
const maskPhone = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

let t: TestApp;
let folder: string;
let schoolCode: string;
const callers: Caller[] = [];
const ids: Record<string, string> = {};
const idNumbers = new Set<string>();
/** The live records' ID numbers and the record holding each. */
const liveRecords = new Map<string, number>();

async function textOf(response: { headers: Record<string, unknown>; body: string; rawPayload: Buffer }): Promise<string | undefined> {
  const type = String(response.headers['content-type'] ?? '');
  if (type.includes('spreadsheetml')) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell.text))));
    return cells.join('\n');
  }
  if (type.includes('json') || type.startsWith('text/')) return response.body;
  return undefined;
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const campaign = await makeCampaign(db);
  const school = await makeSchool(db, { countyCode: '430102', serial: 1 });
  const neighbour = await makeSchool(db, { countyCode: '430102', serial: 2 });
  schoolCode = school.code;
  for (const { level, code } of chain) {
    for (const role of roles) {
      const unit = code || schoolCode;
      const account = await makeAccount(db, { unitCode: unit, role });
      callers.push({ level, unit, role, client: await t.sessionOf(account.username) });
    }
  }
  const at = (level: Level, role: Role) => callers.find((c) => c.level === level && c.role === role)!.client;
  const operator = at('school', 'operator');

  // Two records entered in the app, each with a warning that quotes the birth date; the first is corrected
  // to another ID number (history and audit keep both), then its person asks to correct it once more.
  const staffIds: number[] = [];
  const people = [
    { ...validStaffValues(1, { birthDate: '19690523', sex: '1' }), workStart: '1986-09' },
    { ...validStaffValues(2, { birthDate: '19750817', sex: '2' }), workStart: '1993-03' },
  ];
  for (const values of people) {
    const created = await operator.post(`/api/schools/${schoolCode}/staff`, { values });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().findings.map((finding: { code: string }) => finding.code)).toContain('work_before_18');
    staffIds.push(created.json().id);
    idNumbers.add(values.idNumber);
  }
  const corrected = validStaffValues(3, { birthDate: '19821109', sex: '1' }).idNumber;
  const record = (await operator.get(`/api/staff/${staffIds[0]}`)).json();
  const edited = await operator.patch(`/api/staff/${staffIds[0]}`, { values: { idNumber: corrected, birthDate: '1982-11-09', workStart: '2000-03' }, version: record.version });
  expect(edited.statusCode, edited.body).toBe(200);
  idNumbers.add(corrected);
  liveRecords.set(corrected, staffIds[0]);
  liveRecords.set(people[1].idNumber, staffIds[1]);
  ids.staffId = String(staffIds[0]);

  const issued = await operator.post(`/api/schools/${schoolCode}/confirmation-codes`, { ids: [staffIds[0]] });
  expect(issued.statusCode, issued.body).toBe(200);
  const session = await t.anonymous().post('/api/confirm/session', { code: issued.json().issued[0].code, idSuffix: corrected.slice(-6) });
  expect(session.statusCode, session.body).toBe(200);
  const asked = validStaffValues(4, { birthDate: '19821119', sex: '1' }).idNumber;
  const fields = [{ field: 'idNumber', value: asked }, { field: 'birthDate', value: '1982-11-19', note: '身份证上是1982年11月19日' }];
  const correction = await t.anonymous().request('POST', '/api/confirm/corrections', { fields }, { headers: { authorization: `Bearer ${session.json().token}` } });
  expect(correction.statusCode, correction.body).toBe(200);
  idNumbers.add(asked);

  // An uploaded file, previewed: its rows hold the ID numbers of five more people — one with a warning that
  // quotes the birth date, one whose number was typed with spaces (refused, the message quoting it).
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rollcall-personal-'));
  const file = path.join(folder, 'staff.xlsx');
  const blank = Object.fromEntries(fieldKeys.map((key) => [key, null])) as StaffValues;
  const warned = { ...blank, ...validStaffValues(20, { birthDate: '19880314', sex: '1' }), workStart: '2005-09' };
  const spaced = { ...blank, ...validStaffValues(21, { birthDate: '19910726', sex: '2' }) };
  const rows = [...generatePeople(createRandom(7), 3), warned, spaced];
  for (const row of rows) idNumbers.add(row.idNumber!);
  await writeStaffRows({ filename: file }, [...rows.slice(0, -1), { ...spaced, idNumber: `${spaced.idNumber.slice(0, 6)} ${spaced.idNumber.slice(6, 14)} ${spaced.idNumber.slice(14)}` }]);
  const form = multipart({ name: 'staff.xlsx', content: fs.readFileSync(file) });
  const upload = await operator.request('POST', `/api/schools/${schoolCode}/imports`, form.payload, { headers: form.headers });
  expect(upload.statusCode, upload.body).toBe(200);
  expect(upload.json().counts).toMatchObject({ new: 4, invalid: 1 });
  expect(upload.json().issues.map((issue: { code: string }) => issue.code)).toEqual(expect.arrayContaining(['work_before_18', 'id_format']));
  ids.importId = String(upload.json().id);
  expect(idNumbers.size).toBe(9);

  // A package of the two records awaiting the county, and a conflict over the first person's number.
  const [pkg] = await db
    .insert(packages)
    .values({ campaignId: campaign.id, unitCode: schoolCode, receiverCode: '430102', versionNo: 1, status: 'submitted', recordCount: 2, expectedCount: 2, contentHash: '0'.repeat(64), signedBy: 1, signedAt: new Date(), submittedBy: 1 })
    .returning();
  // Frozen as a submission freezes them: each record's content and hash.
  const frozen = await db.select().from(staff).where(inArray(staff.id, staffIds));
  await db.insert(packageItems).values(frozen.map((row) => ({ packageId: pkg.id, staffId: row.id, ...frozenContent(row) })));
  ids.packageId = String(pkg.id);
  const [conflict] = await db
    .insert(idConflicts)
    .values({ campaignId: campaign.id, idNumber: corrected, holderStaffId: staffIds[0], holderSchoolCode: schoolCode, claimantSchoolCode: neighbour.code, claimantName: '李四' })
    .returning();
  ids.conflictId = String(conflict.id);

  // The county's responsible persons and the working groups of the county and the province, with mobiles.
  const person = (name: string, mobile: string) => ({ name, title: '科长', officePhone: '0731-84720000', mobile, email: 'rsk@example.cn' });
  const contacts = await at('county', 'admin').request('PUT', '/api/units/430102/contacts', {
    department: '人事科',
    leader: person('张主管', phones[0]),
    head: person('李科长', phones[1]),
    liaison: person('王联络', phones[2]),
  });
  expect(contacts.statusCode, contacts.body).toBe(200);
  const group = (phone: string) => [{ role: 'leader', name: '赵组长', post: '局长', phone }];
  expect((await at('county', 'admin').request('PUT', '/api/units/430102/working-group', { members: group(phones[3]) })).statusCode).toBe(200);
  const provinceGroup = await at('province', 'admin').request('PUT', '/api/units/430000/working-group', { members: group(phones[4]) });
  expect(provinceGroup.statusCode, provinceGroup.body).toBe(200);
}, 120_000);

afterAll(async () => {
  await t.close();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

type Answer = { key: string; url: string; caller: Caller; text: string };
let swept: Promise<Answer[]> | undefined;

/** Every GET route of the OpenAPI document asked by every caller about every unit of the chain, once. */
function sweep(): Promise<Answer[]> {
  swept ??= (async () => {
    const document = (await t.anonymous().get('/api/docs/json')).json() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(document.paths).flatMap(([route, methods]) => ('get' in methods && !route.startsWith('/api/docs') ? [route] : []));
    const found: Answer[] = [];
    for (const route of routes) {
      const key = `GET ${route}`;
      const codes = route.includes('{code}') ? chain.map((unit) => unit.code || schoolCode) : [''];
      for (const code of codes) {
        const url = route.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'code' ? code : (ids[name] ?? '1')));
        await Promise.all(
          callers.map(async (caller) => {
            const response = await caller.client.get(url);
            if (response.statusCode !== 200) return;
            const text = await textOf(response);
            if (text !== undefined) found.push({ key, url, caller, text });
          }),
        );
      }
    }
    return found;
  })();
  return swept;
}

const idShaped = /(?<![0-9X*])[0-9X*]{18}(?![0-9X*])/g;
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * How many 居民身份证 numbers stay possible for the holder of `id` to a reader who saw `seen` and whose
 * searches confirmed the characters at `confirmed` (0-based). The reader is granted the region (often the
 * school's county), the birth year (ages are everywhere) and the sex (so the parity of the 17th digit); the
 * day of birth only if seen in full, the month if seen; every character of `id` shown in any masked number
 * that fits it, numbers typed with spaces or dashes included; the check character follows the rest. Counting
 * stops at `enough`.
 */
function candidatesFor(id: string, seen: string, confirmed: ReadonlySet<number>, enough: number): number {
  const joined = seen.replace(/([0-9X*])[ -](?=[0-9X*])/g, '$1');
  if (joined.includes(id)) return 1;
  const known: (string | undefined)[] = Array.from(id, (character, index) => (index < 6 || confirmed.has(index) ? character : undefined));
  for (const token of joined.match(idShaped) ?? []) {
    if (Array.from(token).every((character, index) => character === '*' || character === id[index])) {
      Array.from(token).forEach((character, index) => {
        if (character !== '*') known[index] = character;
      });
    }
  }
  const [year, month, day] = [id.slice(6, 10), id.slice(10, 12), id.slice(12, 14)];
  const dayShown = [`${year}-${month}-${day}`, `${year}${month}${day}`, `${year}年${Number(month)}月${Number(day)}日`].some((text) => seen.includes(text));
  const monthShown = seen.includes(`${year}-${month}`) || seen.includes(`${year}年${Number(month)}月`);
  const pad = (value: number) => String(value).padStart(2, '0');
  const dates = dayShown
    ? [`${year}${month}${day}`]
    : (monthShown ? [Number(month)] : Array.from({ length: 12 }, (_, index) => index + 1)).flatMap((m) =>
        Array.from({ length: daysIn(Number(year), m) }, (_, index) => `${year}${pad(m)}${pad(index + 1)}`),
      );
  const parity = Number(id[16]) % 2;
  let count = 0;
  for (const date of dates) {
    for (let sequence = parity; sequence < 1000; sequence += 2) {
      const first17 = `${id.slice(0, 6)}${date}${String(sequence).padStart(3, '0')}`;
      if (!Array.from(first17).every((character, index) => known[index] === undefined || known[index] === character)) continue;
      if (known[17] !== undefined && known[17] !== idCheckCharacter(first17)) continue;
      count += 1;
      if (count >= enough) return count;
    }
  }
  return count;
}

describe('ID and mobile numbers in every answer', () => {
  it('reach each role in full only where the rule allows, and masked wherever else the data goes', async () => {
    const leaks: string[] = [];
    const seenMaskedIds = new Set<string>();
    const seenMaskedPhones = new Set<string>();
    const fullIdAnswers: string[] = [];
    const maskedIds = [...idNumbers].map(maskIdNumber);
    const maskedPhones = phones.map(maskPhone);

    const found = await sweep();
    for (const { key, url, caller, text } of found) {
      const who = `${key} (${url}) as ${caller.role}@${caller.level}`;
      const fullIds = [...idNumbers].filter((id) => text.includes(id));
      if (fullIds.length > 0) {
        const rule = fullIdRoutes[key];
        if (caller.level !== 'school' && !rule?.to(caller)) leaks.push(`${who}: full ID number ${fullIds[0]}`);
        if (caller.level !== 'school' && rule) fullIdAnswers.push(key);
      }
      const fullPhones = phones.filter((phone) => text.includes(phone));
      const phonesAllowed = caller.role !== 'viewer' && (!provinceGroupRoutes.has(key) || caller.level === 'province');
      if (fullPhones.length > 0 && !phonesAllowed) leaks.push(`${who}: full mobile number ${fullPhones[0]}`);
      if (maskedIds.some((masked) => text.includes(masked))) seenMaskedIds.add(key);
      if (maskedPhones.some((masked) => text.includes(masked))) seenMaskedPhones.add(key);
    }
    expect(leaks).toEqual([]);
    expect(mustCarryMaskedIds.filter((key) => !seenMaskedIds.has(key)), 'routes that never showed a masked ID number').toEqual([]);
    expect(mustCarryMaskedPhones.filter((key) => !seenMaskedPhones.has(key)), 'routes that never showed a masked mobile').toEqual([]);
    // Each answer that carried full numbers above the school left its audit event.
    const audited = await t.database.db.select({ action: auditEvents.action }).from(auditEvents);
    for (const [key, rule] of Object.entries(fullIdRoutes)) {
      expect(audited.filter((event) => event.action === rule.audited).length, `${key} audits each export`).toBeGreaterThanOrEqual(answers(fullIdAnswers, key));
    }
    expect(answers(fullIdAnswers, 'GET /api/units/{code}/export'), 'the export reached a reveal role above the school').toBeGreaterThan(0);
    expect(found.length).toBeGreaterThan(500);
  }, 240_000);

  it('cannot be rebuilt above the school from everything a role receives, its searches and its own export', async () => {
    const found = await sweep();
    const rebuilt: string[] = [];
    const searchable: string[] = [];
    const above = callers.filter((caller) => caller.level !== 'school');
    await Promise.all(
      above.map(async (caller) => {
        const who = `${caller.role}@${caller.level}`;
        // Everything it may read without an audited step of its own (a reveal, a full export).
        const seen = found
          .filter((answer) => answer.caller === caller && !fullIdRoutes[answer.key]?.to(caller))
          .map((answer) => answer.text)
          .join('\n');
        const confirmed = new Map<string, Set<number>>([...idNumbers].map((id) => [id, new Set<number>()]));
        for (const [id, staffId] of liveRecords) {
          const finds = async (q: string) => {
            const response = await caller.client.get(`/api/schools/${schoolCode}/staff?q=${encodeURIComponent(q)}`);
            expect(response.statusCode, response.body).toBe(200);
            return (response.json().items as { id: number }[]).some((item) => item.id === staffId);
          };
          // Prefixes and the birth date alone: each answer that finds the record gives those characters away.
          for (const [start, end] of [[0, 14], [0, 17], [6, 14], [10, 17]]) {
            if (await finds(id.slice(start, end))) for (let index = start; index < end; index += 1) confirmed.get(id)!.add(index);
          }
          if (!(await finds(id))) searchable.push(`${who} cannot find ${maskIdNumber(id)} by its whole number`);
          expect(seen, `${who} saw the birth month of every record`).toContain(`${id.slice(6, 10)}-${id.slice(10, 12)}`);
        }
        for (const id of idNumbers) {
          const count = candidatesFor(id, seen, confirmed.get(id)!, fewestCandidates);
          if (count < fewestCandidates) rebuilt.push(`${who}: ${maskIdNumber(id)} born ${id.slice(6, 10)}-${id.slice(10, 12)} narrowed to ${count} candidates`);
        }
      }),
    );
    expect(rebuilt).toEqual([]);
    expect(searchable).toEqual([]);
  }, 240_000);
});
