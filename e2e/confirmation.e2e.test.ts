import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, settle, signIn, type TestBrowser } from './support/browser';
import { serverPerFile } from './support/server';

const school = '2430102001'; // 芙蓉区实验小学, with draft demo staff
let browser: TestBrowser | undefined;
const server = serverPerFile(() => browser);

type Person = { id: number; name: string; idNumber: string; code: string };

/** A phone-sized context of its own: no session cookie, its own sessionStorage. */
async function phone(): Promise<Page> {
  const context = await browser!.browser.newContext({ baseURL: server.baseUrl, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  return context.newPage();
}

/** Opens the slip's link, which carries the code in the fragment; the page takes it and drops it from the address. */
async function openOwnRecord(page: Page, person: Person) {
  await page.goto(`/confirm#c=${encodeURIComponent(person.code)}`);
  await expect(page.locator('#confirm-code').inputValue()).resolves.toBe(person.code);
  expect(page.url()).not.toContain(person.code);
  await page.locator('#confirm-id-suffix').fill(person.idNumber.slice(-6));
  await page.getByTestId('confirm-open').click();
  await page.getByTestId('confirm-record').waitFor();
  await expect(page.getByTestId('confirm-record').textContent()).resolves.toContain(person.name);
}

describe('本人确认: slips, the phone page, and the school\'s review', () => {
  const people: Person[] = [];

  it('sends two draft records for confirmation and prints their slips', async () => {
    browser = await launchBrowser(server.baseUrl);
    const { page } = browser;
    await page.goto('/login');
    await signIn(page, school);
    await page.goto(`/units/${school}?tab=staff&status=draft`);
    const table = page.getByTestId('staff-table');
    await table.locator('tr.ant-table-row').first().waitFor();
    await page.getByTestId('staff-summary').waitFor();
    await settle(page);
    const rows = table.locator('tr.ant-table-row');
    for (const index of [0, 1]) {
      const row = rows.nth(index);
      people.push({
        id: Number(await row.getAttribute('data-row-key')),
        name: (await row.locator('td:not(.ant-table-selection-column)').first().textContent())!.trim(),
        idNumber: (await row.locator('.rc-code').textContent())!.trim(),
        code: '',
      });
      await row.locator('.ant-table-selection-column input').check();
    }
    expect(people[0].idNumber).toMatch(/^\d{17}[\dX]$/);
    await expect(page.getByTestId('bulk-actions').textContent()).resolves.toContain('已选 2 条');
    await screenshot(page, 'confirm-01-selected');

    await page.getByTestId('bulk-slips').click();
    await page.waitForURL(/\/slips$/);
    await page.getByTestId('slip').nth(1).locator('img.rc-slip-qr').waitFor();
    for (const person of people) {
      const slip = page.locator(`[data-testid="slip"][data-staff-id="${person.id}"]`);
      await expect(slip.textContent()).resolves.toContain(person.name);
      person.code = (await slip.getByTestId('slip-code').textContent())!.trim();
      expect(person.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      // The code rides in the fragment, which no request carries to a server.
      await expect(slip.locator('.rc-slip-link').textContent()).resolves.toMatch(new RegExp(`/confirm#c=${person.code}$`));
    }
    await screenshot(page, 'confirm-02-slips');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'confirm-03-slips-print');
    await page.emulateMedia({ media: 'screen' });
  });

  it('person 1 confirms on the phone', async () => {
    const page = await phone();
    // A slip printed before the code moved to the fragment: its ?c= link still fills the form, and leaves the address.
    await page.goto(`/confirm?c=${encodeURIComponent(people[0].code)}`);
    await expect(page.locator('#confirm-code').inputValue()).resolves.toBe(people[0].code);
    expect(page.url()).not.toContain(people[0].code);
    await page.locator('#confirm-id-suffix').fill('000000');
    await page.getByTestId('confirm-open').click();
    await page.getByTestId('confirm-entry-error').waitFor();
    await screenshot(page, 'confirm-04-phone-wrong-suffix');

    await openOwnRecord(page, people[0]);
    await screenshot(page, 'confirm-05-phone-record');
    await page.getByTestId('confirm-ok').click();
    await page.getByText('已确认，谢谢！').waitFor();
    await screenshot(page, 'confirm-06-phone-confirmed');
    await page.context().close();
  });

  it('person 2 asks to correct 姓名 with a note', async () => {
    const page = await phone();
    await openOwnRecord(page, people[1]);
    await page.getByTestId('confirm-correct').click();
    await page.getByTestId('confirm-pick').click();
    await page.keyboard.type('姓名');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.locator('#confirm-name').fill('周新名');
    await page.locator('#confirm-note-name').fill('以户口本为准');
    await screenshot(page, 'confirm-07-phone-correction');
    await page.getByTestId('confirm-submit').click();
    await page.getByText('已提交，学校将审核').waitFor();
    await screenshot(page, 'confirm-08-phone-requested');
    await page.context().close();
  });

  it('the operator accepts the correction, then approves the confirmed records', async () => {
    const { page, problems } = browser!;
    await page.goto(`/staff/${people[1].id}`);
    const panel = page.getByTestId('correction-panel');
    await panel.waitFor();
    await expect(panel.textContent()).resolves.toContain('周新名');
    await expect(panel.textContent()).resolves.toContain('以户口本为准');
    await screenshot(page, 'confirm-09-correction-request');
    await page.getByTestId('correction-accept').click();
    await expect.poll(() => page.getByTestId('staff-name').textContent()).toBe('周新名');
    await expect.poll(() => page.getByTestId('workflow-card').textContent()).toContain('本人已确认');
    await expect.poll(() => page.getByTestId('record-history').textContent()).toContain('接受更正');
    await screenshot(page, 'confirm-10-accepted');

    await page.goto(`/units/${school}?tab=staff&status=confirmed`);
    const table = page.getByTestId('staff-table');
    await table.locator('tr.ant-table-row').first().waitFor();
    await settle(page);
    for (const person of people) await table.locator(`tr[data-row-key="${person.id}"] .ant-table-selection-column input`).check();
    await page.getByTestId('bulk-approve').click();
    await expect.poll(() => page.getByTestId('summary-approved').textContent()).toMatch(/[2-9]|\d\d/);
    await page.goto(`/units/${school}?tab=staff&status=approved`);
    await page.getByTestId('staff-table').locator('tr.ant-table-row').first().waitFor();
    await screenshot(page, 'confirm-11-approved');
    expect(problems).toEqual([]);
  });

  it('the operator registers three signed paper slips as one batch; the history and the list show how each was confirmed', async () => {
    const { page, problems } = browser!;
    // Three more records are sent with slips; the people sign them on paper.
    await page.goto(`/units/${school}?tab=staff&status=draft`);
    const table = page.getByTestId('staff-table');
    await table.locator('tr.ant-table-row').first().waitFor();
    await settle(page);
    const ids: number[] = [];
    for (const index of [0, 1, 2]) {
      const row = table.locator('tr.ant-table-row').nth(index);
      ids.push(Number(await row.getAttribute('data-row-key')));
      await row.locator('.ant-table-selection-column input').check();
    }
    await page.getByTestId('bulk-slips').click();
    await page.waitForURL(/\/slips$/);
    await page.goto(`/units/${school}?tab=staff&status=awaiting_confirmation`);
    await table.locator('tr.ant-table-row').first().waitFor();
    await settle(page);
    for (const id of ids) await table.locator(`tr[data-row-key="${id}"] .ant-table-selection-column input`).check();
    await page.getByTestId('bulk-confirm-on-paper').click();
    await page.getByTestId('reason-input').fill('第二批签字确认单，存人事科档案柜第 3 格');
    await screenshot(page, 'confirm-12-paper-batch-note');
    await page.locator('.ant-modal').getByRole('button', { name: /确\s*定/ }).click();
    await page.getByText(/已登记纸质确认批次 #\d+：3 人/).waitFor();

    await page.goto(`/staff/${ids[0]}`);
    const history = page.getByTestId('record-history');
    await history.getByTestId('history-batch').waitFor();
    await expect(history.textContent()).resolves.toContain('第二批签字确认单，存人事科档案柜第 3 格');
    await expect(history.textContent()).resolves.toContain('本批共 3 人');
    await expect(page.locator('.rc-page-title-row [data-testid="confirmed-via"]').textContent()).resolves.toBe('学校登记纸质签字确认');
    await screenshot(page, 'confirm-13-paper-history');

    // The phone-confirmed record's history names its kind too.
    await page.goto(`/staff/${people[0].id}`);
    await page.getByTestId('record-history').getByText('本人手机确认').first().waitFor();
    await screenshot(page, 'confirm-14-phone-history');

    // The batch number leads to the batch's records; the list shows and filters the kind.
    await page.goto(`/staff/${ids[0]}`);
    await page.getByTestId('history-batch').getByRole('link').click();
    await page.waitForURL(/batch=\d+/);
    await table.locator('tr.ant-table-row').first().waitFor();
    await settle(page);
    await expect(table.locator('tr.ant-table-row').count()).resolves.toBe(3);
    await page.getByTestId('staff-filter-batch').waitFor();
    await screenshot(page, 'confirm-15-batch-records');
    await page.goto(`/units/${school}?tab=staff&via=phone`);
    await table.locator('tr.ant-table-row').first().waitFor();
    await settle(page);
    const phoneRows = await table.locator('tr.ant-table-row').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-row-key'))));
    expect(phoneRows.sort()).toEqual(people.map((person) => person.id).sort());
    await expect(page.getByTestId('summary-via').textContent()).resolves.toContain('学校登记纸质签字确认 3');
    await screenshot(page, 'confirm-16-list-by-phone');
    expect(problems).toEqual([]);
  });
});
