import { describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, settle, signIn, type TestBrowser, type TestPage } from './support/browser';
import { serverPerFile } from './support/server';

const school = '2430102001';
const county = '430102';
const prefecture = '430100';
let browser: TestBrowser | undefined;
const server = serverPerFile(() => browser);

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
    expect(await schoolUser.page.getByTestId('faq-withdraw').count()).toBe(0);

    // 长沙市 withdraws its entry from the FAQ page; the school's search no longer finds it.
    await prefectureUser.page.goto('/faq?q=%E5%8F%8C%E8%82%A9%E6%8C%91');
    await prefectureUser.page.getByTestId('faq-withdraw').waitFor();
    await screenshot(prefectureUser.page, 'helpdesk-06b-prefecture-faq');
    await prefectureUser.page.getByTestId('faq-withdraw').click();
    await prefectureUser.page.getByRole('tooltip').getByRole('button', { name: /撤\s*回/ }).click();
    await prefectureUser.page.getByText('已撤回').waitFor();
    await prefectureUser.page.getByTestId('faq-entry').waitFor({ state: 'detached' });
    await schoolUser.page.reload();
    await settle(schoolUser.page);
    expect(await schoolUser.page.getByTestId('faq-entry').count()).toBe(0);

    for (const user of [schoolUser, countyUser, prefectureUser]) expect(user.problems).toEqual([]);
  });

  it('专栏: the county pins an announcement and shares a guide; the school sees it first and downloads the guide, counted', async () => {
    browser ??= await launchBrowser(server.baseUrl);
    const countyUser = await browser.newSession();
    await countyUser.page.goto('/login');
    await signIn(countyUser.page, county);
    await countyUser.page.getByTestId('main-menu').getByText('专栏').click();
    await countyUser.page.waitForURL('**/resources');
    const announce = async (heading: string, text: string, pinned: boolean) => {
      await countyUser.page.getByTestId('announcement-title').fill(heading);
      await countyUser.page.getByTestId('announcement-body').fill(text);
      if (pinned) await countyUser.page.getByTestId('announcement-pinned').check();
      await countyUser.page.getByTestId('announcement-submit').click();
      await countyUser.page.getByTestId('announcement').filter({ hasText: heading }).waitFor();
    };
    await announce('信息采集培训安排', '12 月 3 日下午在区教育局三楼会议室培训，各校人事专干参加。', true);
    await announce('第二周报送进度', '请尚未录入的学校抓紧录入。', false);
    await countyUser.page.getByTestId('library-title').fill('芙蓉区填报指南');
    await countyUser.page.locator('[data-testid=library-choose]').locator('..').locator('input[type=file]').setInputFiles({ name: '填报指南.txt', mimeType: 'text/plain', buffer: Buffer.from('一、登录系统\n二、录入教职工信息\n') });
    await countyUser.page.getByTestId('library-upload').click();
    await countyUser.page.getByTestId('library-table').getByText('芙蓉区填报指南').waitFor();
    // A disguised executable is refused with the file named.
    await countyUser.page.getByTestId('library-title').fill('课件');
    await countyUser.page.locator('[data-testid=library-choose]').locator('..').locator('input[type=file]').setInputFiles({ name: '课件.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64, 1)]) });
    await countyUser.page.getByTestId('library-upload').click();
    await countyUser.page.getByTestId('resources-error').getByText('文件“课件.pdf”实际是可执行程序，已拒绝').waitFor();
    await screenshot(countyUser.page, 'helpdesk-07-county-resources');

    const schoolUser = await browser.newSession();
    await schoolUser.page.goto('/login');
    await signIn(schoolUser.page, school);
    await schoolUser.page.getByTestId('main-menu').getByText('专栏').click();
    await schoolUser.page.waitForURL('**/resources');
    await schoolUser.page.getByTestId('announcement').first().waitFor();
    const titles = await schoolUser.page.getByTestId('announcement').allTextContents();
    expect(titles[0]).toContain('置顶');
    expect(titles[0]).toContain('信息采集培训安排');
    expect(titles[1]).toContain('第二周报送进度');
    expect(await schoolUser.page.getByTestId('announcement-submit').count()).toBe(0);
    const download = schoolUser.page.waitForEvent('download');
    await schoolUser.page.getByTestId('library-table').getByText('芙蓉区填报指南').click();
    expect((await download).suggestedFilename()).toBe('填报指南.txt');
    await schoolUser.page.getByTestId('library-downloads').getByText('1').waitFor();
    await schoolUser.page.getByTestId('standard-link').waitFor();
    await screenshot(schoolUser.page, 'helpdesk-08-school-resources');
    expect(await schoolUser.page.locator('[data-testid=announcement-remove], [data-testid=file-remove]').count()).toBe(0);

    // The county takes the second announcement down; the school no longer sees it.
    await countyUser.page.getByTestId('announcement').filter({ hasText: '第二周报送进度' }).getByTestId('announcement-remove').click();
    await countyUser.page.getByRole('tooltip').getByRole('button', { name: '删 除' }).or(countyUser.page.getByRole('tooltip').getByRole('button', { name: '删除' })).click();
    await countyUser.page.getByTestId('announcement').filter({ hasText: '第二周报送进度' }).waitFor({ state: 'detached' });
    await screenshot(countyUser.page, 'helpdesk-09-county-took-down');
    await schoolUser.page.reload();
    await schoolUser.page.getByTestId('announcement').first().waitFor();
    expect(await schoolUser.page.getByTestId('announcement').allTextContents()).toEqual([expect.stringContaining('信息采集培训安排')]);
    expect(countyUser.problems).toEqual([]);
    expect(schoolUser.problems).toEqual([]);
  });
});
