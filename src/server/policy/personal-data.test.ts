import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumber } from '../../standard/index.ts';
import { auditEvents, idConflicts, packageItems, packages, staff } from '../db/schema.ts';
import { frozenContent } from '../packages/package.service.ts';
import { createTestApp, multipart, type TestApp, type TestClient } from '../test/app.ts';
import { makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';
import { writeStaffWorkbook } from '../test/staff-workbook-file.ts';
import type { Role } from './actor.ts';

/**
 * 个人信息不外泄: every GET route of the OpenAPI document, asked by every role at every level of one chain
 * (province → prefecture → county → school) about every unit of that chain, over a world that holds ID
 * numbers and mobile numbers in every place they live — records, their history, an import's rows, a
 * package, a conflict, the audit log, the responsible persons and the working groups. Every answer, JSON or
 * workbook, is searched for the full numbers.
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
  'GET /api/imports/{importId}/rows',
  'GET /api/packages/{packageId}/items',
  'GET /api/units/{code}/conflicts',
  'GET /api/units/{code}/audit',
  'GET /api/units/{code}/audit/export',
  'GET /api/units/{code}/export',
];
const mustCarryMaskedPhones = ['GET /api/units/{code}/contacts', 'GET /api/units/{code}/contacts/children', 'GET /api/units/{code}/contacts/export', 'GET /api/units/{code}/working-group', 'GET /api/working-group/province'];

const phones = ['13812345678', '13912345678', '13712345678', '13612345678', '13512345678'];
const answers = (list: string[], key: string) => list.filter((entry) => entry === key).length;
const maskPhone = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

let t: TestApp;
let folder: string;
let schoolCode: string;
const callers: Caller[] = [];
const ids: Record<string, string> = {};
const idNumbers = new Set<string>();

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
      callers.push({ level, unit, role, client: await t.login(account.username) });
    }
  }
  const at = (level: Level, role: Role) => callers.find((c) => c.level === level && c.role === role)!.client;
  const operator = at('school', 'operator');

  // Two records entered in the app, one of them corrected to another ID number (history and audit keep both).
  const staffIds: number[] = [];
  for (const serial of [1, 2]) {
    const values = validStaffValues(serial);
    const created = await operator.post(`/api/schools/${schoolCode}/staff`, { values });
    expect(created.statusCode, created.body).toBe(201);
    staffIds.push(created.json().id);
    idNumbers.add(values.idNumber);
  }
  const corrected = validStaffValues(3).idNumber;
  const record = (await operator.get(`/api/staff/${staffIds[0]}`)).json();
  const edited = await operator.patch(`/api/staff/${staffIds[0]}`, { values: { idNumber: corrected }, version: record.version });
  expect(edited.statusCode, edited.body).toBe(200);
  idNumbers.add(corrected);
  ids.staffId = String(staffIds[0]);

  // An uploaded file, previewed: its rows hold the ID numbers of three more people.
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rollcall-personal-'));
  const file = path.join(folder, 'staff.xlsx');
  await writeStaffWorkbook(file, 3, 7);
  const form = multipart({ name: 'staff.xlsx', content: fs.readFileSync(file) });
  const upload = await operator.request('POST', `/api/schools/${schoolCode}/imports`, form.payload, { headers: form.headers });
  expect(upload.statusCode, upload.body).toBe(200);
  ids.importId = String(upload.json().id);
  for (const row of (await operator.get(`/api/imports/${ids.importId}/rows?pageSize=50`)).json().items as { values: { idNumber?: string } }[]) {
    if (row.values.idNumber) idNumbers.add(row.values.idNumber);
  }
  expect(idNumbers.size).toBe(6);

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

describe('ID and mobile numbers in every answer', () => {
  it('reach each role in full only where the rule allows, and masked wherever else the data goes', async () => {
    const document = (await t.anonymous().get('/api/docs/json')).json() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(document.paths).flatMap(([route, methods]) => ('get' in methods && !route.startsWith('/api/docs') ? [route] : []));
    const leaks: string[] = [];
    const seenMaskedIds = new Set<string>();
    const seenMaskedPhones = new Set<string>();
    const fullIdAnswers: string[] = [];
    let inspected = 0;
    const maskedIds = [...idNumbers].map(maskIdNumber);
    const maskedPhones = phones.map(maskPhone);

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
            if (text === undefined) return;
            inspected += 1;
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
          }),
        );
      }
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
    expect(inspected).toBeGreaterThan(500);
  }, 240_000);
});
