import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkRecord, fieldByKey, formatCell, type FieldKey } from '../src/standard/index.ts';
import { chooseOption, launchBrowser, screenshot, settle, signIn, type TestBrowser } from './support/browser';
import { serverPerFile } from './support/server';
import { columnsOf, importCount as count, person, rowOfName, uploadOnImportPage as upload, workbookOf, wrongCheck } from './support/staff-workbook';

const school = '2430102001'; // 芙蓉区实验小学, with demo staff
const dataSheet = '教职工基础信息';
let browser: TestBrowser | undefined;
const server = serverPerFile(() => browser);
// What the page shows next (an import preview above all: the server reads the whole workbook) may take far
// longer than Playwright's 30 s on a busy machine: every wait gets two minutes, and a test room for several.
const pageWait = 120_000;

const people = [person('欧阳明远', '19850314', '903'), person('司马晓雯', '19900722', '904'), person('诸葛青云', '19921105', '905')];

describe('a school operator (芙蓉区实验小学)', { timeout: 10 * pageWait }, () => {
  it('sees the staff, opens a record, gets the standard\'s live checks while editing, and saves', async () => {
    browser = await launchBrowser(server.baseUrl);
    browser.context.setDefaultTimeout(pageWait);
    const { page, problems } = browser;
    await page.goto('/login');
    await signIn(page, school);
    await page.goto(`/units/${school}`);
    const table = page.getByTestId('staff-table');
    await table.locator('tr.ant-table-row').first().waitFor();
    await settle(page);
    expect(await table.locator('tr.ant-table-row').count()).toBe(20);
    await expect(table.textContent()).resolves.toContain('已录入');
    await screenshot(page, 'school-01-staff-list');

    // Search by name on the server.
    // The first cell after the selection checkbox is the name.
    const firstName = (await table.locator('tr.ant-table-row').first().locator('td:not(.ant-table-selection-column)').first().textContent())!.trim();
    await page.getByPlaceholder('姓名或证件号前几位').fill(firstName);
    await page.getByPlaceholder('姓名或证件号前几位').press('Enter');
    await page.waitForURL(/q=/);
    await settle(page);
    await expect(table.locator('tr.ant-table-row').first().textContent()).resolves.toContain(firstName);

    await table.locator('tr.ant-table-row').first().click();
    await page.waitForURL(/\/staff\/\d+$/);
    await page.getByTestId('staff-details').waitFor();
    await expect(page.getByTestId('staff-name').textContent()).resolves.toBe(firstName);
    await screenshot(page, 'school-02-record');

    await page.getByTestId('staff-edit').click();
    await page.getByTestId('staff-form').waitFor();
    const idInput = page.locator('#staff-idNumber');
    const idNumber = await idInput.inputValue();
    expect(idNumber).toMatch(/^\d{17}[\dX]$/);
    await idInput.fill(wrongCheck(idNumber));
    await expect(page.getByTestId('field-idNumber').textContent()).resolves.toContain(`身份证件号：校验位应为${idNumber[17]}`);
    await expect(page.getByTestId('field-idNumber').locator('.rc-finding-error').count()).resolves.toBe(1);
    await screenshot(page, 'school-03-live-check');

    // Saving with an error is refused in the page, with the count.
    await page.getByTestId('staff-save').click();
    await page.getByText('还有 1 处错误，请改正后再保存').waitFor();

    await idInput.fill(idNumber);
    await page.getByTestId('field-idNumber').locator('.rc-finding-error').waitFor({ state: 'detached' });
    // A code of a tree table (婚姻状况: 20 已婚 › 22 再婚), found by typing part of its name.
    await chooseOption(page, page.getByTestId('field-marital').locator('.ant-select'), { title: '22-再婚' }, '再婚');
    await page.locator('#staff-remark').fill('电话已核实');

    // Meanwhile someone else saves the record: the save answers 409, the input stays, a reload merges.
    const recordId = Number(page.url().split('/').pop());
    const me = (await (await page.request.get('/api/auth/me')).json()) as { csrfToken: string };
    const current = (await (await page.request.get(`/api/staff/${recordId}`)).json()) as { version: number };
    const patched = await page.request.patch(`/api/staff/${recordId}`, {
      headers: { 'x-csrf-token': me.csrfToken },
      data: { version: current.version, values: { staffNo: 'T-2013-01' } },
    });
    expect(patched.status()).toBe(200);
    await page.getByTestId('staff-save').click();
    await page.getByTestId('stale-alert').waitFor();
    await expect(page.locator('#staff-remark').inputValue()).resolves.toBe('电话已核实');
    await page.getByRole('button', { name: '刷新数据' }).click();
    await expect.poll(() => page.locator('#staff-staffNo').inputValue()).toBe('T-2013-01');
    await expect(page.locator('#staff-remark').inputValue()).resolves.toBe('电话已核实');

    await page.getByTestId('staff-save').click();
    await page.getByText('已保存').first().waitFor();
    const details = page.getByTestId('staff-details');
    await details.waitFor();
    await expect(details.textContent()).resolves.toContain('电话已核实');
    await expect(details.textContent()).resolves.toContain('再婚');
    await expect(details.textContent()).resolves.toContain('T-2013-01');
    await screenshot(page, 'school-04-record-saved');

    // 新增教职工: the same generated form, checked while typing; nothing is sent while it has errors.
    await page.goto(`/units/${school}`);
    await page.getByRole('button', { name: /新增教职工/ }).click();
    await page.waitForURL(`**/units/${school}/staff/new`);
    await page.locator('#staff-name').fill('测试新人');
    await chooseOption(page, page.getByTestId('field-idType').locator('.ant-select'), { title: '1-居民身份证' }, '居民');
    await page.locator('#staff-idNumber').fill(wrongCheck(people[0].idNumber!));
    await page.getByTestId('field-idNumber').getByText('身份证件号：校验位应为').waitFor();
    // An untouched field shows nothing until a save is tried.
    await expect(page.getByTestId('field-birthDate').locator('.rc-finding-error').count()).resolves.toBe(0);
    await page.getByTestId('staff-save').click();
    await page.getByText(/还有 \d+ 处错误，请改正后再保存/).waitFor();
    await page.getByTestId('field-birthDate').locator('.rc-finding-error').first().waitFor();
    await screenshot(page, 'school-05-new-record');

    expect(problems).toEqual([]);
  });

  it('fills the downloaded template, sees the preview with the bad cell marked, fixes it, commits, re-uploads without changes, and deletes one with a reason', async () => {
    const { page, problems } = browser!;
    for (const [index, values] of people.entries()) {
      const { findings } = checkRecord(index === 2 ? { ...values, idNumber: wrongCheck(values.idNumber!) } : values, { schoolType: 'k12', today: new Date() });
      expect(findings.map((finding) => finding.code)).toEqual(index === 2 ? ['id_checksum'] : []);
    }

    await page.goto(`/units/${school}`);
    await page.getByTestId('staff-table').locator('tr.ant-table-row').first().waitFor();
    const [templateDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-template').click()]);
    expect(templateDownload.suggestedFilename()).toBe('芙蓉区实验小学-教职工信息模板.xlsx');
    const template = await workbookOf(templateDownload);
    const sheet = template.getWorksheet(dataSheet)!;
    const columns = columnsOf(sheet);
    const existing = sheet.actualRowCount - 1;
    expect(existing).toBeGreaterThan(10);

    // Three new people below the school's own; the third with a wrong check character.
    people.forEach((values, index) => {
      const row = sheet.getRow(existing + 2 + index);
      for (const [key, value] of Object.entries(values) as [FieldKey, string][]) {
        const shown = key === 'idNumber' && index === 2 ? wrongCheck(value) : formatCell(key, value, 'k12');
        row.getCell(columns.get(key)!).value = shown;
      }
      row.commit();
    });
    const filled = Buffer.from(await template.xlsx.writeBuffer());

    await page.getByRole('button', { name: /导入Excel/ }).click();
    await page.waitForURL(`**/units/${school}/import`);
    await screenshot(page, 'school-06-import-page');
    await upload(page, filled, '教职工信息.xlsx');
    await expect(count(page, 'new')).resolves.toBe('2');
    await expect(count(page, 'invalid')).resolves.toBe('1');
    await expect(count(page, 'changed')).resolves.toBe('0');
    await expect(count(page, 'unchanged')).resolves.toBe(String(existing));
    const issues = page.getByTestId('import-issues');
    await expect(issues.textContent()).resolves.toContain('身份证件号：校验位应为');
    await chooseOption(page, page.getByTestId('issue-field-filter'), { text: /^身份证件号$/ }, '身份证件号');
    await settle(page);
    await expect(issues.locator('tr.ant-table-row').count()).resolves.toBe(1);
    await screenshot(page, 'school-07-preview');

    await page.getByTestId('import-count-new').click();
    await page.getByTestId('import-rows-new').getByText('欧阳明远').waitFor();

    // The annotated workbook: the bad cell red, with a note.
    const [annotatedDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-annotated').click()]);
    const annotated = await workbookOf(annotatedDownload);
    const marked = annotated.getWorksheet(dataSheet)!;
    const badRow = rowOfName(marked, columns.get('name')!, '诸葛青云');
    const badCell = badRow.getCell(columns.get('idNumber')!);
    expect((badCell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb).toBe('FFFFC7CE');
    const note = typeof badCell.note === 'string' ? badCell.note : (badCell.note?.texts ?? []).map((text) => text.text).join('');
    expect(note).toContain('校验位应为');

    // Fixed in the annotated workbook and uploaded again: three new people, then committed.
    badCell.value = people[2].idNumber!;
    const fixed = Buffer.from(await annotated.xlsx.writeBuffer());
    await page.getByRole('button', { name: /上传其他文件/ }).click();
    await upload(page, fixed, '教职工信息-改正.xlsx');
    await expect(count(page, 'new')).resolves.toBe('3');
    await expect(count(page, 'invalid')).resolves.toBe('0');
    await page.getByTestId('import-commit').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /确认导入/ }).click();
    await page.getByTestId('import-committed').waitFor();
    await expect(page.getByTestId('import-committed').textContent()).resolves.toContain('新增 3 人');
    await screenshot(page, 'school-08-committed');

    await page.getByTestId('import-to-list').click();
    await page.waitForURL(`**/units/${school}?tab=staff`);
    await page.getByPlaceholder('姓名或证件号前几位').fill('诸葛青云');
    await page.getByPlaceholder('姓名或证件号前几位').press('Enter');
    await settle(page);
    await expect(page.getByTestId('staff-table').locator('tr.ant-table-row').first().textContent()).resolves.toContain(people[2].idNumber!);
    await expect(page.getByTestId('staff-table').textContent()).resolves.toContain(`共 1 条`);

    // The same file again: nothing new, nothing changed.
    await page.goto(`/units/${school}/import`);
    await upload(page, fixed, '教职工信息-改正.xlsx');
    await expect(count(page, 'new')).resolves.toBe('0');
    await expect(count(page, 'changed')).resolves.toBe('0');
    await expect(count(page, 'unchanged')).resolves.toBe(String(existing + 3));

    // The history lists the three uploads, the committed one among them.
    await page.goto(`/units/${school}?tab=imports`);
    const history = page.getByTestId('import-history');
    await history.locator('tr.ant-table-row').first().waitFor();
    await settle(page);
    await expect(history.locator('tr.ant-table-row').count()).resolves.toBe(3);
    await expect(history.textContent()).resolves.toContain('已导入');
    await screenshot(page, 'school-09-import-history');

    // 删除 with a reason: the record leaves the list.
    await page.goto(`/units/${school}?q=${encodeURIComponent('司马晓雯')}`);
    await page.getByTestId('staff-table').locator('tr.ant-table-row').filter({ hasText: '司马晓雯' }).click();
    await page.getByTestId('staff-details').waitFor();
    await page.getByRole('button', { name: /删\s*除/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: /删\s*除/ }).click();
    await dialog.getByText('请填写删除原因').waitFor();
    await dialog.getByLabel('删除原因').fill('重复录入');
    await dialog.getByRole('button', { name: /删\s*除/ }).click();
    await page.waitForURL(`**/units/${school}?tab=staff`);
    await page.getByText('已删除：司马晓雯').waitFor();
    await page.getByPlaceholder('姓名或证件号前几位').fill('司马晓雯');
    await page.getByPlaceholder('姓名或证件号前几位').press('Enter');
    await settle(page);
    await expect(page.getByTestId('staff-table').locator('tr.ant-table-row').count()).resolves.toBe(0);

    expect(problems).toEqual([]);
  });

  it('explains every field on 指标解释; a county exports its staff and reveals an ID number after a confirmation', async () => {
    const { page, problems } = browser!;
    await page.getByTestId('main-menu').getByText('指标解释').click();
    await page.waitForURL('**/standard');
    const fields = page.getByTestId('standard-fields');
    await fields.waitFor();
    const idRow = fields.locator('tr.ant-table-row').filter({ hasText: '身份证件号' }).filter({ hasText: 'idNumber' });
    await expect(idRow.textContent()).resolves.toContain(fieldByKey.idNumber.explain.slice(0, 20));
    await screenshot(page, 'school-10-standard');
    // A field's code table opens from its type column.
    await fields.locator('tr.ant-table-row').filter({ hasText: 'marital' }).locator('a', { hasText: '婚姻状况' }).click();
    await page.getByTestId('standard-code-tables').getByText('再婚').first().waitFor();
    await screenshot(page, 'school-11-code-table');

    const county = await browser!.newSession();
    county.page.setDefaultTimeout(pageWait);
    await county.page.goto('/login');
    await signIn(county.page, '430102');
    await county.page.goto('/units/430102');
    await county.page.getByTestId('export-staff').click();
    await county.page.getByText('导出操作会记入审计日志').waitFor();
    await screenshot(county.page, 'school-12-export-confirm');
    const [exported] = await Promise.all([county.page.waitForEvent('download'), county.page.locator('.ant-popconfirm').getByRole('button', { name: /导\s*出/ }).click()]);
    expect(exported.suggestedFilename()).toBe('芙蓉区-教职工信息.xlsx');
    const workbook = await workbookOf(exported);
    expect(workbook.worksheets.length).toBeGreaterThan(0);

    // Above the school the ID numbers are masked; revealing one is confirmed and audited.
    await county.page.goto(`/units/${school}`);
    const list = county.page.getByTestId('staff-table');
    await list.locator('tr.ant-table-row').first().waitFor();
    await expect(list.locator('tr.ant-table-row').first().textContent()).resolves.toContain('********');
    await list.locator('tr.ant-table-row').first().click();
    await county.page.getByTestId('staff-details').waitFor();
    await expect(county.page.getByTestId('staff-id-number').textContent()).resolves.toMatch(/^\d{6}\*{12}$/);
    // The birth date is given to the month, or the hidden digits would be the date shown beside them.
    await expect(county.page.getByTestId('staff-birthDate').textContent()).resolves.toMatch(/^\d{4}-\d{2}$/);
    await expect(county.page.getByTestId('staff-details').textContent()).resolves.not.toMatch(/\d{4}-\d{2}-\d{2}/);
    await county.page.getByRole('button', { name: /查看完整证件号/ }).click();
    await county.page.getByText('查看完整证件号的操作将记入审计日志').waitFor();
    await screenshot(county.page, 'school-13-reveal-confirm');
    await county.page.locator('.ant-modal-confirm').getByRole('button', { name: /查\s*看/ }).click();
    await county.page.getByText('已显示完整证件号').waitFor();
    await expect(county.page.getByTestId('staff-id-number').textContent()).resolves.toMatch(/^\d{17}[\dX]$/);
    await expect(county.page.getByTestId('staff-details').textContent()).resolves.toMatch(/\d{4}-\d{2}-\d{2}/);

    expect(problems).toEqual([]);
    expect(county.problems).toEqual([]);
  });
});
