import ExcelJS from 'exceljs';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldKeys } from '../../standard/types.ts';
import { accounts, auditEvents, campaigns, notifications, packageItems, packages, staff, units } from '../db/schema.ts';
import { loadDemo } from '../demo/demo.ts';
import { generateStaffValues } from '../demo/staff.generator.ts';
import { createRandom } from '../demo/random.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import { createTestApp, multipart, type TestApp, type TestClient } from '../test/app.ts';
import { makeAccount, validStaffValues } from '../test/factories.ts';
import { provinceWalker } from '../test/walk-province.ts';

/**
 * The result a province can sign for: the whole demo province is walked to the final review, the national
 * dataset holds exactly the approved content, and every change below a signed package makes the chain need
 * review again — blocking the export — until it is approved again level by level.
 */
let t: TestApp;
let walker: ReturnType<typeof provinceWalker>;
let province: TestClient;
const random = createRandom(2026);
const db = () => t.database.db;

/** Enters records at a school through its operator and stands in for the person and the school's review. */
async function approvedRecords(school: string, count: number) {
  const [unit] = await db().select().from(units).where(eq(units.code, school));
  const operator = await walker.as(school);
  const ids: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const values = generateStaffValues(random, unit.schoolType as SchoolType, new Date());
    const created = await operator.post(`/api/schools/${school}/staff`, { values });
    expect(created.statusCode, created.body).toBe(201);
    ids.push(created.json().id);
  }
  await db().update(staff).set({ status: 'approved', confirmedVia: 'phone' }).where(inArray(staff.id, ids));
  return ids;
}

/**
 * The national dataset as the province downloads it: the audit entry it left and, when `read`, its data rows
 * counted in the workbook (reading ten thousand rows back is left to the walks that need it).
 */
async function exportNational(read = false) {
  const response = await province.get('/api/units/430000/national-export');
  if (response.statusCode !== 200) return { status: response.statusCode, body: response.json(), rows: 0, audit: undefined };
  const workbook = new ExcelJS.Workbook();
  if (read) await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  const rows = read ? workbook.worksheets.reduce((total, sheet) => total + sheet.actualRowCount - 1, 0) : -1;
  const [audit] = await db().select().from(auditEvents).where(eq(auditEvents.action, 'staff.national_export')).orderBy(desc(auditEvents.id)).limit(1);
  return { status: 200, body: null, rows, audit: audit.after as { records: number; contentHash: string; matchesFinalPackage: boolean }, workbook };
}

/** The export is refused while the province's final package needs review again, naming the cause. */
async function expectStale(cause: string) {
  const submission = (await province.get('/api/units/430000/submission')).json();
  expect(submission.latest.stale?.cause).toContain(cause);
  const refused = await exportNational();
  expect(refused.status).toBe(409);
  expect(refused.body.error.message).toContain('需重新审核');
  expect(refused.body.error.message).toContain(cause);
  return submission;
}

/** Walks the chain again and checks that the export holds exactly what the new final package approved. */
async function expectSignedAgain(read = false) {
  const { final } = await walker.walk();
  expect(final).toMatchObject({ status: 'approved', stale: null });
  const exported = await exportNational(read);
  expect(exported.status).toBe(200);
  if (read) expect(exported.rows).toBe(final.recordCount);
  expect(exported.audit).toMatchObject({ records: final.recordCount, contentHash: final.contentHash, matchesFinalPackage: true });
  return { final, exported };
}

beforeAll(async () => {
  t = await createTestApp();
  await loadDemo(t.database.db);
  walker = provinceWalker(t);
  province = await walker.as('admin');
  // Schools the demo left empty get two people each; every record then stands approved (one in seven on paper).
  const empty = await db().execute(sql`select u.code from units u where u.kind = 'school' and not exists (select 1 from staff s where s.school_code = u.code)`);
  for (const { code } of (empty as { rows: { code: string }[] }).rows) {
    // Every school has its operator and leader (made here should a school have none).
    for (const [role, username] of [['operator', code], ['leader', `${code}-leader`]] as const) {
      if ((await db().select().from(accounts).where(eq(accounts.username, username))).length === 0) await makeAccount(db(), { unitCode: code, role, username });
    }
    await approvedRecords(code, 2);
  }
  await db().update(staff).set({ status: 'approved', confirmedVia: sql`case when ${staff.id} % 7 = 0 then 'paper' else 'phone' end` }).where(isNull(staff.deletedAt));
}, 240_000);
afterAll(() => t.close());

