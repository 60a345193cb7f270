import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, confirmAndApprove, listStaff, type ApiSession } from './support/census-api';
import { launchBrowser, screenshot, settle, signIn, type TestBrowser, type TestPage } from './support/browser';
import { serverPerFile } from './support/server';
import { chinaDay } from '../src/standard/normalize.ts';

/**
 * 工作安排与通报: 芙蓉区 marks its implementation plan done on the home page; 长沙市 sees which of its counties
 * are late (下级逾期); the province moves a county due date in the plan editor, drafts a bulletin, changes
 * its weights, publishes and exports it and opens the print page; 长沙市 then finds it published.
 */
let browser: TestBrowser | undefined;
const server = serverPerFile(() => browser);
let admin: ApiSession;

type Task = { key: string; task: string; due: string | null; state: string; note: string | null };
const tasksOf = async (session: ApiSession, code: string) => ((await (await session.request.get(`/api/units/${code}/tasks`)).json()) as { tasks: Task[] }).tasks;

beforeAll(async () => {
  admin = await apiSession(server.baseUrl, 'admin');
});

afterAll(async () => {
  await admin?.close();
});

async function signedIn(username: string, path = '/'): Promise<TestPage> {
  const session = browser ? await browser.newSession() : (browser = await launchBrowser(server.baseUrl));
  await session.page.goto('/login');
  await signIn(session.page, username);
  await session.page.goto(path);
  return session;
}

