import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { apiSession, listStaff } from './support/census-api';
import { launchBrowser, screenshot, signIn, type TestBrowser } from './support/browser';
import { serverPerFile } from './support/server';

const school = '2430102001';
let browser: TestBrowser | undefined;
const server = serverPerFile(() => browser);

describe('审计日志: a county admin reads, filters and exports its subtree\'s log', () => {
  it('shows the school\'s change with the phone masked, filters it, and exports the log', async () => {
    // The school's operator edits a record, leaving a phone number in the remark.
    const operator = await apiSession(server.baseUrl, school);
    const [record] = await listStaff(operator, school);
    const changed = await operator.request.patch(`/api/staff/${record.id}`, {
      data: { version: record.version, values: { remark: '本人手机13912345678' } },
      headers: { 'x-csrf-token': operator.csrf },
    });
    expect(changed.status()).toBe(200);
    await operator.close();

    browser = await launchBrowser(server.baseUrl);
    const { page } = browser;
    await page.goto('/login');
    await signIn(page, '430102');
    await page.getByTestId('main-menu').getByText('审计日志').click();
    await page.waitForURL('**/units/430102/audit');
    const table = page.getByTestId('audit-table');
    await table.getByText('修改记录').first().waitFor();
    await screenshot(page, 'audit-01-county-log');

    await page.getByTestId('audit-action').click();
    await page.keyboard.type('教职工记录');
    await page.keyboard.press('Enter');
    await page.getByTestId('audit-search').click();
    await table.getByText('修改记录').first().waitFor();
    await expect(table.getByText('登录', { exact: true }).count()).resolves.toBe(0);
    await table.locator('tr.ant-table-row').filter({ hasText: '修改记录' }).first().locator('.ant-table-row-expand-icon').click();
    const expanded = page.locator('.ant-table-expanded-row').first();
    await expanded.getByText('变更后').waitFor();
    await expect(expanded.textContent()).resolves.toContain('139****5678');
    await expect(page.content()).resolves.not.toContain('13912345678');
    await screenshot(page, 'audit-02-filtered-expanded');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
    expect(download.suggestedFilename()).toContain('审计日志');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const actions = workbook.getWorksheet('审计日志')!.getColumn(6).values.slice(2).map(String);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((action) => action.startsWith('staff.'))).toBe(true);
    expect(browser.problems).toEqual([]);
  }, 180_000);
});
