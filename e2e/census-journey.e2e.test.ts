import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, CensusWalker, confirmOnPaperAndApprove, getSubmission, listStaff, signOff, type ApiSession } from './support/census-api';
import { launchBrowser, screenshot, settle, signIn, type TestBrowser, type TestPage } from './support/browser';
import { serverPerFile } from './support/server';

/**
 * 层层审核报送: from the schools up to the national dataset. The steps below the county (import, slips, the
 * phone page, the school's review, a row returned and resubmitted) have their own browser tests; here every
 * school's records come through the API, and the browser plays each level's decision: 芙蓉区 submits once all
 * its schools are in, 长沙市 approves it and submits, a university submits straight to the province, and the
 * province approves, signs its final review and exports the national dataset.
 */
const county = '430102';
const prefecture = '430100';
const province = '430000';

let browser: TestBrowser | undefined;
const server = serverPerFile(() => browser);
let admin: ApiSession;
let walker: CensusWalker;

beforeAll(async () => {
  admin = await apiSession(server.baseUrl, 'admin');
});

afterAll(async () => {
  await walker?.close();
  await admin?.close();
});

async function signedIn(username: string, path: string): Promise<TestPage> {
  const session = browser ? await browser.newSession() : (browser = await launchBrowser(server.baseUrl));
  await session.page.goto('/login');
  await signIn(session.page, username);
  await session.page.goto(path);
  return session;
}

/** The leader signs on the submission page, explaining a difference from the expected count when asked. */
async function leaderSigns(page: Page, explanation: string) {
  await page.getByTestId('signoff-button').click();
  const asked = page.getByTestId('signoff-explanation');
  await Promise.race([asked.waitFor(), page.getByText('负责人已签字').waitFor()]);
  if (await asked.isVisible()) {
    await asked.fill(explanation);
    await page.getByTestId('signoff-button').click();
  }
  await page.getByText('负责人已签字').waitFor();
}

async function submits(page: Page) {
  await page.getByTestId('submit-button').click();
  await page.getByTestId('package-status').waitFor();
}

async function approvesInInbox(page: Page, unitName: string) {
  await page.getByTestId('inbox-table').getByRole('link', { name: unitName }).click();
  await page.waitForURL('**/packages/*');
  // The inbox's own status tags linger until the package page replaces it.
  const packagePage = page.getByTestId('package-page');
  await packagePage.getByTestId('package-status').waitFor();
  // A package short of its expected count is approved only with the shortfall accepted.
  const short = (await page.getByTestId('package-shortfall').count()) > 0;
  await page.getByTestId('approve-button').click();
  if (short) {
    await page.getByTestId('shortfall-accept').check();
    await page.getByTestId('shortfall-modal').getByRole('button', { name: /审核通过/ }).click();
  } else {
    await page.getByRole('button', { name: /确\s*定/ }).click();
  }
  // The status itself, not the toast: a toast of the previous approval may still be showing.
  await packagePage.getByTestId('package-status').filter({ hasText: /^已通过$/ }).waitFor();
}