describe('the plan\'s tasks, reminders and the bulletin', () => {
  it('a county marks a late task done from its home page; the prefecture sees its late counties', async () => {
    const { page, problems } = await signedIn('430102');
    await page.getByTestId('task-table').waitFor();
    await page.getByTestId('reminder-late').waitFor();
    const lateBefore = await page.getByTestId('reminder-late').locator('.ant-list-item').count();
    expect(lateBefore).toBeGreaterThan(0);
    await screenshot(page, 'campaign-01-county-home');

    await page.getByTestId('mark-done-county-1').click();
    const modal = page.getByTestId('mark-done-modal');
    await modal.getByTestId('done-note').fill('已印发《芙蓉区教职工基础信息采集工作实施方案》');
    await modal.locator('input[type=file]').setInputFiles({ name: '芙蓉区实施方案.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 实施方案') });
    await modal.getByText('芙蓉区实施方案.pdf').waitFor();
    await page.getByRole('button', { name: /标记完成/ }).last().click();
    await page.getByText('已标记完成').waitFor();
    await page.getByTestId('task-table').getByText('已印发《芙蓉区教职工基础信息采集工作实施方案》').waitFor();
    await page.getByTestId('task-table').getByText('芙蓉区实施方案.pdf').waitFor();
    await expect.poll(() => page.getByTestId('reminder-late').locator('.ant-list-item').count()).toBe(lateBefore - 1);
    await screenshot(page, 'campaign-02-county-marked-done');
    const county = await apiSession(server.baseUrl, '430102');
    expect((await tasksOf(county, '430102')).find((task) => task.key === 'county-1')).toMatchObject({ state: 'done' });
    await county.close();
    expect(problems).toEqual([]);

    const prefecture = await signedIn('430100');
    const overdue = prefecture.page.getByTestId('overdue-children');
    await overdue.getByText('天心区').waitFor();
    const furongRow = overdue.locator('tr', { hasText: '芙蓉区' });
    await furongRow.waitFor();
    expect(await furongRow.textContent()).not.toContain('制定工作实施方案');
    expect(await overdue.locator('tr', { hasText: '天心区' }).textContent()).toContain('制定工作实施方案');
    await screenshot(prefecture.page, 'campaign-03-prefecture-overdue-children');
    expect(prefecture.problems).toEqual([]);
  });

  it('a school marks its own training task; the county marks another school\'s on its behalf', async () => {
    // A demo school's own task is marked by its admin (学校管理员).
    const { page, problems } = await signedIn('2430102001-admin');
    await page.getByTestId('mark-done-school-1').click();
    const modal = page.getByTestId('mark-done-modal');
    await modal.getByTestId('done-note').fill('10 月 17 日召开全校教职工信息采集部署培训会');
    await page.getByRole('button', { name: /标记完成/ }).last().click();
    await page.getByText('已标记完成').waitFor();
    await page.getByTestId('task-table').getByText('10 月 17 日召开全校教职工信息采集部署培训会').waitFor();
    await screenshot(page, 'campaign-05-school-marked-training');
    expect(problems).toEqual([]);

    const county = await signedIn('430102');
    const card = county.page.getByTestId('school-tasks');
    await card.getByText('芙蓉区实验小学').waitFor();
    const selfMarked = card.locator('tr', { hasText: '芙蓉区实验小学' });
    await selfMarked.getByText(/完成$/).first().waitFor();
    expect(await selfMarked.getByTestId('marked-by').count()).toBe(0);
    await card.scrollIntoViewIfNeeded();
    await screenshot(county.page, 'campaign-06-county-school-tasks');

    const button = card.locator('[data-testid^="mark-on-behalf-"]').first();
    const code = (await button.getAttribute('data-testid'))!.replace('mark-on-behalf-', '').replace(/-school-1$/, '');
    await button.click();
    const onBehalf = county.page.getByTestId('mark-done-modal');
    await onBehalf.getByTestId('on-behalf-notice').waitFor();
    await onBehalf.getByTestId('done-note').fill('县教育局统一组织该校人事专干参加培训');
    await screenshot(county.page, 'campaign-07-county-mark-on-behalf');
    await county.page.getByRole('button', { name: /代为标记/ }).last().click();
    await county.page.getByText('已标记完成').waitFor();
    const row = card.locator('tr', { has: county.page.locator(`a[href="/units/${code}"]`) });
    await row.getByTestId('marked-by').getByText('由芙蓉区代为标记').waitFor();
    await screenshot(county.page, 'campaign-08-county-marked-on-behalf');
    const countyApi = await apiSession(server.baseUrl, '430102');
    const marked = (await tasksOf(countyApi, code)).find((task) => task.key === 'school-1') as Task & { markedBy: { name: string } | null };
    expect(marked).toMatchObject({ state: 'done', markedBy: { name: '芙蓉区' } });
    await countyApi.close();
    expect(county.problems).toEqual([]);
  });

  it('the province moves a due date, then drafts, weighs, publishes, exports and prints a bulletin', async () => {
    const { page, problems } = await signedIn('admin');
    await page.getByTestId('main-menu').getByText('工作安排').click();
    await page.waitForURL('**/campaign/plan');
    await page.getByRole('tab', { name: '县市区级' }).click();
    const before = (await tasksOf(admin, '430102')).find((task) => task.key === 'county-3')!;
    const newDue = new Date(Date.parse(before.due!) + 10 * 86_400_000).toISOString().slice(0, 10);
    const dueInput = page.getByTestId('plan-due-county-3');
    await dueInput.click();
    await dueInput.fill(newDue);
    await dueInput.press('Enter');
    await screenshot(page, 'campaign-04-plan-editor');
    await page.getByTestId('plan-save').click();
    await page.getByText(/工作安排已保存（1 处修改）/).waitFor();
    expect((await tasksOf(admin, '430102')).find((task) => task.key === 'county-3')!.due).toBe(newDue);

    // A school of 芙蓉区 approves ten of its records: a bulletin dated today counts them for 长沙市.
    const approvedInChangsha = async () => {
      const headers = { 'x-csrf-token': admin.csrf };
      const draft = (await (await admin.request.post('/api/bulletins', { data: { asOf: chinaDay(new Date()) }, headers })).json()) as { id: number; rows: { name: string; approvedStaff: number }[] };
      await admin.request.delete(`/api/bulletins/${draft.id}`, { headers });
      return draft.rows.find((row) => row.name === '长沙市')!.approvedStaff;
    };
    const approvedBefore = await approvedInChangsha();
    const school = await apiSession(server.baseUrl, '2430102001');
    await confirmAndApprove(school, '2430102001', (await listStaff(school, '2430102001')).slice(0, 10).map((row) => row.id));
    await school.close();

    await page.getByTestId('main-menu').getByText('通报').click();
    await page.waitForURL('**/bulletins');
    await page.getByTestId('bulletin-draft').click();
    await page.waitForURL(/\/bulletins\/\d+$/);
    const prefectures = page.getByTestId('bulletin-table-prefecture');
    await prefectures.locator('tr.ant-table-row').first().waitFor();
    expect(await prefectures.locator('tr.ant-table-row').count()).toBe(14);
    const id = Number(page.url().split('/').pop());

    await page.getByTestId('weight-completion').fill('60');
    await page.getByTestId('weight-timeliness').fill('20');
    await page.getByTestId('bulletin-recompute').click();
    await page.getByText('已按新设置重新计算').waitFor();
    type Row = { code: string; name: string; group: string; approvedStaff: number; score: number; completion: number; timeliness: number; quality: number | null; shortfall: number; watch: boolean };
    const drafted = (await (await admin.request.get(`/api/bulletins/${id}`)).json()) as { weights: { completion: number }; watchRule: { bottom: number; belowScore: number | null }; rows: Row[] };
    expect(drafted.weights.completion).toBe(0.6);
    expect(drafted.rows.find((row) => row.name === '长沙市')!.approvedStaff).toBe(approvedBefore + 10);
    // 约谈, one rule in both groups: the N lowest and every unit tied with the N-th, never the group's best.
    for (const group of ['prefecture', 'university']) {
      const members = drafted.rows.filter((row) => row.group === group);
      const scores = members.map((row) => row.score).sort((a, b) => a - b);
      const nth = drafted.watchRule.bottom > 0 ? scores[Math.min(drafted.watchRule.bottom, scores.length) - 1] : -Infinity;
      for (const row of members) {
        const below = drafted.watchRule.belowScore !== null && row.score < drafted.watchRule.belowScore;
        expect(row.watch, row.name).toBe((row.score <= nth && row.score < scores[scores.length - 1]) || below);
      }
    }
    const watched = drafted.rows.filter((row) => row.watch);
    await expect.poll(() => page.getByTestId('bulletin-watchlist').locator('.ant-tag').count()).toBe(watched.length);
    for (const row of watched) await page.getByTestId('bulletin-watchlist').getByText(`${row.name}（`).waitFor();
    // A unit that has reviewed nothing has no quality: scored on the other two, their weights scaled up.
    for (const row of drafted.rows) {
      const score = row.quality === null
        ? Math.round((1000 * (0.6 * row.completion + 0.2 * row.timeliness)) / 0.8) / 10
        : Math.round(1000 * (0.6 * row.completion + 0.2 * row.timeliness + 0.2 * row.quality)) / 10;
      expect(row.score, row.name).toBeCloseTo(score, 5);
    }
    // Each row shows its shortfall; a missing quality reads —.
    const changshaRow = prefectures.locator('tr.ant-table-row', { hasText: '长沙市' });
    expect(await changshaRow.getByTestId('bulletin-shortfall').locator('strong').textContent()).toBe(drafted.rows.find((row) => row.name === '长沙市')!.shortfall.toLocaleString('en'));
    const unreviewed = drafted.rows.find((row) => row.quality === null && row.code.length === 6) ?? drafted.rows.find((row) => row.quality === null);
    expect(unreviewed, 'a unit that has reviewed nothing').toBeDefined();
    const unreviewedTable = page.getByTestId(`bulletin-table-${unreviewed!.code.length === 6 ? 'prefecture' : 'university'}`);
    expect(await unreviewedTable.locator('tr.ant-table-row', { hasText: unreviewed!.name }).getByTestId('bulletin-quality').textContent()).toMatch(/^—\s*尚未审核/);
    await page.getByTestId('bulletin-watchlist').waitFor();
    await screenshot(page, 'bulletin-01-draft');

    await page.getByTestId('bulletin-publish').click();
    await page.getByRole('dialog').getByRole('button', { name: /确\s*定|OK/ }).click();
    await page.getByText('通报已发布').waitFor();
    await page.getByTestId('bulletin-settings').waitFor({ state: 'detached' });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bulletin-export').click()]);
    expect(download.suggestedFilename()).toMatch(/通报.*\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['市州', '高等学校', '说明']);
    expect(workbook.getWorksheet('市州')!.actualRowCount).toBe(2 + 14);
    await screenshot(page, 'bulletin-02-published');

    await page.goto(`/bulletins/${id}/print`);
    await page.getByTestId('bulletin-print-page').getByTestId('bulletin-table-prefecture').locator('tr.ant-table-row').first().waitFor();
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'bulletin-03-print');
    await page.emulateMedia({ media: 'screen' });
    expect(problems).toEqual([]);

    const prefecture = await signedIn('430100', '/bulletins');
    await prefecture.page.getByTestId('bulletin-list').getByText('已发布').waitFor();
    expect(await prefecture.page.getByTestId('bulletin-draft-form').count()).toBe(0);
    await screenshot(prefecture.page, 'bulletin-04-prefecture-list');
    await prefecture.page.getByTestId('bulletin-list').locator('a').first().click();
    await prefecture.page.getByTestId('bulletin-table-university').waitFor();
    await settle(prefecture.page);
    expect(await prefecture.page.getByTestId('bulletin-publish').count()).toBe(0);
    await screenshot(prefecture.page, 'bulletin-05-prefecture-reads');
    expect(prefecture.problems).toEqual([]);
  });
});
