import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counties } from '../../standard/divisions.ts';
import { accounts, campaigns, units } from '../db/schema.ts';
import { createTestApp, type TestApp } from '../test/app.ts';
import { demoLogins, demoPassword, loadDemo } from './demo.ts';
import { demoApprovedPrefecture, demoLateSchool, demoReviewCounty } from './demo-motion.ts';
import { createRandom } from './random.ts';
import { schoolsFromCounts, syntheticSchoolCounts } from './schools.generator.ts';
import { chineseNumber } from './school-names.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await loadDemo(t.database.db, new Date('2026-11-29T08:00:00Z'));
}, 120_000);
afterAll(() => t.close());

describe('the demo province', () => {
  it('gives every county of 长沙市 a school of every type, and every other county at least one', async () => {
    const rows = await t.database.db.select({ county: units.countyCode, type: units.schoolType }).from(units).where(eq(units.kind, 'school'));
    for (const county of counties) {
      const types = new Set(rows.filter((r) => r.county === county.code).map((r) => r.type));
      if (county.prefectureCode === '430100') expect([...types].sort(), county.name).toEqual(['higher_ed', 'k12', 'special', 'vocational']);
      else expect(types.size, county.name).toBeGreaterThan(0);
    }
  });

  it('follows the login rule: a unit code is its admin, a school code its operator, admin is the province', async () => {
    for (const login of demoLogins()) {
      const client = await t.login(login.username, demoPassword);
      const me = (await client.get('/api/auth/me')).json();
      expect(me.user.role, login.username).toBe(login.role);
    }
    const [county] = await t.database.db.select().from(accounts).where(eq(accounts.username, '430181'));
    expect(county).toMatchObject({ role: 'admin', unitCode: '430181' });
    const [school] = await t.database.db.select().from(accounts).where(eq(accounts.username, '2433101001'));
    expect(school).toMatchObject({ role: 'operator', unitCode: '2433101001' });
    const [schoolAdmin] = await t.database.db.select().from(accounts).where(eq(accounts.username, '2433101001-admin'));
    expect(schoolAdmin).toMatchObject({ role: 'admin', unitCode: '2433101001' });
    const farLeader = await t.login('433101-leader', demoPassword);
    expect((await farLeader.get('/api/auth/me')).json().user).toMatchObject({ role: 'leader', unit: { code: '433101' } });
  });

  it('gives every school and university an admin, listed among the logins, who marks its training and not its records', async () => {
    const schools = await t.database.db.select({ code: units.code }).from(units).where(eq(units.kind, 'school'));
    const admins = new Set((await t.database.db.select({ unitCode: accounts.unitCode }).from(accounts).where(eq(accounts.role, 'admin'))).map((row) => row.unitCode));
    expect(schools.filter((school) => !admins.has(school.code))).toEqual([]);
    const logins = demoLogins().filter((login) => login.username.endsWith('-admin'));
    expect(logins.map((login) => login.unit)).toEqual([expect.stringContaining('学校管理员'), expect.stringContaining('高校管理员')]);
    const schoolAdmin = await t.login(logins[0].username, demoPassword);
    const code = logins[0].username.replace('-admin', '');
    expect((await schoolAdmin.get(`/api/units/${code}/tasks`)).json()).toMatchObject({ abilities: { complete: true } });
    expect((await schoolAdmin.get(`/api/units/${code}`)).json()).toMatchObject({ abilities: { manageAccounts: true, writeStaff: false, updateSchool: false } });
    const university = await t.login(logins[1].username, demoPassword);
    expect((await university.get('/api/auth/me')).json().user.abilities).toMatchObject({ reportContacts: true, manageAccounts: true });
  });

  it('dates a campaign so that today falls inside it', async () => {
    const [campaign] = await t.database.db.select().from(campaigns);
    expect(campaign.startsOn < '2026-11-29' && campaign.endsOn > '2026-11-29').toBe(true);
    const client = await t.login('2430102001', demoPassword);
    const current = (await client.get('/api/campaigns/current')).json();
    expect(current).toMatchObject({ level: 'school', levelLabel: '中职、中小学学校' });
    expect(current.tasks.at(-1)).toMatchObject({ task: '报送EXCEL数据模板', reportTo: 'county' });
  });
});

describe('the synthetic province', () => {
  it('is the same for the same seed and spreads schools over all 122 counties', () => {
    const build = (seed: number) => {
      const random = createRandom(seed);
      return schoolsFromCounts(random, syntheticSchoolCounts(random, 5000));
    };
    const first = build(42);
    expect(build(42)).toEqual(first);
    expect(build(43)).not.toEqual(first);
    expect(first).toHaveLength(5000);
    expect(new Set(first.map((s) => s.code)).size).toBe(5000);
    expect(new Set(first.map((s) => s.countyCode)).size).toBe(122);
    const higherEd = first.filter((s) => s.schoolType === 'higher_ed').length;
    expect(higherEd).toBeGreaterThan(10);
    expect(higherEd).toBeLessThan(60);
  });

  it('writes Chinese numerals for school names', () => {
    expect([1, 10, 12, 20, 35, 100, 108, 115].map(chineseNumber)).toEqual(['一', '十', '十二', '二十', '三十五', '一百', '一百零八', '一百一十五']);
  });

  it('is loaded once: the division tree is migrated with the schema', async () => {
    const [row] = await t.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(units).where(eq(units.kind, 'county'));
    expect(row.n).toBe(122);
  });
});

describe('the demo campaign under way', () => {
  it('shows 张家界市 approved by the province, then needing review again for a school found late', async () => {
    const province = await t.login('admin', demoPassword);
    const submission = (await province.get('/api/units/430000/submission')).json();
    const zhangjiajie = submission.missing.find((m: { code: string }) => m.code === demoApprovedPrefecture);
    expect(zhangjiajie).toMatchObject({ state: 'stale', staleCause: expect.stringContaining(`新增学校「${demoLateSchool.name}」`) });
    const pkg = (await province.get(`/api/packages/${zhangjiajie.packageId}`)).json();
    expect(pkg).toMatchObject({ status: 'approved', stale: { unitCode: demoLateSchool.code }, shortfall: { accepted: true } });
    expect(pkg.confirmations.paper).toBeGreaterThan(0);
    expect(pkg.confirmations.phone).toBeGreaterThan(pkg.confirmations.paper);
    expect(pkg.confirmations.phone + pkg.confirmations.paper).toBe(pkg.recordCount);
  });

  it('shows 荷塘区 with a school approved, one awaiting review and one returned with its reason', async () => {
    const county = await t.login(demoReviewCounty, demoPassword);
    const states = (await county.get(`/api/units/${demoReviewCounty}/submission`)).json().missing.map((m: { state: string }) => m.state);
    expect(states).toEqual(expect.arrayContaining(['awaiting_review', 'returned']));
    const inbox = (await county.get(`/api/units/${demoReviewCounty}/inbox`)).json().items.map((i: { package: { status: string } }) => i.package.status);
    expect(inbox.sort()).toEqual(['approved', 'returned', 'submitted']);
  });
});
