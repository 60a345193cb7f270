import { describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, settle, signIn, type TestBrowser } from './support/browser';
import { serverPerFile } from './support/server';

let browser: TestBrowser | undefined;
const server = serverPerFile(() => browser);

describe('the province admin', () => {
  it('opens 长沙市 from the tree, manages accounts, and switches to English', async () => {
    browser = await launchBrowser(server.baseUrl);
    const { page, problems } = browser;
    await page.goto('/');
    await signIn(page, 'admin');
    await page.getByTestId('campaign-card').waitFor();
    await expect(page.getByTestId('task-table').textContent()).resolves.toContain('基础信息报送');
    await screenshot(page, 'province-01-home');

    // The tree starts at the province and loads a prefecture's counties only when it opens.
    const tree = page.getByTestId('unit-tree');
    const changsha = tree.locator('.ant-tree-treenode', { has: page.getByText('长沙市', { exact: true }) });
    await changsha.locator('.ant-tree-switcher').click();
    await tree.getByText('芙蓉区', { exact: true }).waitFor();
    await screenshot(page, 'province-02-tree-expanded');

    await tree.getByText('长沙市', { exact: true }).click();
    await page.waitForURL('**/units/430100');
    const children = page.getByTestId('children-table');
    await children.getByRole('link', { name: '天心区' }).waitFor();
    await expect(children.locator('tr.ant-table-row').count()).resolves.toBe(9);
    const furong = children.locator('tr.ant-table-row', { has: page.getByRole('link', { name: '芙蓉区', exact: true }) });
    await expect(furong.textContent()).resolves.toMatch(/430102.*县市区.*8/);
    await expect(page.getByTestId('count-counties').textContent()).resolves.toContain('9');
    await screenshot(page, 'province-03-changsha');

    await page.getByTestId('main-menu').getByText('账号管理').click();
    await page.waitForURL('**/accounts');
    const accounts = page.getByTestId('accounts-table');
    await accounts.locator('tr.ant-table-row').first().waitFor();
    await expect(accounts.textContent()).resolves.toContain('430100');
    await screenshot(page, 'province-04-accounts');

    // Create an account for a school, then lock it out with wrong passwords and unlock it.
    await page.getByRole('button', { name: /新建账号/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').fill('furong-hr-2');
    await dialog.getByLabel('姓名').fill('芙蓉区实验小学人事专干二');
    await dialog.getByLabel('所属单位代码').fill('2430102001');
    await dialog.getByText('学校：芙蓉区实验小学').waitFor();
    await dialog.getByLabel('初始密码').fill('Furong-HR-Start-24');
    await dialog.getByLabel('确认新密码').fill('Furong-HR-Start-24');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已新建账号：furong-hr-2').waitFor();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await page.request.post('/api/auth/login', { data: { username: 'furong-hr-2', password: 'not-the-password-1' }, headers: { cookie: '' } });
    }
    await page.getByPlaceholder('按用户名或姓名搜索').fill('furong-hr-2');
    await page.getByPlaceholder('按用户名或姓名搜索').press('Enter');
    await settle(page);
    const row = accounts.locator('tr.ant-table-row', { hasText: 'furong-hr-2' });
    await row.getByText('已锁定').waitFor();
    await screenshot(page, 'province-05-locked-account');
    await row.getByRole('button', { name: /解\s*锁/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: /确\s*定/ }).click();
    await page.getByText('已解锁：furong-hr-2').waitFor();
    await row.getByText('正常').waitFor();

    // English: labels change at once and the choice survives a reload.
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
    await page.getByRole('button', { name: /New account/ }).waitFor();
    await expect(accounts.textContent()).resolves.toContain('Username');
    await screenshot(page, 'province-06-accounts-en');
    await page.reload();
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
    await page.goto('/units/430100');
    await page.getByRole('tab', { name: 'Subordinate units' }).waitFor();
    await expect(page.getByTestId('count-counties').textContent()).resolves.toContain('Counties');
    await screenshot(page, 'province-07-changsha-en');
    expect(problems).toEqual([]);
  });
});