describe('层层审核: county, prefecture, university and province, to the national dataset', () => {
  let university: { code: string; name: string };

  it('lets 芙蓉区 submit only when every one of its schools is approved', async () => {
    walker = new CensusWalker(server.baseUrl);
    const before = await getSubmission(await walker.session(county), county);
    expect(before.missing.length).toBeGreaterThan(5);

    // Every school of the county but one goes through; the county's page still names the last one.
    const [last, ...others] = before.missing;
    for (const school of others) await walker.approveChildOf(county, school);
    const countyPage = await signedIn(county, `/units/${county}/submission`);
    await countyPage.page.getByTestId('submission-missing').getByText(last.name).waitFor();
    await expect(countyPage.page.getByTestId('submit-button').count()).resolves.toBe(0);
    await screenshot(countyPage.page, 'journey-01-county-one-school-missing');

    await walker.approveChildOf(county, last);
    const leader = await signedIn(`${county}-leader`, `/units/${county}/submission`);
    await leader.page.getByTestId('submission-missing').getByText('下级单位均已通过审核').waitFor();
    await leaderSigns(leader.page, '各校差异说明见学校报送包');
    await countyPage.page.reload();
    await submits(countyPage.page);
    await countyPage.page.getByTestId('package-status').filter({ hasText: /^待审核$/ }).waitFor();
    await screenshot(countyPage.page, 'journey-02-county-submitted');
    expect([...countyPage.problems, ...leader.problems]).toEqual([]);
  }, 600_000);

  it('has 长沙市 approve 芙蓉区 in its inbox, then sign and submit once all its counties are in', async () => {
    walker.skip.add(county);
    await walker.approveChildren(prefecture);
    const prefecturePage = await signedIn(prefecture, `/units/${prefecture}/inbox`);
    await approvesInInbox(prefecturePage.page, '芙蓉区');
    await screenshot(prefecturePage.page, 'journey-03-prefecture-approves-county');

    const leader = await signedIn(`${prefecture}-leader`, `/units/${prefecture}/submission`);
    await leader.page.getByText('下级单位均已通过审核').waitFor();
    await leaderSigns(leader.page, '各县市区差异说明见其报送包');
    await prefecturePage.page.goto(`/units/${prefecture}/submission`);
    await submits(prefecturePage.page);
    await screenshot(prefecturePage.page, 'journey-04-prefecture-submitted');
    expect([...prefecturePage.problems, ...leader.problems]).toEqual([]);
  }, 600_000);

  it('sends a university\'s package straight to the province', async () => {
    const waiting = await getSubmission(admin, province);
    const universities = waiting.missing.filter((unit) => unit.kind === 'school');
    expect(universities.length).toBeGreaterThan(0);
    university = universities[0];
    const operator = await walker.session(university.code);
    const ids = (await listStaff(operator, university.code, 500)).map((row) => row.id);
    await confirmOnPaperAndApprove(operator, university.code, ids);
    const state = await getSubmission(operator, university.code);
    await signOff(await walker.leader(university.code), university.code, state.recordCount === state.expectedCount ? undefined : '外聘人员另行统计');

    const page = await signedIn(university.code, `/units/${university.code}/submission`);
    await submits(page.page);
    await expect(page.page.getByTestId('submission-latest').textContent()).resolves.toContain('湖南省');
    await screenshot(page.page, 'journey-05-university-submits-to-province');
    expect(page.problems).toEqual([]);
  }, 600_000);

  it('has the province approve 长沙市 and the university, sign its final review and export the national dataset', async () => {
    walker.skip.add(prefecture).add(university.code);
    await walker.approveChildren(province);
    const provincePage = await signedIn('admin', `/units/${province}/submission`);
    await provincePage.page.getByTestId('national-export-card').getByText('才能导出国家数据集').waitFor();
    const missing = provincePage.page.getByTestId('submission-missing');
    await missing.getByText('长沙市').waitFor();
    await missing.getByText(university.name).waitFor();
    await screenshot(provincePage.page, 'journey-06-province-two-awaiting');

    await provincePage.page.goto(`/units/${province}/inbox`);
    await approvesInInbox(provincePage.page, '长沙市');
    await provincePage.page.goto(`/units/${province}/inbox`);
    await approvesInInbox(provincePage.page, university.name);
    await screenshot(provincePage.page, 'journey-07-province-approves-university');

    const leader = await signedIn(`${province}-leader`, `/units/${province}/submission`);
    await leader.page.getByText('下级单位均已通过审核').waitFor();
    await leaderSigns(leader.page, '全省差异说明见各市州及高校报送包');
    await provincePage.page.goto(`/units/${province}/submission`);
    await submits(provincePage.page);
    await provincePage.page.getByTestId('package-status').filter({ hasText: /^已通过$/ }).waitFor();
    const exportButton = provincePage.page.getByTestId('national-export');
    await exportButton.waitFor();
    await screenshot(provincePage.page, 'journey-08-province-final-and-export');

    const [download] = await Promise.all([provincePage.page.waitForEvent('download'), exportButton.click()]);
    expect(download.suggestedFilename()).toContain('国家数据集');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const sheets = new Map(workbook.worksheets.map((sheet) => [sheet.name, sheet.actualRowCount - 1]));
    expect([...sheets.keys()]).toEqual(expect.arrayContaining(['中小学', '中等职业学校', '特殊教育学校', '高等学校']));
    const final = await getSubmission(admin, province);
    expect([...sheets.values()].reduce((sum, rows) => sum + rows, 0)).toBe(final.recordCount);
    await settle(provincePage.page);
    expect([...provincePage.problems, ...leader.problems]).toEqual([]);
  }, 600_000);
});
