import { afterAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, settle, signIn, type TestBrowser, type TestPage } from './support/browser';
import { serverPerFile } from './support/server';
import { demoApprovedPrefecture, demoLateSchool } from '../src/server/demo/demo-motion.ts';

/**
 * 需重新审核: the demo's 张家界市 was approved by the province, then a school was found late in 永定区. The
 * province's submission page lists 张家界市 as needing review again with that cause, its package says why,
 * and 张家界市's own page tells it to sign again; 永定区 closes the late school (it holds nobody), which
 * leaves the county's missing list.
 */
let browser: TestBrowser | undefined;
const server = serverPerFile(() => browser);
const sessions: TestPage[] = [];

async function signedIn(username: string, path: string): Promise<TestPage> {
  const session = browser ? await browser.newSession() : (browser = await launchBrowser(server.baseUrl));
  sessions.push(session);
  await session.page.goto('/login');
  await signIn(session.page, username);
  await session.page.goto(path);
  return session;
}

afterAll(() => {
  expect(sessions.flatMap((session) => session.problems)).toEqual([]);
});

describe('a stale chain, seen from the province down', () => {
  it('shows the province which prefecture needs review again, and why', async () => {
    const { page } = await signedIn('admin', '/units/430000/submission');
    const missing = page.getByTestId('submission-missing');
    const row = missing.locator('tr', { hasText: '张家界市' });
    await row.getByText('需重新审核').waitFor();
    await expect(row.getByTestId('missing-stale-cause').textContent()).resolves.toContain(`新增学校「${demoLateSchool.name}」`);
    await screenshot(page, 'chain-01-province-sees-stale-prefecture');

    await row.getByRole('link', { name: '查看' }).click();
    await page.waitForURL('**/packages/*');
    await page.getByTestId('package-stale').waitFor();
    await expect(page.getByTestId('package-stale-cause').textContent()).resolves.toContain(demoLateSchool.name);
    await expect(page.getByTestId('package-confirmations').textContent()).resolves.toMatch(/本人手机确认 [\d,]+ 人，学校登记纸质签字 [1-9][\d,]* 人/);
    await page.getByTestId('package-shortfall').getByText('审核单位已确认接受').waitFor();
    await screenshot(page, 'chain-02-stale-package');
  });

  it('tells 张家界市 its approved package needs review again', async () => {
    const { page } = await signedIn(demoApprovedPrefecture, `/units/${demoApprovedPrefecture}/submission`);
    await page.getByTestId('submission-stale').waitFor();
    await expect(page.getByTestId('submission-stale').textContent()).resolves.toContain(demoLateSchool.name);
    await page.getByTestId('submission-missing').getByRole('link', { name: '永定区', exact: true }).waitFor();
    await screenshot(page, 'chain-03-prefecture-told');
  });

  it('lets 永定区 close the late school, which then leaves its missing list', async () => {
    const { page } = await signedIn(demoLateSchool.countyCode, `/units/${demoLateSchool.code}`);
    await page.getByTestId('close-school').click();
    await page.getByRole('radio', { name: /撤销/ }).check();
    await page.getByTestId('close-reason').fill('核实为教学点，并入中心校统计');
    await screenshot(page, 'chain-04-close-school');
    await page.getByRole('dialog').getByRole('button', { name: /撤\s*销/ }).click();
    await page.getByTestId('school-closed').waitFor();
    await expect(page.getByTestId('school-closed').textContent()).resolves.toContain('核实为教学点');
    await screenshot(page, 'chain-05-school-closed');

    await page.goto(`/units/${demoLateSchool.countyCode}/submission`);
    await page.getByTestId('submission-latest').waitFor();
    await settle(page);
    await expect(page.getByTestId('submission-missing').textContent()).resolves.not.toContain(demoLateSchool.name);
    await page.getByTestId('submission-stale').waitFor();
    await screenshot(page, 'chain-06-county-after-close');
  });
});
