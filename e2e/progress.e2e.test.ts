import { describe, expect, it } from 'vitest';
import { apiSession, confirmAndApprove, confirmOnPaperAndApprove, listStaff } from './support/census-api';
import { launchBrowser, screenshot, settle, signIn, type TestBrowser } from './support/browser';
import { serverPerFile } from './support/server';

const school = '2430102001';
let browser: TestBrowser | undefined;
const server = serverPerFile(() => browser);

type Figures = { progress: { staff: { entered: number; shortfall: number; confirmed: number; confirmedPhone: number; confirmedPaper: number; approved: number } } };

describe('进度: the province admin drills from the province to a school and its records, and back up', () => {
  it('shows each level with its charts and children, with the figures the API counts', async () => {
    // Three records of one school confirmed by their people and approved, two more signed on paper, so every
    // stage (and both kinds of confirmation) has people in it.
    const operator = await apiSession(server.baseUrl, school);
    const ids = (await listStaff(operator, school)).slice(0, 5).map((row) => row.id);
    await confirmAndApprove(operator, school, ids.slice(0, 3));
    await confirmOnPaperAndApprove(operator, school, ids.slice(3));
    const admin = await apiSession(server.baseUrl, 'admin');
    const figures = async (code: string) => (await (await admin.request.get(`/api/units/${code}/progress`)).json()) as { totals: Figures; children: { code: string; name: string }[] };

    browser = await launchBrowser(server.baseUrl);
    const { page } = browser;
    await page.goto('/login');
    await signIn(page, 'admin');
    await page.getByTestId('main-menu').getByText('进度').click();
    await page.waitForURL('**/units/430000/progress');
    const table = page.getByTestId('progress-children');
    const waitForCharts = async () => {
      await page.getByTestId('progress-funnel').locator('canvas').waitFor();
      await page.getByTestId('progress-trend').locator('canvas').waitFor();
      await settle(page);
    };
    await table.waitFor();
    await waitForCharts();
    const province = await figures('430000');
    const summary = page.getByTestId('progress-summary');
    await expect(summary.textContent()).resolves.toContain(province.totals.progress.staff.entered.toLocaleString('en'));
    // Lagging first: the first row is the first child the API lists.
    await expect(table.locator('tbody tr.ant-table-row').first().textContent()).resolves.toContain(province.children[0].name);
    await screenshot(page, 'progress-01-province');

    await table.getByRole('link', { name: '长沙市', exact: true }).click();
    await page.waitForURL('**/units/430100/progress');
    await page.getByTestId('progress-breadcrumb').getByText('湖南省').waitFor();
    await waitForCharts();
    await screenshot(page, 'progress-02-prefecture');

    await table.getByRole('link', { name: '芙蓉区', exact: true }).click();
    await page.waitForURL('**/units/430102/progress');
    await waitForCharts();
    const county = await figures('430102');
    await expect(summary.textContent()).resolves.toContain(String(county.totals.progress.staff.approved));
    const { staff } = county.totals.progress;
    expect(staff.confirmedPhone).toBeGreaterThanOrEqual(3);
    expect(staff.confirmedPaper).toBeGreaterThanOrEqual(2);
    await expect(page.getByTestId('progress-confirmed').textContent()).resolves.toContain(`手机 ${staff.confirmedPhone}纸质 ${staff.confirmedPaper}`);
    await expect(page.getByTestId('progress-shortfall').textContent()).resolves.toContain(String(staff.shortfall));
    await screenshot(page, 'progress-03-county');

    const schoolName = county.children.find((child) => child.code === school)!.name;
    const schoolRow = table.locator('tbody tr.ant-table-row', { hasText: schoolName });
    if ((await schoolRow.count()) === 0) await table.getByRole('listitem', { name: /下一页|Next/ }).click();
    await table.getByRole('link', { name: schoolName, exact: true }).click();
    await page.waitForURL(`**/units/${school}/progress`);
    await waitForCharts();
    const own = await figures(school);
    expect(own.totals.progress.staff.approved).toBeGreaterThanOrEqual(5);
    expect(own.totals.progress.staff).toMatchObject({ confirmedPhone: 3, confirmedPaper: 2 });
    await expect(page.getByTestId('progress-confirmed').textContent()).resolves.toContain('手机 3纸质 2');
    await expect(summary.textContent()).resolves.toContain(String(own.totals.progress.staff.entered));
    await screenshot(page, 'progress-04-school');

    await page.getByTestId('progress-records').click();
    await page.waitForURL(`**/units/${school}`);
    await page.getByTestId('staff-table').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId('unit-breadcrumb').waitFor();
    await screenshot(page, 'progress-05-school-records');

    // Back up: to the school's progress, then the breadcrumb one level at a time to the province.
    await page.goBack();
    await page.waitForURL(`**/units/${school}/progress`);
    const breadcrumb = page.getByTestId('progress-breadcrumb');
    await breadcrumb.getByRole('link', { name: '芙蓉区' }).click();
    await page.waitForURL('**/units/430102/progress');
    await breadcrumb.getByRole('link', { name: '长沙市' }).click();
    await page.waitForURL('**/units/430100/progress');
    await breadcrumb.getByRole('link', { name: '湖南省' }).click();
    await page.waitForURL('**/units/430000/progress');
    await table.waitFor();
    await waitForCharts();
    await screenshot(page, 'progress-06-back-at-province');
    expect(browser.problems).toEqual([]);
    await operator.close();
    await admin.close();
  }, 240_000);
});
