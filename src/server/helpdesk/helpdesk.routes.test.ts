import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, questions } from '../db/schema.ts';
import { createTestApp, multipart, type TestApp, type TestClient } from '../test/app.ts';
import { auditEventsFor, makeAccount, makeSchool } from '../test/factories.ts';
import { autoEscalate } from './helpdesk.service.ts';

let t: TestApp;
let school: TestClient;
let schoolViewer: TestClient;
let county: TestClient;
let prefecture: TestClient;
let province: TestClient;
let otherCounty: TestClient;
let university: TestClient;

const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const ask = (client: TestClient, code: string, body: Record<string, unknown> = {}) =>
  client.post(`/api/units/${code}/questions`, { title: '专任教师如何统计', body: '兼课教师算不算专任教师？', category: 'indicator', ...body });

beforeAll(async () => {
  t = await createTestApp({ ROLLCALL_QA_ESCALATE_HOURS: '24' });
  const db = t.database.db;
  await makeSchool(db, { countyCode: '430102', serial: 1 });
  await makeSchool(db, { countyCode: '430104', schoolType: 'higher_ed', serial: 1 });
  const login = async (unitCode: string, role: 'admin' | 'operator' | 'viewer' = 'admin') => t.login((await makeAccount(db, { unitCode, role })).username);
  school = await login('2430102001', 'operator');
  schoolViewer = await login('2430102001', 'viewer');
  county = await login('430102');
  prefecture = await login('430100');
  province = await login('430000');
  otherCounty = await login('430103');
  university = await login('4430104001');
});
afterAll(() => t.close());

