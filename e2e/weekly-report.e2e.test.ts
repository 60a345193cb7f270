import { describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, signIn, type TestBrowser } from './support/browser';
import { serverPerFile } from './support/server';

const county = '430102';
let browser: TestBrowser | undefined;
const server = serverPerFile(() => browser);

describe('周报: a county fills, signs three times in order and submits its weekly report; the prefecture sees it', () => {
  it('goes from the list to the issue, through preparer, department head and bureau leader, to the prefecture\'s table', async () => {
    browser = await launchBrowser(server.baseUrl);
    const admin = browser;
    await admin.page.goto('/login');
    await signIn(admin.page, county);
    await admin.page.getByTestId('main-menu').getByText('周报').click();
    await admin.page.waitForURL(`**/units/${county}/weekly-reports`);
    await admin.page.getByTestId('weekly-issues').getByText('第 2 期').first().waitFor();
    await expect(admin.page.getByTestId('weekly-issues').locator('tbody tr').count()).resolves.toBe(4);
    await screenshot(admin.page, 'weekly-01-county-issues');

    // Issue 2 (各类学校教职工数据与报送情况) is before its Friday cut-off: live figures.
    await admin.page.getByTestId('weekly-issues').getByText('第 2 期').first().click();
    await admin.page.waitForURL(`**/units/${county}/weekly-reports/2`);
    await admin.page.getByTestId('weekly-live').waitFor();
    await expect(admin.page.getByTestId('weekly-table').textContent()).resolves.toContain('中小学');
    await admin.page.getByTestId('weekly-suggest-remarks').click();
    await expect(admin.page.getByTestId('weekly-remarks').inputValue()).resolves.toContain('中小学：');
    const drafted = await admin.page.getByTestId('weekly-remarks').inputValue();
    await admin.page.getByTestId('weekly-remarks').fill(`${drafted}\n个别学校人员调动待核实。`);
    await admin.page.getByTestId('weekly-save-remarks').click();
    await admin.page.getByText('备注已保存').waitFor();
    await screenshot(admin.page, 'weekly-02-county-issue-live');

    // 填表人 and 责任部门负责人: the county's admin account, two names typed.
    await admin.page.getByTestId('weekly-signer-name').fill('张晓明');
    await admin.page.getByTestId('weekly-sign').click();
    await admin.page.getByTestId('weekly-signature-preparer').getByText('张晓明').waitFor();
    await admin.page.getByTestId('weekly-signer-name').fill('李国华');
    await admin.page.getByTestId('weekly-sign').click();
    await admin.page.getByTestId('weekly-signature-department_head').getByText('李国华').waitFor();
    await expect(admin.page.getByTestId('weekly-live').count()).resolves.toBe(0);
    await screenshot(admin.page, 'weekly-03-county-two-signatures');

    // 主管局领导: the leader's account.
    const leader = await browser.newSession();
    await leader.page.goto('/login');
    await signIn(leader.page, `${county}-leader`);
    await leader.page.goto(`/units/${county}/weekly-reports/2`);
    await leader.page.getByTestId('weekly-signer-name').fill('王建军');
    await leader.page.getByTestId('weekly-sign').click();
    await leader.page.getByTestId('weekly-signature-bureau_leader').getByText('王建军').waitFor();
    await expect(leader.page.getByTestId('weekly-submit').count()).resolves.toBe(0);
    await screenshot(leader.page, 'weekly-04-leader-signed');

    // The admin submits to the prefecture.
    await admin.page.reload();
    await admin.page.getByTestId('weekly-submit').click();
    await admin.page.getByText('周报已报送').first().waitFor();
    await expect(admin.page.getByTestId('weekly-report-page').textContent()).resolves.toContain('已报送');
    await screenshot(admin.page, 'weekly-05-county-submitted');
    await admin.page.emulateMedia({ media: 'print' });
    await screenshot(admin.page, 'weekly-06-print-page');
    await admin.page.emulateMedia({ media: 'screen' });

    // The prefecture sees 芙蓉区's report for issue 2 in its table of counties.
    const prefecture = await browser.newSession();
    await prefecture.page.goto('/login');
    await signIn(prefecture.page, '430100');
    await prefecture.page.getByTestId('main-menu').getByText('周报').click();
    await prefecture.page.waitForURL('**/units/430100/weekly-reports');
    await prefecture.page.getByText('第 2 期').last().click();
    const row = prefecture.page.getByTestId('weekly-received').locator('tr', { hasText: '芙蓉区' });
    await row.getByText('已报送').waitFor();
    await screenshot(prefecture.page, 'weekly-07-prefecture-received');
    await prefecture.page.goto(`/units/${county}/weekly-reports/2`);
    await prefecture.page.getByTestId('weekly-signature-bureau_leader').getByText('王建军').waitFor();
    await expect(prefecture.page.getByTestId('weekly-sign').count()).resolves.toBe(0);

    // The province sees every prefecture's report for the week in one table, universities included.
    const province = await browser.newSession();
    await province.page.goto('/login');
    await signIn(province.page, 'admin');
    await province.page.getByTestId('main-menu').getByText('周报').click();
    await province.page.waitForURL('**/units/430000/weekly-reports');
    await province.page.getByText('第 2 期').last().click();
    await province.page.getByTestId('weekly-received').getByText('高等学校').waitFor();
    await expect(province.page.getByTestId('weekly-received').locator('tbody tr').count()).resolves.toBe(16);
    await expect(province.page.getByTestId('weekly-received-export').textContent()).resolves.toContain('报教育部');
    await screenshot(province.page, 'weekly-08-province-summary');

    expect(admin.problems).toEqual([]);
    expect(province.problems).toEqual([]);
    expect(leader.problems).toEqual([]);
    expect(prefecture.problems).toEqual([]);
  }, 180_000);
});