describe('the national dataset is the approved data', () => {
  it('walks the whole demo province to the final review; the export holds its rows and gives back its hash', async () => {
    const before = await exportNational();
    expect(before.status).toBe(409);
    const { final, steps } = await walker.walk();
    expect(steps).toBeGreaterThan(350);
    const [{ live }] = (await db().execute(sql`select count(*)::int as live from staff where deleted_at is null`) as unknown as { rows: { live: number }[] }).rows;
    expect(final).toMatchObject({ status: 'approved', recordCount: live, stale: null });
    expect(final.confirmations.phone + final.confirmations.paper).toBe(live);
    expect(final.confirmations.paper).toBeGreaterThan(0);
    const exported = await exportNational(true);
    expect(exported.rows).toBe(final.recordCount);
    expect(exported.audit).toEqual(expect.objectContaining({ records: final.recordCount, contentHash: final.contentHash, matchesFinalPackage: true }));
  }, 600_000);
});

describe('a change below makes the chain need review again, and re-approval undoes it', () => {
  it('a school added late: the province is told, the export waits, an empty package is refused', async () => {
    const county = await walker.adminOf('430102');
    const created = await county.post('/api/schools', { code: '2430102901', name: '芙蓉区新发现学校', schoolType: 'k12', countyCode: '430102', expectedStaff: 3 });
    expect(created.statusCode, created.body).toBe(201);
    const submission = await expectStale('新增学校「芙蓉区新发现学校」');
    expect(submission.missing).toEqual(expect.arrayContaining([expect.objectContaining({ code: '430100', state: 'stale', staleCause: expect.stringContaining('新增学校') })]));
    const told = await db().select().from(notifications).where(and(eq(notifications.unitCode, '430000'), eq(notifications.kind, 'chain_stale')));
    expect(told.length).toBeGreaterThan(0);
    expect((await county.get('/api/units/430102/submission')).json().missing).toEqual([expect.objectContaining({ code: '2430102901', state: 'not_started' })]);

    // 不漏一人: three people are expected, so an empty package is refused, naming the school and why.
    const operatorState = (await county.get('/api/units/2430102901/submission')).json();
    expect(operatorState.blockers.map((b: { zh: string }) => b.zh).join()).toContain('应有 3 人，尚无一条记录：不能报送空的报送包');
    // A school found late has no accounts yet: its county adds them, as for any school.
    await schoolAccounts('2430102901');
    const refused = await (await walker.as('2430102901-leader')).post('/api/units/2430102901/signoff', { explanation: '尚未录入' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('不能报送空的报送包');
    await approvedRecords('2430102901', 3);
    await expectSignedAgain();
  }, 300_000);

  it('a school list adding schools to two counties: each chain needs review again, naming its first new school', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('学校名单');
    sheet.addRow(['学校标识码', '学校名称', '学校类型', '所在县市区代码', '教职工数（编制/统计数）']);
    sheet.addRow(['2430102902', '芙蓉区名单新增一校', '中小学', '430102', 1]);
    sheet.addRow(['2430102903', '芙蓉区名单新增二校', '中小学', '430102', 1]);
    sheet.addRow(['2430202901', '荷塘区名单新增学校', '中小学', '430202', 1]);
    const body = multipart({ name: 'list.xlsx', content: Buffer.from(await book.xlsx.writeBuffer()) });
    const imported = await province.request('POST', '/api/schools/import', body.payload, { headers: body.headers });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toMatchObject({ created: 3, updated: 0 });

    // Both counties' chains, up to the province's final package, need review again; each says why.
    await expectStale('新增学校');
    const staleOf = async (unitCode: string) => {
      const [latest] = await db().select().from(packages).where(eq(packages.unitCode, unitCode)).orderBy(desc(packages.versionNo)).limit(1);
      return latest.staleCause;
    };
    expect(await staleOf('430102')).toContain('芙蓉区名单新增一校');
    expect(await staleOf('430202')).toContain('荷塘区名单新增学校');
    for (const prefecture of ['430100', '430200']) expect(await staleOf(prefecture)).toContain('新增学校');

    // 不漏一校: the new schools are missing below their counties until they submit.
    const missing = (await (await walker.adminOf('430102')).get('/api/units/430102/submission')).json().missing;
    expect(missing.map((unit: { code: string }) => unit.code).sort()).toEqual(['2430102902', '2430102903']);
    for (const school of ['2430102902', '2430102903', '2430202901']) {
      await schoolAccounts(school);
      await approvedRecords(school, 1);
    }
    await expectSignedAgain();
  }, 300_000);

  it('a school moved to another county: both chains need review again, both counties and their parent are told', async () => {
    const school = '2430103001';
    const [before] = await db().select().from(units).where(eq(units.code, school));
    const admin = await walker.adminOf('430100');
    const moved = await admin.patch(`/api/schools/${school}`, { version: before.version, countyCode: '430104' });
    expect(moved.statusCode, moved.body).toBe(200);
    await expectStale(`由 ${'天心区'} 移至 ${'岳麓区'}`);
    const stale = await db().select({ unitCode: packages.unitCode }).from(packages).where(and(inArray(packages.unitCode, ['430103', '430104', school]), sql`${packages.staleAt} is not null`));
    expect(new Set(stale.map((row) => row.unitCode))).toEqual(new Set(['430103', '430104', school]));
    const told = await db().select({ unitCode: notifications.unitCode }).from(notifications).where(eq(notifications.kind, 'school_moved'));
    expect(new Set(told.map((row) => row.unitCode))).toEqual(new Set(['430103', '430104', '430100']));
    const { final } = await expectSignedAgain();
    const [schoolPackage] = await db().select().from(packages).where(eq(packages.unitCode, school)).orderBy(desc(packages.versionNo)).limit(1);
    expect(schoolPackage).toMatchObject({ receiverCode: '430104', status: 'approved' });
    expect(final.stale).toBeNull();
  }, 300_000);

  it('a school merged into another: its staff move with their history, it leaves the lists, the chains are reviewed again', async () => {
    const [from, into] = ['2430102002', '2430102001'];
    const [source] = await db().select().from(units).where(eq(units.code, from));
    const moving = await db().select({ id: staff.id }).from(staff).where(and(eq(staff.schoolCode, from), isNull(staff.deletedAt)));
    const county = await walker.adminOf('430102');
    expect((await county.post(`/api/schools/${from}/close`, { closedOn: '2026-12-01', reason: '撤并', version: source.version })).json().error.message).toContain('合并');
    const merged = await county.post(`/api/schools/${from}/merge`, { closedOn: '2026-12-01', reason: '布局调整', version: source.version, into });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json()).toMatchObject({ moved: moving.length, closed: { on: '2026-12-01', mergedInto: into } });
    const history = (await (await walker.as(into)).get(`/api/staff/${moving[0].id}/history`)).json();
    expect(JSON.stringify(history)).toContain('school_merged');
    await expectStale('合并至');
    expect((await county.get('/api/units/430102/submission')).json().missing.map((m: { code: string }) => m.code)).not.toContain(from);
    const { final } = await expectSignedAgain();
    const [{ live }] = (await db().execute(sql`select count(*)::int as live from staff where deleted_at is null`) as unknown as { rows: { live: number }[] }).rows;
    expect(final.recordCount).toBe(live);
  }, 300_000);

  it('a package reopened and a record changed under an unlock: the old final package keeps what it approved', async () => {
    const school = '2430102003';
    const county = await walker.adminOf('430102');
    const [approved] = await db().select().from(packages).where(eq(packages.unitCode, school)).orderBy(desc(packages.versionNo)).limit(1);
    const [oldFinal] = await db().select().from(packages).where(eq(packages.unitCode, '430000')).orderBy(desc(packages.versionNo)).limit(1);
    expect((await county.post(`/api/packages/${approved.id}/reopen`, { reason: '抽查发现一人学历有误' })).statusCode).toBe(200);
    await expectStale('被重新打开：抽查发现一人学历有误');

    // Past the school's deadline, the edit waits for the county's unlock.
    const [campaign] = await db().select().from(campaigns);
    const plan = campaign.plan;
    plan.levels.school.tasks.find((task) => task.observable === 'submit')!.due = '2000-01-01';
    await db().update(campaigns).set({ plan }).where(eq(campaigns.id, campaign.id));
    const operator = await walker.as(school);
    const [record] = await db().select().from(staff).where(and(eq(staff.schoolCode, school), isNull(staff.deletedAt))).limit(1);
    expect((await operator.patch(`/api/staff/${record.id}`, { version: record.version, values: { name: '改后姓名' } })).statusCode).toBe(409);
    const asked = (await operator.post(`/api/units/${school}/unlock-requests`, { reason: '更正一人姓名' })).json();
    expect((await county.post(`/api/unlock-requests/${asked.id}/grant`, { answer: '同意' })).statusCode).toBe(200);
    const edited = await operator.patch(`/api/staff/${record.id}`, { version: record.version, values: { name: '改后姓名' } });
    expect(edited.statusCode, edited.body).toBe(200);
    await db().update(staff).set({ status: 'approved', confirmedVia: 'paper' }).where(eq(staff.id, record.id));

    // What the province approved before stays as it was approved.
    const [frozen] = await db().select({ content: packageItems.content }).from(packageItems).where(and(eq(packageItems.packageId, approved.id), eq(packageItems.staffId, record.id)));
    expect((frozen.content as string[])[fieldKeys.indexOf('name')]).toBe(record.name);
    expect(oldFinal.staleAt).toBeNull();
    const { exported } = await expectSignedAgain(true);
    const names = exported.workbook!.worksheets.flatMap((sheet) => sheet.getColumn(3).values);
    expect(names).toContain('改后姓名');
    expect(names).not.toContain(record.name);
  }, 300_000);

  it('an expected count changed: the school signs again with its explanation, the receiver accepts the shortfall', async () => {
    const school = '2430102004';
    const [unit] = await db().select().from(units).where(eq(units.code, school));
    const admin = await walker.adminOf('430102');
    const changed = await admin.patch(`/api/schools/${school}`, { version: unit.version, expectedStaff: (unit.expectedStaff ?? 0) + 40 });
    expect(changed.statusCode, changed.body).toBe(200);
    await expectStale(`应有人数由 ${unit.expectedStaff} 改为 ${(unit.expectedStaff ?? 0) + 40}`);
    const [audit] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, 'school.updated'), eq(auditEvents.targetId, school))).orderBy(desc(auditEvents.id)).limit(1);
    expect(audit.before).toMatchObject({ expectedStaff: unit.expectedStaff });
    const [own] = await db().select().from(packages).where(eq(packages.unitCode, school)).orderBy(desc(packages.versionNo)).limit(1);
    expect(own.staleAt).not.toBeNull();
    await expectSignedAgain();
    const [signedAgain] = await db().select().from(packages).where(eq(packages.unitCode, school)).orderBy(desc(packages.versionNo)).limit(1);
    expect(signedAgain).toMatchObject({ status: 'approved', versionNo: own.versionNo + 1 });
    expect(signedAgain.shortfallAcceptedBy).not.toBeNull();
  }, 300_000);

  it('a record written past the locks (any write path) marks the chain by the trigger on staff', async () => {
    const school = '2430102005';
    const [inserted] = await db().insert(staff).values({ campaignId: (await db().select().from(campaigns))[0].id, schoolCode: school, ...validStaffValues(9999), status: 'draft' }).returning();
    await expectStale('教职工记录在报送后有改动');
    await db().delete(staff).where(eq(staff.id, inserted.id));
    await expectSignedAgain();
  }, 300_000);
});