describe('答疑 Q&A with escalation', () => {
  it('a school asks; it lands in its county\'s queue, and the county is told', async () => {
    const response = await ask(school, '2430102001');
    expect(response.statusCode).toBe(201);
    const question = response.json();
    expect(question).toMatchObject({ status: 'open', holderCode: '430102', askerCode: '2430102001', category: 'indicator' });
    expect(question.messages.map((m: { kind: string }) => m.kind)).toEqual(['asked']);
    const queue = (await county.get('/api/questions?box=queue')).json().items;
    expect(queue.map((q: { id: number }) => q.id)).toContain(question.id);
    const told = await t.database.db.select().from(notifications).where(eq(notifications.unitCode, '430102'));
    expect(told.some((n) => n.kind === 'question_received' && n.link === `/helpdesk/questions/${question.id}`)).toBe(true);
    expect((await auditEventsFor(t.database.db, question.id, 'question')).map((e) => e.action)).toEqual(['question.ask']);
  });

  it('a university asks the province directly', async () => {
    const question = (await ask(university, '4430104001')).json();
    expect(question.holderCode).toBe('430000');
  });

  it('walks open → escalated → answered → published → closed, each step audited', async () => {
    const question = (await ask(school, '2430102001', { title: '学历层次口径' })).json();
    // The prefecture cannot see it before it is escalated there.
    expect((await prefecture.get(`/api/questions/${question.id}`)).statusCode).toBe(404);
    const escalated = await county.post(`/api/questions/${question.id}/escalate`, { note: '本县无法解释，请市里答复' });
    expect(escalated.statusCode).toBe(200);
    expect(escalated.json()).toMatchObject({ status: 'escalated', holderCode: '430100' });
    // Out of the county's queue, into the prefecture's; the county still follows the thread but may not answer.
    expect((await county.get('/api/questions?box=queue')).json().items.map((q: { id: number }) => q.id)).not.toContain(question.id);
    expect((await county.post(`/api/questions/${question.id}/answer`, { body: 'x' })).statusCode).toBe(403);
    const thread = (await prefecture.get(`/api/questions/${question.id}`)).json();
    expect(thread.messages.at(-1)).toMatchObject({ kind: 'escalated', body: '本县无法解释，请市里答复', toCode: '430100' });
    expect(thread.abilities).toMatchObject({ answer: true, escalate: true, publish: false });

    const answered = await prefecture.post(`/api/questions/${question.id}/answer`, { body: '按最高学历填报。' });
    expect(answered.json()).toMatchObject({ status: 'answered' });
    expect(answered.json().firstAnsweredAt).not.toBeNull();
    // Answering twice or escalating an answered question: wrong state.
    expect((await prefecture.post(`/api/questions/${question.id}/answer`, { body: '再答' })).statusCode).toBe(409);
    expect((await prefecture.post(`/api/questions/${question.id}/escalate`, { note: 'x' })).statusCode).toBe(409);
    expect((await t.database.db.select().from(notifications).where(eq(notifications.unitCode, '2430102001'))).map((n) => n.kind)).toEqual(
      expect.arrayContaining(['question_escalated', 'question_answered']),
    );

    // Only the unit that answered publishes; once.
    expect((await county.post(`/api/questions/${question.id}/faq`, {})).statusCode).toBe(403);
    const published = await prefecture.post(`/api/questions/${question.id}/faq`, {});
    expect(published.statusCode).toBe(201);
    expect(published.json()).toMatchObject({ unitCode: '430100', title: '学历层次口径', answer: '按最高学历填报。' });
    expect((await prefecture.post(`/api/questions/${question.id}/faq`, {})).statusCode).toBe(409);

    // Only the asker closes, once.
    expect((await county.post(`/api/questions/${question.id}/close`)).statusCode).toBe(403);
    expect((await schoolViewer.post(`/api/questions/${question.id}/close`)).statusCode).toBe(403);
    const closed = await school.post(`/api/questions/${question.id}/close`);
    expect(closed.json()).toMatchObject({ status: 'closed' });
    expect((await school.post(`/api/questions/${question.id}/close`)).statusCode).toBe(409);
    expect((await prefecture.post(`/api/questions/${question.id}/answer`, { body: 'x' })).statusCode).toBe(409);
    expect((await auditEventsFor(t.database.db, question.id, 'question')).map((e) => e.action)).toEqual(['question.ask', 'question.escalate', 'question.answer', 'question.close']);
  });

  it('a follow-up reopens an answered question in the same queue', async () => {
    const question = (await ask(school, '2430102001', { title: '追问测试' })).json();
    expect((await school.post(`/api/questions/${question.id}/follow-up`, { body: '还没答' })).statusCode).toBe(409);
    await county.post(`/api/questions/${question.id}/answer`, { body: '见文件' });
    const reopened = await school.post(`/api/questions/${question.id}/follow-up`, { body: '哪个文件？' });
    expect(reopened.json()).toMatchObject({ status: 'open', holderCode: '430102' });
    expect(reopened.json().messages.map((m: { kind: string }) => m.kind)).toEqual(['asked', 'answered', 'reopened']);
  });

  it('the province has nowhere higher to escalate to', async () => {
    const question = (await ask(university, '4430104001', { title: '高校口径' })).json();
    const response = await province.post(`/api/questions/${question.id}/escalate`, { note: '上报教育部' });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.messages.zh).toContain('最高一级');
  });

  it('refuses asking for a unit out of scope (404), for another unit in scope (403), and the province asking (422)', async () => {
    expect((await ask(school, '2430103001')).statusCode).toBe(404);
    expect((await ask(otherCounty, '430102')).statusCode).toBe(404);
    expect((await ask(county, '2430102001')).statusCode).toBe(403);
    expect((await ask(schoolViewer, '2430102001')).statusCode).toBe(403);
    expect((await ask(province, '430000')).statusCode).toBe(422);
  });

  it('hides a question from units it has never been with (404)', async () => {
    const question = (await ask(school, '2430102001', { title: '不可见' })).json();
    for (const client of [otherCounty, prefecture, province, university]) {
      expect((await client.get(`/api/questions/${question.id}`)).statusCode).toBe(404);
      expect((await client.post(`/api/questions/${question.id}/answer`, { body: 'x' })).statusCode).toBe(404);
    }
    expect((await county.get('/api/questions/999999999')).statusCode).toBe(404);
  });

  it('stores HTML as typed text and refuses control characters and empty or overlong text', async () => {
    const html = '<script>alert(1)</script><b>粗体</b>';
    const question = (await ask(school, '2430102001', { title: html, body: html })).json();
    expect(question.title).toBe(html);
    expect((await county.get(`/api/questions/${question.id}`)).json().body).toBe(html);
    expect((await ask(school, '2430102001', { title: 'a\u0007b' })).statusCode).toBe(400);
    expect((await ask(school, '2430102001', { title: '   ' })).statusCode).toBe(400);
    expect((await ask(school, '2430102001', { title: '字'.repeat(101) })).statusCode).toBe(400);
    expect((await ask(school, '2430102001', { category: 'gossip' })).statusCode).toBe(400);
  });

  it('escalates by itself after the configured hours, once per period, audited as the system', async () => {
    const question = (await ask(school, '2430102001', { title: '无人答复' })).json();
    const db = t.database.db;
    const asked = new Date(question.queuedAt).getTime();
    // Other questions left open above also wait; count only this one's moves.
    await autoEscalate(db, t.config.qaEscalateHours, new Date(asked + 23 * 3_600_000));
    expect((await db.select().from(questions).where(eq(questions.id, question.id)))[0].holderCode).toBe('430102');
    const later = new Date(asked + 25 * 3_600_000);
    expect(await autoEscalate(db, t.config.qaEscalateHours, later)).toBeGreaterThan(0);
    expect(await autoEscalate(db, t.config.qaEscalateHours, later)).toBe(0);
    const [row] = await db.select().from(questions).where(eq(questions.id, question.id));
    expect(row).toMatchObject({ status: 'escalated', holderCode: '430100' });
    const events = await auditEventsFor(db, question.id, 'question');
    expect(events.at(-1)).toMatchObject({ action: 'question.auto_escalate', actorId: null });
    // The next level's clock starts when it arrived: 25 more hours move it to the province, and no further.
    await autoEscalate(db, t.config.qaEscalateHours, new Date(asked + 51 * 3_600_000));
    expect((await db.select().from(questions).where(eq(questions.id, question.id)))[0].holderCode).toBe('430000');
    await autoEscalate(db, t.config.qaEscalateHours, new Date(asked + 500 * 3_600_000));
    expect((await db.select().from(questions).where(eq(questions.id, question.id)))[0].holderCode).toBe('430000');
    expect((await province.get(`/api/questions/${question.id}`)).json().messages.filter((m: { system: boolean }) => m.system)).toHaveLength(2);
  });

  it('finds questions and published FAQ entries by typed words, with % and _ taken literally', async () => {
    const question = (await ask(school, '2430102001', { title: '编制外人员 100%_口径', body: '临聘人员是否填报' })).json();
    await county.post(`/api/questions/${question.id}/answer`, { body: '临聘人员不填报。' });
    await county.post(`/api/questions/${question.id}/faq`, {});
    expect((await school.get(`/api/questions?q=${encodeURIComponent('100%_')}`)).json().items.map((q: { id: number }) => q.id)).toEqual([question.id]);
    expect((await school.get(`/api/questions?q=${encodeURIComponent('%')}`)).json().items.map((q: { id: number }) => q.id)).toEqual([question.id]);
    const found = (await school.get(`/api/faq?q=${encodeURIComponent('临聘')}`)).json().items;
    expect(found.map((f: { questionId: number }) => f.questionId)).toEqual([question.id]);
    // A county FAQ is for the county's subtree: the prefecture above sees it, a sibling county does not.
    expect((await prefecture.get(`/api/faq?q=${encodeURIComponent('临聘')}`)).json().items).toHaveLength(1);
    expect((await otherCounty.get(`/api/faq?q=${encodeURIComponent('临聘')}`)).json().items).toHaveLength(0);
    // The prefecture's FAQ (published above) reaches the school and the sibling county alike.
    expect((await otherCounty.get(`/api/faq?q=${encodeURIComponent('最高学历')}`)).json().items).toHaveLength(1);
  });

  it('lets the publishing unit withdraw an FAQ entry, audited; others are refused; the answer can be published again', async () => {
    const question = (await ask(school, '2430102001', { title: '兼职教师是否填报', body: '外聘兼职教师是否需要填报？' })).json();
    await county.post(`/api/questions/${question.id}/answer`, { body: '兼职教师不填报。' });
    const entry = (await county.post(`/api/questions/${question.id}/faq`, {})).json();
    expect((await school.request('DELETE', `/api/faq/${entry.id}`)).statusCode).toBe(403);
    expect((await prefecture.request('DELETE', `/api/faq/${entry.id}`)).statusCode).toBe(403);
    expect((await otherCounty.request('DELETE', `/api/faq/${entry.id}`)).statusCode).toBe(404);
    expect((await county.request('DELETE', `/api/faq/${entry.id}`)).statusCode).toBe(200);
    expect((await school.get(`/api/faq?q=${encodeURIComponent('兼职')}`)).json().items).toHaveLength(0);
    expect((await county.get(`/api/questions/${question.id}`)).json().faqId).toBeNull();
    const [withdrawn] = (await auditEventsFor(t.database.db, entry.id, 'faq_entry')).filter((event) => event.action === 'faq.withdraw');
    expect(withdrawn.before).toMatchObject({ questionId: question.id, answer: '兼职教师不填报。' });
    expect((await county.post(`/api/questions/${question.id}/faq`, {})).statusCode).toBe(201);
  });

  it('gives per-level figures: open questions in the queue and the subtree, median time to first answer', async () => {
    const db = t.database.db;
    const all = await db.select().from(questions);
    const waiting = (q: (typeof all)[number]) => q.status === 'open' || q.status === 'escalated';
    const figures = (await county.get('/api/units/430102/helpdesk-figures')).json();
    expect(figures.openInQueue).toBe(all.filter((q) => waiting(q) && q.holderCode === '430102').length);
    expect(figures.openInSubtree).toBe(all.filter((q) => waiting(q) && ['430102', '2430102001'].includes(q.holderCode)).length);
    expect(figures.answered).toBe(all.filter((q) => q.firstAnsweredAt && q.holderCode === '430102').length);
    expect(figures.medianHoursToAnswer).not.toBeNull();
    const province = (await t.login((await makeAccount(db, { unitCode: '430000' })).username)).get('/api/units/430000/helpdesk-figures');
    expect((await province).json().openInSubtree).toBe(all.filter(waiting).length);
    expect((await otherCounty.get('/api/units/430102/helpdesk-figures')).statusCode).toBe(404);
  });
});

