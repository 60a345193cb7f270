import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, settle, signIn, type TestBrowser, type TestPage } from './support/browser';
import { startServer, type TestServer } from './support/server';

const school = '2430102001';
const county = '430102';
const prefecture = '430100';
let server: TestServer;
let browser: TestBrowser | undefined;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const title = '兼任行政职务的教师如何填报岗位类别';
const body = '我校副校长同时任课，<b>岗位类别</b>填“管理岗位”还是“专业技术岗位”？';
const answer = '按聘用合同约定的主要岗位填报；双肩挑人员填报专业技术岗位，并在备注中说明兼任职务。';
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

async function openQueueQuestion({ page }: TestPage) {
  await page.getByTestId('main-menu').getByText('答疑', { exact: true }).click();
  await page.waitForURL('**/helpdesk');
  await page.getByTestId('tab-queue').click();
  await page.getByTestId('questions-table').getByRole('link', { name: title }).click();
  await page.waitForURL('**/helpdesk/questions/*');
  await page.getByTestId('question-thread').waitFor();
}

describe('答疑: a school asks, the county escalates, the prefecture answers and publishes, the school finds it in the FAQ', () => {
  it('walks the question through every level in the browser', async () => {
    browser = await launchBrowser(server.baseUrl);
    const schoolUser = browser;
    await schoolUser.page.goto('/login');
    await signIn(schoolUser.page, school);

    // The school asks, with a PDF attached; the HTML in the text stays text.
    await schoolUser.page.getByTestId('main-menu').getByText('答疑', { exact: true }).click();
    await schoolUser.page.waitForURL('**/helpdesk');
    await schoolUser.page.getByTestId('ask-open').click();
    await schoolUser.page.getByTestId('ask-title').fill(title);
    await schoolUser.page.getByTestId('ask-body').fill(body);
    await schoolUser.page.locator('.ant-modal input[type=file]').setInputFiles({ name: '岗位设置说明.pdf', mimeType: 'application/pdf', buffer: pdf });
    await screenshot(schoolUser.page, 'helpdesk-01-school-asks');
    await schoolUser.page.locator('#ask-submit').click();
    await schoolUser.page.waitForURL('**/helpdesk/questions/*');
    await schoolUser.page.getByTestId('question-attachments').getByText('岗位设置说明.pdf').waitFor();
    expect(await schoolUser.page.getByTestId('question-status').textContent()).toBe('待答复');
    expect(await schoolUser.page.getByTestId('question-holder').textContent()).toBe('芙蓉区');
    expect(await schoolUser.page.getByTestId('message-asked').textContent()).toContain('<b>岗位类别</b>');
    expect(await schoolUser.page.locator('[data-testid=message-asked] b').count()).toBe(0);
    const questionUrl = schoolUser.page.url();

    // An .exe renamed .pdf is refused, naming the file.
    await schoolUser.page.locator('input[type=file]').setInputFiles({ name: '补充材料.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64, 1)]) });
    await schoolUser.page.getByTestId('question-error').getByText('文件“补充材料.pdf”实际是可执行程序，已拒绝').waitFor();
    await screenshot(schoolUser.page, 'helpdesk-02-school-thread-refused-exe');

    // 芙蓉区 finds it in its queue and escalates it with a note.
    const countyUser = await browser.newSession();
    await countyUser.page.goto('/login');
    await signIn(countyUser.page, county);
    await openQueueQuestion(countyUser);
    await countyUser.page.getByTestId('escalate-note').fill('涉及岗位设置政策口径，请市局统一答复');
    await countyUser.page.getByTestId('escalate-button').click();
    await countyUser.page.getByTestId('message-escalated').waitFor();
    expect(await countyUser.page.getByTestId('question-holder').textContent()).toBe('长沙市');
    expect(await countyUser.page.getByTestId('answer-button').count()).toBe(0);
    await screenshot(countyUser.page, 'helpdesk-03-county-escalated');

    // 长沙市 answers and publishes the answer to its FAQ.
    const prefectureUser = await browser.newSession();
    await prefectureUser.page.goto('/login');
    await signIn(prefectureUser.page, prefecture);
    await openQueueQuestion(prefectureUser);
    await prefectureUser.page.getByTestId('message-escalated').getByText('涉及岗位设置政策口径，请市局统一答复').waitFor();
    await prefectureUser.page.getByTestId('reply-text').fill(answer);
    await prefectureUser.page.getByTestId('answer-button').click();
    await prefectureUser.page.getByTestId('message-answered').waitFor();
    await prefectureUser.page.getByTestId('publish-button').click();
    await prefectureUser.page.getByText('已发布到常见问题').waitFor();
    expect(await prefectureUser.page.getByTestId('question-status').textContent()).toBe('已答复');
    await screenshot(prefectureUser.page, 'helpdesk-04-prefecture-answered-published');
    await prefectureUser.page.getByTestId('main-menu').getByText('答疑', { exact: true }).click();
    await prefectureUser.page.getByTestId('helpdesk-figures').waitFor();
    await screenshot(prefectureUser.page, 'helpdesk-05-prefecture-figures');

    // The school sees the answer, closes the thread, and finds it in the FAQ by search.
    await schoolUser.page.goto(questionUrl);
    await schoolUser.page.getByTestId('message-answered').getByText(answer).waitFor();
    await schoolUser.page.getByTestId('close-button').click();
    await schoolUser.page.getByTestId('message-closed').waitFor();
    expect(await schoolUser.page.getByTestId('question-status').textContent()).toBe('已关闭');
    await schoolUser.page.getByTestId('main-menu').getByText('常见问题').click();
    await schoolUser.page.waitForURL('**/faq');
    await schoolUser.page.getByTestId('faq-search').locator('input').fill('双肩挑');
    await schoolUser.page.getByTestId('faq-search').locator('input').press('Enter');
    await schoolUser.page.waitForURL('**/faq?q=*');
    await settle(schoolUser.page);
    const entries = schoolUser.page.getByTestId('faq-entry');
    expect(await entries.count()).toBe(1);
    expect(await entries.first().textContent()).toContain(title);
    expect(await entries.first().textContent()).toContain('长沙市 发布于');
    await screenshot(schoolUser.page, 'helpdesk-06-school-finds-faq');

    for (const user of [schoolUser, countyUser, prefectureUser]) expect(user.problems).toEqual([]);
  });
});
