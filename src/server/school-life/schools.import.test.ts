import ExcelJS from 'exceljs';
import { like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { units } from '../db/schema.ts';
import { createTestApp, multipart, type TestApp, type TestClient } from '../test/app.ts';
import { makeAccount, makeSchool } from '../test/factories.ts';

let t: TestApp;
let county: TestClient;
let province: TestClient;

async function workbook(rows: (string | number)[][], titleRows: string[][] = []) {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('学校名单');
  for (const row of titleRows) sheet.addRow(row);
  sheet.addRow(['★学校标识码', '★学校名称', '★学校类型', '★所在县市区代码', '★教职工数（编制/统计数）']);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

function upload(client: TestClient, name: string, content: Buffer) {
  const body = multipart({ name, content });
  return client.request('POST', '/api/schools/import', body.payload, { headers: body.headers });
}

async function schoolCount() {
  const [row] = await t.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(units).where(like(units.kind, 'school'));
  return row.n;
}

beforeAll(async () => {
  t = await createTestApp();
  await makeSchool(t.database.db, { countyCode: '430102', serial: 1, expectedStaff: 10 });
  await makeSchool(t.database.db, { countyCode: '430103', serial: 1 });
  county = await t.login((await makeAccount(t.database.db, { unitCode: '430102' })).username);
  province = await t.login((await makeAccount(t.database.db, { unitCode: '430000' })).username);
});
afterAll(() => t.close());

describe('POST /api/schools/import', () => {
  it('adds new schools and updates known ones, in any column order, below title rows', async () => {
    const content = await workbook(
      [
        ['2430102001', '芙蓉区实验小学（改名）', '中小学', '430102', 12],
        ['2430102050', '芙蓉区第五十小学', 'k12', '430102-芙蓉区', 40],
        ['5430102050', '芙蓉区特殊教育学校', '特殊教育学校', '430102', '9'],
      ],
      [['芙蓉区学校名单'], []],
    );
    const response = await upload(county, 'list.xlsx', content);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ created: 2, updated: 1, unchanged: 0, accountsCreated: 0 });
    const again = await upload(county, 'list.xlsx', content);
    expect(again.json(), again.body).toEqual({ created: 0, updated: 0, unchanged: 3, accountsCreated: 0 });
  });

  it('reports every bad row by row, column and field, and writes nothing', async () => {
    const before = await schoolCount();
    const content = await workbook([
      ['2430102060', '好学校', 'k12', '430102', 10],
      ['123', '', '大学', '430102', -1],
      ['2430102061', '天心区学校', 'k12', '430103', 10],
      ['2430102060', '重复', 'k12', '430102', 10],
      ['2430103001', '别人的学校', 'k12', '430102', 10],
    ]);
    const response = await upload(county, 'bad.xlsx', content);
    expect(response.statusCode).toBe(422);
    const { errors } = response.json().error.details;
    const summary = errors.map((e: { row: number; column: string; field: string }) => `${e.row}${e.column}:${e.field}`);
    expect(summary).toEqual(
      expect.arrayContaining(['3A:code', '3B:name', '3C:schoolType', '3E:expectedStaff', '4D:countyCode', '5A:code', '6A:code']),
    );
    expect(errors.find((e: { row: number; field: string }) => e.row === 5 && e.field === 'code').message).toBe('第5行 学校标识码：与第2行重复');
    expect(response.json().error.message).toContain('未导入任何数据');
    expect(await schoolCount()).toBe(before);
  });

  it('lets only the province add higher education', async () => {
    const content = await workbook([['4430102070', '某学院', '高等学校', '430102', 500]]);
    const byCounty = await upload(county, 'he.xlsx', content);
    expect(byCounty.statusCode).toBe(422);
    expect(byCounty.json().error.details.errors[0]).toMatchObject({ row: 2, field: 'schoolType' });
    expect((await upload(province, 'he.xlsx', content)).json()).toMatchObject({ created: 1 });
  });

  it('refuses a legacy .xls, a file that is not a workbook, and a sheet without a header', async () => {
    const before = await schoolCount();
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    const legacy = await upload(county, 'old.xls', xls);
    expect(legacy.statusCode).toBe(415);
    expect(legacy.json().error.message).toContain('另存为');
    const text = await upload(county, 'notes.xlsx', Buffer.from('just some text'));
    expect(text.statusCode).toBe(415);
    const book = new ExcelJS.Workbook();
    book.addWorksheet('x').addRow(['a', 'b']);
    const headerless = await upload(county, 'x.xlsx', Buffer.from(await book.xlsx.writeBuffer()));
    expect(headerless.statusCode).toBe(422);
    expect(headerless.json().error.message).toContain('找不到表头');
    const corrupt = await upload(county, 'broken.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 7)]));
    expect(corrupt.statusCode).toBe(422);
    expect(await schoolCount()).toBe(before);
  });

  it('serves the school list template', async () => {
    const response = await county.get('/api/schools/import-template');
    expect(response.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    expect(book.getWorksheet('学校名单')!.getRow(1).getCell(1).value).toBe('★学校标识码');
    expect(book.getWorksheet('县市区代码')!.getRow(2).values).toEqual([undefined, '430102', '芙蓉区']);
  });
});