describe('refusals that name the unit and the cause', () => {
  it('refuses to approve a package whose data changed below it after it was submitted', async () => {
    const school = '2430102006';
    const [unit] = await db().select().from(units).where(eq(units.code, school));
    const admin = await walker.adminOf('430102');
    await admin.patch(`/api/schools/${school}`, { version: unit.version, expectedStaff: (unit.expectedStaff ?? 0) + 1 });
    // The school and the county sign and submit again; before the prefecture decides, another change below.
    for (const code of [school, '430102']) {
      const leader = await walker.as(`${code}-leader`);
      const clerk = await walker.adminOf(code);
      await leader.post(`/api/units/${code}/signoff`, { explanation: '差异已核实' });
      const submitted = await clerk.post(`/api/units/${code}/packages`);
      expect(submitted.statusCode, submitted.body).toBe(201);
      if (code === school) {
        const pkg = submitted.json();
        expect((await admin.post(`/api/packages/${pkg.id}/approve`, { acceptShortfall: true })).statusCode).toBe(200);
      }
    }
    const countyPackage = (await walker.adminOf('430100').then((c) => c.get('/api/units/430100/inbox'))).json().items.find((i: { unit: { code: string } }) => i.unit.code === '430102').package;
    expect(countyPackage).toMatchObject({ status: 'submitted', stale: null });
    const [other] = await db().select().from(units).where(and(eq(units.parentCode, '430102'), isNull(units.closedOn), sql`${units.code} > ${school}`)).orderBy(units.code).limit(1);
    await admin.patch(`/api/schools/${other.code}`, { version: other.version, expectedStaff: (other.expectedStaff ?? 0) + 1 });
    const prefecture = await walker.adminOf('430100');
    const refused = await prefecture.post(`/api/packages/${countyPackage.id}/approve`, { acceptShortfall: true });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('芙蓉区');
    expect(refused.json().error.message).toContain(`应有人数由 ${other.expectedStaff}`);
    expect((await prefecture.get(`/api/packages/${countyPackage.id}`)).json()).toMatchObject({ status: 'submitted', abilities: { approve: false, return: true } });
    await expectSignedAgain();
  }, 300_000);

  it('a returned package is submitted again only after the leader signs again, and says what changed', async () => {
    const school = '5430102001';
    const [unit] = await db().select().from(units).where(eq(units.code, school));
    const county = await walker.adminOf('430102');
    await county.patch(`/api/schools/${school}`, { version: unit.version, expectedStaff: (unit.expectedStaff ?? 0) + 2 });
    const leader = await walker.as(`${school}-leader`);
    const operator = await walker.as(school);
    await leader.post(`/api/units/${school}/signoff`, { explanation: '两人借调' });
    const v1 = (await operator.post(`/api/units/${school}/packages`)).json();
    expect((await county.post(`/api/packages/${v1.id}/return`, { category: 'count_mismatch', reason: '请核实借调人员' })).statusCode).toBe(200);
    const unsigned = await operator.post(`/api/units/${school}/packages`);
    expect(unsigned.statusCode).toBe(409);
    expect(unsigned.json().error.message).toContain('重新签字');
    await leader.post(`/api/units/${school}/signoff`, { explanation: '两人借调，已核实' });
    const v2 = await operator.post(`/api/units/${school}/packages`);
    expect(v2.statusCode, v2.body).toBe(201);
    const changes = (await county.get(`/api/packages/${v2.json().id}/changes`)).json();
    expect(changes).toMatchObject({ previous: { id: v1.id, status: 'returned' }, total: 0, changes: [] });
    await expectSignedAgain();
  }, 300_000);
});

/** A late school's operator and leader, added by its county as on the accounts page. */
async function schoolAccounts(school: string) {
  // A school's code holds its county's (digits 2–7): that county's admin adds the accounts.
  const county = await walker.adminOf(school.slice(1, 7));
  for (const [role, username] of [['operator', school], ['leader', `${school}-leader`]] as const) {
    const created = await county.post('/api/accounts', { username, displayName: username, role, unitCode: school, password: 'Late-School-2024' });
    expect(created.statusCode, created.body).toBe(201);
  }
}