describe('答疑 attachments', () => {
  let questionId: number;
  beforeAll(async () => {
    questionId = (await ask(school, '2430102001', { title: '附件问题' })).json().id;
  });

  it('takes a real PDF and serves it back as a download that browsers never sniff', async () => {
    const upload = multipart({ name: '说明.pdf', content: pdf });
    const response = await school.request('POST', `/api/questions/${questionId}/attachments`, upload.payload, { headers: upload.headers });
    expect(response.statusCode).toBe(200);
    const [file] = response.json().attachments;
    expect(file).toMatchObject({ name: '说明.pdf', size: pdf.length, contentType: 'application/pdf' });
    const download = await county.get(`/api/question-attachments/${file.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.rawPayload.equals(pdf)).toBe(true);
    expect((await otherCounty.get(`/api/question-attachments/${file.id}`)).statusCode).toBe(404);
  });

  it('refuses an .exe renamed .pdf, a mismatched type, a disallowed type and an oversized file, naming the file', async () => {
    const send = (name: string, content: Buffer) => {
      const upload = multipart({ name, content });
      return school.request('POST', `/api/questions/${questionId}/attachments`, upload.payload, { headers: upload.headers });
    };
    const exe = await send('培训.pdf', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]));
    expect(exe.statusCode).toBe(415);
    expect(exe.json().error.messages.zh).toContain('“培训.pdf”实际是可执行程序');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const mismatch = await send('表格.xlsx', png);
    expect(mismatch.statusCode).toBe(415);
    expect(mismatch.json().error.messages.zh).toContain('“表格.xlsx”的内容与扩展名 .xlsx 不符');
    expect((await send('run.bat', Buffer.from('echo hi'))).statusCode).toBe(415);
    const big = await send('大文件.pdf', Buffer.concat([pdf, Buffer.alloc(20 * 1024 * 1024, 32)]));
    expect(big.statusCode).toBe(413);
    expect((await county.get(`/api/questions/${questionId}`)).json().attachments).toHaveLength(1);
  });

  it('refuses attachments from a unit the question has moved on from (403) and on a closed question (409)', async () => {
    const send = (client: TestClient) => {
      const upload = multipart({ name: '说明.pdf', content: pdf });
      return client.request('POST', `/api/questions/${questionId}/attachments`, upload.payload, { headers: upload.headers });
    };
    await county.post(`/api/questions/${questionId}/escalate`, { note: '请市里看' });
    expect((await send(county)).statusCode).toBe(403);
    expect((await send(prefecture)).statusCode).toBe(200);
    await school.post(`/api/questions/${questionId}/close`);
    expect((await send(school)).statusCode).toBe(409);
  });
});
