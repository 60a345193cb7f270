import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { chooseOption, launchBrowser, screenshot, signIn, type TestBrowser } from './support/browser';
import { serverPerFile } from './support/server';

const county = '430102';
const prefecture = '430100';
let browser: TestBrowser | undefined;
const server = serverPerFile(() => browser);

const people = {
  leader: { name: '刘建国', title: '副局长', officePhone: '0731-84720001', mobile: '13807310001', email: 'liujg@frjy.cn' },
  head: { name: '陈红', title: '人事科科长', officePhone: '0731-84720002', mobile: '13907310002', email: 'chenh@frjy.cn' },
  liaison: { name: '周敏', title: '人事科科员', officePhone: '0731 8472 0003', mobile: '1370731000', email: 'zhoum@frjy.cn' },
};

describe('责任人: 芙蓉区 reports its responsible persons, 长沙市 sees it switch to reported and exports the directory', () => {
  it('refuses a bad mobile with a clear message, saves once fixed, and the prefecture sees and exports it', async () => {
    browser = await launchBrowser(server.baseUrl);
    const countyAdmin = browser;
    await countyAdmin.page.goto('/login');
    await signIn(countyAdmin.page, county);

    // Before: the prefecture's list shows 芙蓉区 未报送.
    const prefectureAdmin = await browser.newSession();
    await prefectureAdmin.page.goto('/login');
    await signIn(prefectureAdmin.page, prefecture);
    await prefectureAdmin.page.getByTestId('main-menu').getByText('下级责任人报送').click();
    await prefectureAdmin.page.waitForURL(`**/units/${prefecture}/contacts/children`);
    const furongRow = prefectureAdmin.page.getByTestId('contacts-children').locator('tr', { hasText: '芙蓉区' });
    await furongRow.getByText('未报送').waitFor();
    await screenshot(prefectureAdmin.page, 'contacts-01-prefecture-before');

    await countyAdmin.page.getByTestId('main-menu').getByText('责任人', { exact: true }).click();
    await countyAdmin.page.waitForURL(`**/units/${county}/contacts`);
    await countyAdmin.page.getByTestId('contacts-state').getByText('未报送').waitFor();
    await countyAdmin.page.getByTestId('contacts-department').fill('人事科');
    for (const [role, person] of Object.entries(people)) {
      for (const [field, value] of Object.entries(person)) await countyAdmin.page.getByTestId(`contacts-${role}-${field}`).fill(value);
    }
    await countyAdmin.page.getByTestId('contacts-submit').click();
    // The finding sits under the liaison's mobile, naming the person, the field and why.
    const finding = '联络员的手机“1370731000”不是有效的手机号码（11 位，以 13–19 开头，如 13812345678）';
    await countyAdmin.page.getByTestId('contacts-form').locator('.ant-form-item-explain-error', { hasText: finding }).waitFor();
    await screenshot(countyAdmin.page, 'contacts-02-county-bad-mobile');

    await countyAdmin.page.getByTestId('contacts-liaison-mobile').fill('137 0731 0003');
    await countyAdmin.page.getByTestId('contacts-submit').click();
    await countyAdmin.page.getByTestId('contacts-state').getByText('已报送').waitFor();
    // Phones come back normalised.
    await expect(countyAdmin.page.getByTestId('contacts-liaison-mobile').inputValue()).resolves.toBe('13707310003');
    await expect(countyAdmin.page.getByTestId('contacts-liaison-officePhone').inputValue()).resolves.toBe('0731-84720003');
    await screenshot(countyAdmin.page, 'contacts-03-county-reported');

    // After: 长沙市 reloads and sees 芙蓉区 已报送, with its liaison, and exports the directory.
    await prefectureAdmin.page.reload();
    await furongRow.getByText('已报送').waitFor();
    await expect(furongRow.textContent()).resolves.toContain('周敏 13707310003');
    await screenshot(prefectureAdmin.page, 'contacts-04-prefecture-after');
    const [download] = await Promise.all([prefectureAdmin.page.waitForEvent('download'), prefectureAdmin.page.getByTestId('contacts-export').click()]);
    expect(download.suggestedFilename()).toBe('教职工基础信息采集责任人和联络员信息表-长沙市.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await download.path());
    const sheet = workbook.worksheets[0];
    expect(sheet.getCell(2, 1).value).toBe('教职工基础信息采集责任人和联络员信息表');
    const rows = [...Array(sheet.rowCount - 5).keys()].map((index) => (sheet.getRow(6 + index).values as unknown[]).slice(1));
    const furong = rows.find((row) => row[0] === '芙蓉区')!;
    expect(furong.slice(0, 3)).toEqual(['芙蓉区', '人事科', '刘建国']);
    expect(furong[15]).toBe('13707310003');
    expect(rows.filter((row) => row[1] === '未报送').length).toBe(rows.length - 1);

    expect(countyAdmin.problems).toEqual([]);
    expect(prefectureAdmin.problems).toEqual([]);
  });

  it('the province fills its working group and a county viewer sees it with masked phones', async () => {
    const province = await browser!.newSession();
    await province.page.goto('/login');
    await signIn(province.page, 'admin');
    await province.page.getByTestId('main-menu').getByText('省联合工作组').click();
    await province.page.waitForURL('**/working-group/province');
    const members = [
      ['组长', '王志强', '党组副书记、工委副书记、副厅长（组长）', '0731-84714801'],
      ['副组长', '李卫东', '党组成员、工委副书记（副组长）', '0731-84714802'],
      ['成员', '张丽', '人事处处长', '13807314803'],
      // Markup typed into a name is kept and shown as text, never run.
      ['成员', '<img src=x onerror="document.title=1">赵', '信息中心主任', '13807314804'],
    ];
    for (const [index, [role, name, post, phone]] of members.entries()) {
      await province.page.getByTestId('working-group-add').click();
      const row = province.page.getByTestId('working-group-member').nth(index);
      if (index > 0) {
        await chooseOption(province.page, row.locator('.ant-select'), { text: new RegExp(`^${role}$`) });
      }
      await row.getByLabel('姓名').fill(name);
      await row.getByLabel('职务', { exact: true }).fill(post);
      await row.getByLabel('联系电话').fill(phone);
    }
    await province.page.getByTestId('working-group-save').click();
    await province.page.getByText('工作组已保存').waitFor();
    await screenshot(province.page, 'contacts-05-province-group-edit');

    const viewer = await browser!.newSession();
    await viewer.page.goto('/login');
    await signIn(viewer.page, `${county}-viewer`);
    await viewer.page.getByTestId('main-menu').getByText('省联合工作组').click();
    const table = viewer.page.getByTestId('working-group-table');
    await table.getByText('王志强').waitFor();
    await expect(table.textContent()).resolves.toContain('0731-****4801');
    await expect(table.textContent()).resolves.toContain('138****4803');
    await expect(table.textContent()).resolves.not.toContain('13807314803');
    await expect(table.textContent()).resolves.toContain('<img src=x onerror="document.title=1">赵');
    await expect(table.locator('img').count()).resolves.toBe(0);
    await expect(viewer.page.title()).resolves.not.toBe('1');
    await screenshot(viewer.page, 'contacts-06-province-group-viewer');
    expect(province.problems).toEqual([]);
    expect(viewer.problems).toEqual([]);
  });
});
