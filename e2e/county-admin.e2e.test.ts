import type { Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { docsScreenshot, launchBrowser, screenshot, settle, signIn, type TestBrowser } from './support/browser';
import { serverPerFile } from './support/server';

/** A school list workbook (学校名单) with the template's header row. */
async function schoolList(rows: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('学校名单');
  sheet.addRow(['学校标识码', '学校名称', '学校类型', '所在县市区代码', '教职工数']);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
let browser: TestBrowser | undefined;
const server = serverPerFile(() => browser);

/**
 * Chooses an item of the user menu and waits for its effect. A re-render of the header while the dropdown
 * opens (the layout's queries answering) can swallow the click on the item; the menu is then opened again.
 */
async function fromUserMenu(page: Page, item: string, effect: () => Promise<unknown>) {
  for (let attempt = 1; ; attempt += 1) {
    await settle(page);
    await page.getByTestId('user-menu').click();
    try {
      await page.getByRole('menuitem', { name: item }).click({ timeout: 5_000 });
      await effect();
      return;
    } catch (error) {
      if (attempt === 4) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

describe('a county admin (芙蓉区)', () => {
  it('signs in, sees the schools of the county, opens one, and cannot open another county', async () => {
    browser = await launchBrowser(server.baseUrl);
    const { page, problems } = browser;

    // A deep link while signed out goes to the sign-in page and comes back after signing in.
    await page.goto('/units/430102');
    await page.waitForURL('**/login');
    await expect(page.getByText('演示', { exact: false }).count()).resolves.toBe(0);
    await page.getByLabel('用户名').fill('430102');
    await page.getByLabel('密码').fill('wrong-password-1');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain('用户名或密码错误');
    await screenshot(page, 'county-01-login-error');

    await signIn(page, '430102');
    await page.waitForURL('**/units/430102');
    const schools = page.getByTestId('schools-table');
    await schools.getByRole('link', { name: '芙蓉区实验小学' }).waitFor();
    await expect(page.getByTestId('count-schools').textContent()).resolves.toContain('8');
    await expect(page.getByTestId('user-menu').textContent()).resolves.toContain('芙蓉区管理员');
    await screenshot(page, 'county-02-unit-page');
    await docsScreenshot(page, 'screenshot');

    // Search on the server: by name, then by code.
    await page.getByPlaceholder('按名称或代码搜索').fill('特殊');
    await page.getByPlaceholder('按名称或代码搜索').press('Enter');
    await page.waitForURL(/q=/);
    await settle(page);
    await expect(schools.locator('tr.ant-table-row').count()).resolves.toBe(1);
    await expect(schools.textContent()).resolves.toContain('芙蓉区特殊教育学校');
    await screenshot(page, 'county-03-search');

    await page.goto('/units/430102');
    await schools.getByRole('link', { name: '芙蓉区实验小学' }).click();
    await page.waitForURL('**/units/2430102001');
    const details = page.getByTestId('school-details');
    await details.waitFor();
    await expect(details.textContent()).resolves.toContain('2430102001');
    await expect(details.textContent()).resolves.toContain('中小学');
    await expect(page.getByTestId('unit-breadcrumb').textContent()).resolves.toContain('芙蓉区');
    await screenshot(page, 'county-04-school');

    // Another county's school and another county: the same not-found page, revealing nothing.
    await page.goto('/units/2430103001');
    await page.getByTestId('not-found').waitFor();
    await expect(page.getByTestId('not-found').textContent()).resolves.toContain('未找到该单位，或不在您的管辖范围内');
    await screenshot(page, 'county-05-other-county-school');

    await page.goto('/units/430103');
    await page.getByTestId('not-found').waitFor();
    await expect(page.getByTestId('not-found').textContent()).resolves.toContain('未找到该单位，或不在您的管辖范围内');
    await screenshot(page, 'county-06-other-county');

    await page.goto('/no-such-page');
    await expect(page.getByTestId('not-found').textContent()).resolves.toContain('页面不存在');

    // The session ends behind the page's back: the next request's 401 leads to sign-in and back again.
    await page.goto('/units/430102');
    await page.getByTestId('schools-table').getByRole('link', { name: '芙蓉区实验小学' }).waitFor();
    const me = (await (await page.request.get('/api/auth/me')).json()) as { csrfToken: string };
    expect((await page.request.post('/api/auth/logout', { headers: { 'x-csrf-token': me.csrfToken } })).status()).toBe(204);
    await page.getByTestId('unit-tree').getByText('芙蓉区第六小学').click();
    await page.waitForURL('**/login');
    await page.getByText('请重新登录').waitFor();
    await screenshot(page, 'county-07-signed-out');
    await signIn(page, '430102');
    await page.waitForURL('**/units/2430102006');
    await page.getByTestId('school-details').waitFor();

    expect(problems).toEqual([]);
  });

  it('keeps the input when someone else saved the school first (409), then saves on the new version', async () => {
    const { page, problems } = browser!;
    await page.goto('/units/2430102002');
    await page.getByTestId('school-details').waitFor();
    await page.getByRole('button', { name: /编\s*辑/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('学校名称').fill('芙蓉区第二小学（本部）');

    // Meanwhile someone else changes the school through the API.
    const me = (await (await page.request.get('/api/auth/me')).json()) as { csrfToken: string };
    const current = (await (await page.request.get('/api/schools/2430102002')).json()) as { version: number };
    const patched = await page.request.patch('/api/schools/2430102002', {
      headers: { 'x-csrf-token': me.csrfToken },
      data: { version: current.version, expectedStaff: 20 },
    });
    expect(patched.status()).toBe(200);

    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByTestId('stale-alert').waitFor();
    await expect(page.getByTestId('stale-alert').textContent()).resolves.toContain('数据已被他人修改，请刷新');
    await expect(dialog.getByLabel('学校名称').inputValue()).resolves.toBe('芙蓉区第二小学（本部）');
    await screenshot(page, 'county-08-stale-version');

    await dialog.getByRole('button', { name: /刷新数据/ }).click();
    await dialog.getByText(/已载入最新数据/).waitFor();
    await expect(dialog.getByLabel('学校名称').inputValue()).resolves.toBe('芙蓉区第二小学（本部）');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('学校信息已保存').waitFor();
    await expect(page.getByTestId('school-details').textContent()).resolves.toContain('芙蓉区第二小学（本部）');
    await expect(page.getByTestId('school-details').textContent()).resolves.toContain('20');
    expect(problems).toEqual([]);
  });

  it('imports a school list: row errors in a table, nothing written; then a good list', async () => {
    const { page, problems } = browser!;
    const bad = await schoolList([
      ['243010209', '芙蓉区新建小学', '中小学', '430102', '30'],
      ['2430102098', '', '幼儿园', '430102', '-1'],
    ]);

    await page.goto('/units/430102');
    await page.getByRole('button', { name: /批量导入/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('input[type=file]').setInputFiles({ name: '学校名单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: bad });
    await dialog.getByRole('button', { name: /开始导入/ }).click();
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    await expect(errors.locator('tr.ant-table-row').count()).resolves.toBe(4);
    const firstError = await errors.locator('tr.ant-table-row').first().locator('td').allTextContents();
    expect(firstError).toEqual(['2', 'A', '学校标识码', '应为 10 位数字，实为“243010209”']);
    await expect(page.getByTestId('schools-table').textContent()).resolves.not.toContain('芙蓉区新建小学');
    await screenshot(page, 'county-09-import-errors');

    const good = await schoolList([['2430102098', '芙蓉区新建小学', '中小学', '430102', '30']]);
    await dialog.locator('input[type=file]').setInputFiles({ name: '学校名单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: good });
    await dialog.getByRole('button', { name: /开始导入/ }).click();
    await dialog.getByText('导入完成').waitFor();
    await screenshot(page, 'county-10-import-done');
    await dialog.locator('.ant-modal-footer').getByRole('button', { name: /关\s*闭/ }).click();
    await page.getByTestId('schools-table').getByRole('link', { name: '芙蓉区新建小学' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('pages a long list of children in the tree: 200 at a time, then “more”', async () => {
    const { page, problems } = browser!;
    const rows = Array.from({ length: 200 }, (_unused, index) => {
      const number = String(index + 100).padStart(3, '0');
      return [`2430102${number}`, `芙蓉区测试学校${number}`, '中小学', '430102', '10'];
    });
    const list = await schoolList(rows);
    await page.goto('/units/430102');
    await page.getByRole('button', { name: /批量导入/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('input[type=file]').setInputFiles({ name: '学校名单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: list });
    await dialog.getByRole('button', { name: /开始导入/ }).click();
    await dialog.getByText('导入完成').waitFor();
    await expect(dialog.textContent()).resolves.toContain('200');
    await dialog.locator('.ant-modal-footer').getByRole('button', { name: /关\s*闭/ }).click();

    // 8 demo schools + 1 imported before + 200 now = 209 children of 芙蓉区.
    await page.reload();
    const tree = page.getByTestId('unit-tree');
    const more = tree.getByText('更多…（已显示 200 / 共 209）');
    await more.waitFor();
    await expect(tree.locator('.ant-tree-treenode').count()).resolves.toBe(1 + 200 + 1);
    await more.scrollIntoViewIfNeeded();
    await screenshot(page, 'county-11-tree-more');
    await more.click();
    await tree.getByText('芙蓉区特殊教育学校').waitFor();
    await expect(tree.locator('.ant-tree-treenode').count()).resolves.toBe(1 + 209);
    expect(problems).toEqual([]);
  });

  it('a county viewer sees the county read-only and changes the own password', async () => {
    const { page, problems } = await browser!.newSession();
    await page.goto('/accounts');
    await signIn(page, '430102-viewer');
    await page.waitForURL('**/accounts');
    await page.getByText('您的角色无权访问此页面').waitFor();
    await expect(page.getByTestId('main-menu').textContent()).resolves.not.toContain('账号管理');

    await page.getByTestId('main-menu').getByText('单位').click();
    await page.getByTestId('schools-table').getByRole('link', { name: '芙蓉区实验小学' }).waitFor();
    await expect(page.getByRole('button', { name: /新增学校|批量导入/ }).count()).resolves.toBe(0);

    const dialog = page.getByRole('dialog');
    await fromUserMenu(page, '修改密码', () => dialog.waitFor({ timeout: 5_000 }));
    await dialog.getByLabel('当前密码').fill('not-my-password-1');
    await dialog.getByLabel('新密码', { exact: true }).fill('Changed2024');
    await dialog.getByLabel('确认新密码').fill('Changed2024');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.getByText('当前密码不正确，密码未修改').first().waitFor();
    await screenshot(page, 'county-12-change-password-wrong');
    await dialog.getByLabel('当前密码').fill('demo1234');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('密码已修改').waitFor();

    await fromUserMenu(page, '退出登录', () => page.waitForURL('**/login', { timeout: 5_000 }));
    await signIn(page, '430102-viewer', 'Changed2024');
    expect(problems).toEqual([]);
  });
});
