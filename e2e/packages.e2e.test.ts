import { describe, expect, it } from 'vitest';
import { apiSession, confirmAndApprove, listStaff, signOff, submitPackage, trimStaff } from './support/census-api';
import { launchBrowser, screenshot, settle, signIn, type TestBrowser } from './support/browser';
import { serverPerFile } from './support/server';

const school = '2430102001';
let browser: TestBrowser | undefined;
const server = serverPerFile(() => browser);

describe('报送: a school signs and submits, the county returns a row, the school resubmits, the county approves', () => {
  it('goes round the review loop, and the county cannot submit while schools are missing', async () => {
    // Setup through the API: five records, each confirmed by the person and approved by the operator.
    const operatorApi = await apiSession(server.baseUrl, school);
    await trimStaff(operatorApi, school, 5);
    const ids = (await listStaff(operatorApi, school)).map((row) => row.id);
    await confirmAndApprove(operatorApi, school, ids);

    // The leader signs: 5 records against 63 expected, so an explanation is required.
    browser = await launchBrowser(server.baseUrl);
    const leader = browser;
    await leader.page.goto('/login');
    await signIn(leader.page, `${school}-leader`);
    await leader.page.goto(`/units/${school}`);
    await leader.page.getByTestId('submission-link').click();
    await leader.page.waitForURL(`**/units/${school}/submission`);
    await leader.page.getByTestId('deadline-tag').waitFor();
    await expect(leader.page.getByTestId('deadline-tag').textContent()).resolves.toMatch(/未到期|即将到期|已逾期/);
    await expect(leader.page.getByTestId('submission-counts').textContent()).resolves.toContain('5');
    await leader.page.getByTestId('signoff-button').click();
    await leader.page.getByText('请填写人数差异说明').waitFor();
    await leader.page.getByTestId('signoff-explanation').fill('58 人已调出，名单待人事部门核减');
    await screenshot(leader.page, 'packages-01-leader-signoff');
    await leader.page.getByTestId('signoff-button').click();
    await leader.page.getByText('负责人已签字').waitFor();

    // The operator submits.
    const operator = await browser.newSession();
    await operator.page.goto('/login');
    await signIn(operator.page, school);
    await operator.page.goto(`/units/${school}/submission`);
    await operator.page.getByTestId('submit-button').click();
    await operator.page.getByTestId('package-status').waitFor();
    await operator.page.getByTestId('package-status').filter({ hasText: /^待审核$/ }).waitFor();
    await screenshot(operator.page, 'packages-02-school-submitted');

    // The county opens its inbox and returns one row with a reason.
    const county = await browser.newSession();
    await county.page.goto('/login');
    await signIn(county.page, '430102');
    await county.page.getByTestId('main-menu').getByText('收件箱').click();
    await county.page.waitForURL('**/units/430102/inbox');
    await county.page.getByTestId('inbox-table').getByRole('link', { name: '芙蓉区实验小学' }).waitFor();
    await screenshot(county.page, 'packages-02b-county-inbox');
    await county.page.getByTestId('inbox-table').getByRole('link', { name: '芙蓉区实验小学' }).click();
    await county.page.waitForURL('**/packages/*');
    const items = county.page.getByTestId('package-items');
    await items.locator('tr.ant-table-row').first().waitFor();
    await expect(items.locator('tr.ant-table-row').count()).resolves.toBe(5);
    await screenshot(county.page, 'packages-03-county-package');
    await items.locator('tr.ant-table-row').first().locator('.ant-checkbox-input').check();
    await county.page.getByTestId('return-button').click();
    await county.page.getByTestId('return-reason').fill('请核对一条记录');
    await county.page.getByTestId(`row-reason-${ids[0]}`).fill('出生日期与证件号不一致');
    await screenshot(county.page, 'packages-04-county-return');
    await county.page.getByRole('dialog').getByRole('button', { name: /确\s*定/ }).click();
    await county.page.getByTestId('package-return-reason').waitFor();
    await expect(items.textContent()).resolves.toContain('出生日期与证件号不一致');

    // The school hears of it in the bell and sees the returned record's reason.
    await operator.page.reload();
    await settle(operator.page);
    await expect(operator.page.getByTestId('notification-bell').textContent()).resolves.toMatch(/[1-9]/);
    await operator.page.getByTestId('notification-bell').click();
    await operator.page.getByTestId('notifications-panel').getByText(/被退回/).first().click();
    await operator.page.waitForURL('**/packages/*');
    await operator.page.getByTestId('package-items').getByText('出生日期与证件号不一致').waitFor();
    await expect(operator.page.getByTestId('approve-button').count()).resolves.toBe(0);
    await screenshot(operator.page, 'packages-05-school-sees-reason');

    // The fix, the sign-off and the resubmission through the API; the county approves in the browser.
    await confirmAndApprove(operatorApi, school, [ids[0]]);
    const leaderApi = await apiSession(server.baseUrl, `${school}-leader`);
    await signOff(leaderApi, school, '58 人已调出，名单待人事部门核减');
    const second = await submitPackage(operatorApi, school);
    await county.page.goto(`/packages/${second.id}`);
    // 58 fewer than expected: the county accepts the shortfall explicitly. The returned row was confirmed again
    // unchanged, so the page says nothing changed since v1.
    await county.page.getByTestId('package-shortfall').getByText('待审核单位确认接受').waitFor();
    await county.page.getByTestId('package-changes').getByText('与上一版（第 1 版）相比没有变化').waitFor();
    await county.page.getByTestId('approve-button').click();
    await county.page.getByTestId('shortfall-modal').getByText('58 人已调出').waitFor();
    await county.page.getByTestId('shortfall-accept').check();
    await screenshot(county.page, 'packages-05b-county-accepts-shortfall');
    await county.page.getByTestId('shortfall-modal').getByRole('button', { name: /审核通过/ }).click();
    await county.page.getByText('已审核通过').waitFor();
    // The message shows as soon as the server answers; the page shows the new status once it has read the package again.
    await county.page.getByTestId('package-status').filter({ hasText: /^已通过$/ }).waitFor();
    await county.page.getByTestId('package-shortfall').getByText('审核单位已确认接受').waitFor();
    await screenshot(county.page, 'packages-06-county-approved');

    // The county's own submission page lists the schools still missing, and offers no submit while any is.
    await county.page.goto('/units/430102/submission');
    const missing = county.page.getByTestId('submission-missing');
    await missing.getByText('芙蓉区第二小学').waitFor();
    await expect(missing.textContent()).resolves.not.toContain('芙蓉区实验小学');
    await expect(county.page.getByTestId('submission-blockers').textContent()).resolves.toContain('7');
    await expect(county.page.getByTestId('submit-button').count()).resolves.toBe(0);
    await screenshot(county.page, 'packages-07-county-missing');

    // The ID number conflicts page of the school: none open in the demo.
    await operator.page.goto(`/units/${school}/conflicts`);
    await operator.page.getByTestId('conflicts-page').getByText('没有冲突').waitFor();
    await screenshot(operator.page, 'packages-08-school-conflicts');

    await leaderApi.close();
    await operatorApi.close();
    expect([...leader.problems, ...operator.problems, ...county.problems]).toEqual([]);
  }, 180_000);
});
