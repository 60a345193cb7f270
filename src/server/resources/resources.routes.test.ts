import { eq, sql } from 'drizzle-orm';
import { resultRows } from '../db/client.ts';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../db/schema.ts';
import { createTestApp, multipart, type TestApp, type TestClient } from '../test/app.ts';
import { auditEventsFor, makeAccount, makeSchool } from '../test/factories.ts';
import { cellBomb, lyingCellBomb, withTrailingJunk } from '../imports/hostile-files.fixture.ts';

let t: TestApp;
let school: TestClient;
let county: TestClient;
let countyOperator: TestClient;
let prefecture: TestClient;
let otherCounty: TestClient;

const upload = (client: TestClient, code: string, name: string, content: Buffer, title?: string) => {
  const form = multipart({ name, content }, title === undefined ? {} : { title });
  return client.request('POST', `/api/units/${code}/library`, form.payload, { headers: form.headers });
};

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await makeSchool(db, { countyCode: '430102', serial: 1 });
  const login = async (unitCode: string, role: 'admin' | 'operator' = 'admin') => t.login((await makeAccount(db, { unitCode, role })).username);
  school = await login('2430102001', 'operator');
  county = await login('430102');
  countyOperator = await login('430102', 'operator');
  prefecture = await login('430100');
  otherCounty = await login('430103');
});
afterAll(() => t.close());

describe('专栏 announcements', () => {
  it('shows a level\'s announcements to its subtree, pinned first, and tells every unit of that subtree', async () => {
    const dated = await prefecture.post('/api/units/430100/announcements', { title: '第一次培训通知', body: '<i>周五</i>下午培训' });
    expect(dated.statusCode).toBe(201);
    const pinned = await county.post('/api/units/430102/announcements', { title: '报送截止提醒', body: '请按时报送', pinned: true });
    expect(pinned.statusCode).toBe(201);
    const seen = (await school.get('/api/resources')).json();
    expect(seen.announcements.map((a: { title: string }) => a.title)).toEqual(['报送截止提醒', '第一次培训通知']);
    expect(seen.announcements[1].body).toBe('<i>周五</i>下午培训');
    expect(seen.abilities.manage).toBe(false);
    // A sibling county sees the prefecture's, not 芙蓉区's; the prefecture does not see its county's own.
    expect((await otherCounty.get('/api/resources')).json().announcements.map((a: { title: string }) => a.title)).toEqual(['第一次培训通知']);
    const told = await t.database.db.select().from(notifications).where(eq(notifications.kind, 'announcement'));
    expect(told.filter((n) => n.title.includes('第一次培训通知')).map((n) => n.unitCode)).toEqual(expect.arrayContaining(['430102', '430103', '2430102001']));
    expect(told.filter((n) => n.title.includes('第一次培训通知')).map((n) => n.unitCode)).not.toContain('430100');
    expect(told.filter((n) => n.title.includes('报送截止提醒')).map((n) => n.unitCode)).toEqual(['2430102001']);
    expect((await auditEventsFor(t.database.db, pinned.json().id, 'announcement')).map((e) => e.action)).toEqual(['announcement.publish']);
  });

  it('refuses other units, non-admins, empty and control-character text', async () => {
    expect((await county.post('/api/units/430103/announcements', { title: 'x', body: 'y' })).statusCode).toBe(404);
    expect((await county.post('/api/units/2430102001/announcements', { title: 'x', body: 'y' })).statusCode).toBe(403);
    expect((await countyOperator.post('/api/units/430102/announcements', { title: 'x', body: 'y' })).statusCode).toBe(403);
    expect((await county.post('/api/units/430102/announcements', { title: ' ', body: 'y' })).statusCode).toBe(400);
    expect((await county.post('/api/units/430102/announcements', { title: 'a\u0000b', body: 'y' })).statusCode).toBe(400);
  });
});

describe('专栏 library', () => {
  it('takes a real workbook, counts each download and serves it as an unsniffed attachment', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('说明').addRow(['字段', '说明']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const response = await upload(county, '430102', '填报说明.xlsx', xlsx, '填报说明（2013）');
    expect(response.statusCode).toBe(201);
    const listed = (await school.get('/api/resources')).json().files;
    expect(listed).toEqual([expect.objectContaining({ title: '填报说明（2013）', name: '填报说明.xlsx', size: xlsx.length, downloads: 0 })]);
    const first = await school.get(`/api/library-files/${listed[0].id}`);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-disposition']).toMatch(/^attachment;/);
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    expect(first.rawPayload.equals(xlsx)).toBe(true);
    await prefecture.get(`/api/library-files/${listed[0].id}`);
    expect((await county.get('/api/resources')).json().files[0].downloads).toBe(2);
    expect((await otherCounty.get(`/api/library-files/${listed[0].id}`)).statusCode).toBe(404);
    expect((await otherCounty.get('/api/resources')).json().files).toEqual([]);
  });

  it('refuses an .exe renamed .pdf, a workbook renamed .docx, a disallowed type, an oversized file, and non-admins', async () => {
    const exe = await upload(county, '430102', '培训课件.pdf', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]));
    expect(exe.statusCode).toBe(415);
    expect(exe.json().error.messages.zh).toBe('文件“培训课件.pdf”实际是可执行程序，已拒绝');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('a');
    const renamed = await upload(county, '430102', '指南.docx', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(renamed.statusCode).toBe(415);
    expect(renamed.json().error.messages.zh).toContain('“指南.docx”的内容与扩展名 .docx 不符');
    expect((await upload(county, '430102', 'setup.exe', Buffer.from('MZ'))).statusCode).toBe(415);
    expect((await upload(county, '430102', '大.pdf', Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20 * 1024 * 1024 + 1)]))).statusCode).toBe(413);
    expect((await upload(countyOperator, '430102', 'a.txt', Buffer.from('说明'))).statusCode).toBe(403);
    expect((await upload(county, '430103', 'a.txt', Buffer.from('说明'))).statusCode).toBe(404);
    expect((await county.get('/api/resources')).json().files).toHaveLength(1);
  });

  it('refuses an Office file that is a zip bomb, whatever its headers say or what follows it, and a cut-off upload', async () => {
    const refused = [
      [withTrailingJunk(cellBomb(64)), 422, /其后还有 71680 字节多余数据/],
      [lyingCellBomb(64), 422, /声明解压后为 100 字节，实际解压超过此数/],
      [cellBomb(256), 413, /解压后约 256 MB.*可能是压缩炸弹/],
    ] as const;
    for (const [content, status, message] of refused) {
      const response = await upload(county, '430102', '炸弹.xlsx', content);
      expect(response.statusCode, response.body).toBe(status);
      expect(response.json().error.messages.zh).toMatch(message);
      expect(response.json().error.messages.zh).toContain('炸弹.xlsx');
    }
    const form = multipart({ name: '说明.txt', content: Buffer.from('填报说明'.repeat(100)) }, { title: '说明' });
    const cut = await county.request('POST', '/api/units/430102/library', form.payload.subarray(0, form.payload.length - 50), { headers: form.headers });
    expect(cut.statusCode).toBe(400);
    expect(cut.json().error.messages.en).toMatch(/upload was cut off/);
    expect((await county.get('/api/resources')).json().files).toHaveLength(1);
  });
});

describe('专栏 removal', () => {
  it('lets the publishing unit\'s admin take an announcement down and remove a file with its bytes, audited; others are refused', async () => {
    const notice = (await county.post('/api/units/430102/announcements', { title: '临时通知', body: '发错了' })).json();
    const added = await upload(county, '430102', '填报说明.txt', Buffer.from('填报说明：请使用模板。'), '填报说明');
    expect(added.statusCode).toBe(201);
    const fileId = added.json().id;
    for (const [client, status] of [[school, 403], [countyOperator, 403], [prefecture, 403], [otherCounty, 404]] as const) {
      expect((await client.request('DELETE', `/api/announcements/${notice.id}`)).statusCode).toBe(status);
      expect((await client.request('DELETE', `/api/library-files/${fileId}`)).statusCode).toBe(status);
    }
    expect((await county.request('DELETE', `/api/announcements/${notice.id}`)).statusCode).toBe(200);
    expect((await county.request('DELETE', `/api/library-files/${fileId}`)).statusCode).toBe(200);
    const seen = (await school.get('/api/resources')).json();
    expect(seen.announcements.map((a: { title: string }) => a.title)).not.toContain('临时通知');
    expect(seen.files.map((f: { title: string }) => f.title)).not.toContain('填报说明');
    expect((await school.get(`/api/library-files/${fileId}`)).statusCode).toBe(404);
    expect((await county.request('DELETE', `/api/announcements/${notice.id}`)).statusCode).toBe(404);
    const removedNotice = await auditEventsFor(t.database.db, notice.id, 'announcement');
    expect(removedNotice.at(-1)).toMatchObject({ action: 'announcement.remove', before: { title: '临时通知', body: '发错了' } });
    const removedFile = await auditEventsFor(t.database.db, fileId, 'library_file');
    expect(removedFile.at(-1)).toMatchObject({ action: 'library.remove', before: { title: '填报说明', name: '填报说明.txt' } });
    const stored = await t.database.db.execute(sql`select count(*)::int as n from stored_files where sha256 = ${(removedFile.at(-1)!.before as { sha256: string }).sha256}`);
    expect(resultRows<{ n: number }>(stored)[0].n).toBe(0);
  });
});
