import ExcelJS from 'exceljs';
import { eq, isNull, sql, and } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldsFor, formatCell, presenceOf } from '../../standard/index.ts';
import { fieldKeys, type FieldKey } from '../../standard/types.ts';
import { staff } from '../db/schema.ts';
import { createTestApp, multipart, type TestApp, type TestClient } from '../test/app.ts';
import { makeAccount, makeCampaign, makeSchool, validStaffValues } from '../test/factories.ts';

let t: TestApp;
let operator: TestClient;
let countyAdmin: TestClient;
let otherOperator: TestClient;
const school = '2430102001';
const columns = fieldsFor('k12');
/** Columns of an export: the school's code and name, then the template's. */
const idColumn = 3 + columns.findIndex((f) => f.key === 'idNumber');
const birthColumn = 3 + columns.findIndex((f) => f.key === 'birthDate');

async function loadWorkbook(buffer: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buffer as unknown as ArrayBuffer);
  return book;
}

/** A workbook with the template's header and one row per person (values in code-label form). */
async function staffWorkbook(people: Partial<Record<FieldKey, string>>[], options: { titleRows?: number; rowKeys?: string[] } = {}) {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('教职工');
  for (let i = 0; i < (options.titleRows ?? 0); i += 1) sheet.addRow([`芙蓉区实验小学 教职工信息 ${i + 1}`]);
  sheet.addRow([...columns.map((f) => (presenceOf(f.key, 'k12') === 'required' ? `★${f.label}` : f.label)), ...(options.rowKeys ? ['行标识（系统使用，请勿修改）'] : [])]);
  people.forEach((person, index) => sheet.addRow([...columns.map((f) => formatCell(f.key, person[f.key] ?? null, 'k12')), ...(options.rowKeys ? [options.rowKeys[index]] : [])]));
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function upload(client: TestClient, content: Buffer, name = 'staff.xlsx', fields: Record<string, string> = {}, code = school) {
  const body = multipart({ name, content }, fields);
  return client.request('POST', `/api/schools/${code}/imports`, body.payload, { headers: body.headers });
}

async function liveStaff(code = school) {
  return t.database.db.select().from(staff).where(and(eq(staff.schoolCode, code), isNull(staff.deletedAt)));
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await makeCampaign(db);
  await makeSchool(db, { countyCode: '430102', serial: 1 });
  await makeSchool(db, { countyCode: '430103', serial: 1 });
  await makeSchool(db, { countyCode: '430104', schoolType: 'higher_ed', serial: 1 });
  operator = await t.login((await makeAccount(db, { unitCode: school, role: 'operator' })).username);
  otherOperator = await t.login((await makeAccount(db, { unitCode: '2430103001', role: 'operator' })).username);
  countyAdmin = await t.login((await makeAccount(db, { unitCode: '430102' })).username);
});
afterAll(() => t.close());

describe('the school template', () => {
  it('has instructions, starred headers with notes, text columns, dropdowns from a hidden code sheet', async () => {
    const response = await operator.get(`/api/schools/${school}/template`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    const book = await loadWorkbook(response.rawPayload);
    expect(book.worksheets.map((s) => s.name)).toEqual(['填表说明', '教职工基础信息', '字典']);
    expect(book.getWorksheet('字典')!.state).toBe('veryHidden');
    const sheet = book.getWorksheet('教职工基础信息')!;
    const header = sheet.getRow(1);
    expect(header.getCell(1).value).toBe('★姓名');
    expect(String(header.getCell(1).note ? JSON.stringify(header.getCell(1).note) : '')).toContain('身份证');
    const idColumn = columns.findIndex((f) => f.key === 'idNumber') + 1;
    expect(sheet.getColumn(idColumn).numFmt ?? sheet.getColumn(idColumn).style?.numFmt).toBe('@');
    const sexColumn = columns.findIndex((f) => f.key === 'sex') + 1;
    const validations = (sheet as unknown as { dataValidations: { model: Record<string, { formulae: string[] }> } }).dataValidations.model;
    const sexRule = Object.entries(validations).find(([range]) => range.startsWith(`${sheet.getColumn(sexColumn).letter}2`));
    expect(sexRule?.[1].formulae[0]).toMatch(/^'字典'!\$[A-Z]+\$1:\$[A-Z]+\$4$/);
    const nationalityColumn = columns.findIndex((f) => f.key === 'nationality') + 1;
    const countryRule = Object.entries(validations).find(([range]) => range.startsWith(`${sheet.getColumn(nationalityColumn).letter}2`));
    const countryRows = Number(countryRule![1].formulae[0].split('$').at(-1));
    expect(countryRows).toBeGreaterThan(200); // longer than Excel's 255-character inline limit allows
    expect(sheet.getColumn(columns.length + 1).hidden).toBe(true);
  });
});

describe('upload, preview, commit', () => {
  const people = [1, 2, 3].map((serial) => validStaffValues(serial));

  it('previews without writing: counts and every finding by row, column and field', async () => {
    const bad = { ...validStaffValues(4), idNumber: `${validStaffValues(4).idNumber.slice(0, 17)}${validStaffValues(4).idNumber[17] === '1' ? '2' : '1'}`, birthDate: '1980-13-01' };
    const response = await upload(operator, await staffWorkbook([...people, bad], { titleRows: 2 }));
    expect(response.statusCode, response.body).toBe(200);
    const preview = response.json();
    expect(preview.counts).toEqual({ new: 3, changed: 0, unchanged: 0, invalid: 1, conflicts: 0 });
    const idLetter = String.fromCharCode(65 + columns.findIndex((f) => f.key === 'idNumber'));
    expect(preview.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 7, column: idLetter, field: 'idNumber', code: 'id_checksum', severity: 'error' }),
        expect.objectContaining({ row: 7, field: 'birthDate', code: 'invalid_date' }),
      ]),
    );
    expect(preview.issues.find((i: { code: string }) => i.code === 'id_checksum').message).toMatch(/^第7行 身份证件号：校验位应为/);
    expect(await liveStaff()).toHaveLength(0);
    const filtered = (await operator.get(`/api/imports/${preview.id}/issues?field=birthDate`)).json();
    expect(filtered.items.map((i: { field: string }) => i.field)).toEqual(['birthDate']);
  });

  it('gives an annotated workbook: the file\'s own layout, red cells with notes, a 导入结果 column', async () => {
    const bad = { ...validStaffValues(5), sex: '男女' };
    const preview = (await upload(operator, await staffWorkbook([people[0], bad], { titleRows: 1 }))).json();
    const response = await operator.get(`/api/imports/${preview.id}/annotated`);
    expect(response.statusCode).toBe(200);
    const sheet = (await loadWorkbook(response.rawPayload)).worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('芙蓉区实验小学 教职工信息 1');
    const sexCell = sheet.getRow(4).getCell(columns.findIndex((f) => f.key === 'sex') + 1);
    expect(sexCell.value).toBe('男女');
    expect((sexCell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect(JSON.stringify(sexCell.note)).toContain('性别');
    const status = columns.length + 1;
    expect(sheet.getRow(2).getCell(status).value).toBe('导入结果');
    expect(sheet.getRow(3).getCell(status).value).toBe('新增');
    expect(String(sheet.getRow(4).getCell(status).value)).toContain('有错误');
  });

  it('commits the valid rows in one go; the same file again changes nothing', async () => {
    const file = await staffWorkbook(people);
    const preview = (await upload(operator, file)).json();
    const committed = await operator.post(`/api/imports/${preview.id}/commit`);
    expect(committed.statusCode, committed.body).toBe(200);
    expect(committed.json()).toMatchObject({ new: 3, changed: 0 });
    expect(await liveStaff()).toHaveLength(3);
    expect((await operator.post(`/api/imports/${preview.id}/commit`)).statusCode).toBe(409);
    const again = (await upload(operator, file)).json();
    expect(again.counts).toEqual({ new: 0, changed: 0, unchanged: 3, invalid: 0, conflicts: 0 });
    expect((await operator.post(`/api/imports/${again.id}/commit`)).json()).toMatchObject({ new: 0, changed: 0 });
    expect(await liveStaff()).toHaveLength(3);
  });

  it('updates people through the pre-filled template, showing old → new; a changed approved record is entered again', async () => {
    const template = await loadWorkbook((await operator.get(`/api/schools/${school}/template`)).rawPayload);
    const sheet = template.getWorksheet('教职工基础信息')!;
    expect(sheet.getRow(2).getCell(columns.length + 1).value).toMatch(/^\d+$/);
    // The person had signed the paper slip and the school approved the record.
    const key = Number(sheet.getRow(2).getCell(columns.length + 1).value);
    await t.database.db.update(staff).set({ status: 'approved', confirmedVia: 'paper' }).where(eq(staff.id, key));
    const nameColumn = columns.findIndex((f) => f.key === 'name') + 1;
    const before = String(sheet.getRow(2).getCell(nameColumn).value);
    sheet.getRow(2).getCell(nameColumn).value = '王改名';
    const preview = (await upload(operator, Buffer.from(await template.xlsx.writeBuffer()), 'template.xlsx')).json();
    expect(preview.counts).toMatchObject({ changed: 1, unchanged: 2, new: 0 });
    const changed = (await operator.get(`/api/imports/${preview.id}/rows?action=changed`)).json();
    expect(changed.items[0].changes).toEqual({ name: { before, after: '王改名' } });
    await operator.post(`/api/imports/${preview.id}/commit`);
    expect((await liveStaff()).map((row) => row.name)).toContain('王改名');
    const [edited] = await t.database.db.select().from(staff).where(eq(staff.id, key));
    expect(edited).toMatchObject({ name: '王改名', status: 'draft', confirmedVia: null });
  });

  it('names the school and county of an ID number held elsewhere, and does not import it', async () => {
    const preview = (await upload(otherOperator, await staffWorkbook([people[1], validStaffValues(40)]), 'x.xlsx', {}, '2430103001')).json();
    expect(preview.counts).toMatchObject({ conflicts: 1, new: 1 });
    const conflict = preview.issues.find((i: { code: string }) => i.code === 'duplicate_in_province');
    expect(conflict.message).toContain('芙蓉区');
    await otherOperator.post(`/api/imports/${preview.id}/commit`);
    expect((await liveStaff('2430103001')).map((r) => r.idNumber)).toEqual([validStaffValues(40).idNumber]);
  });

  it('refuses the row key of another school', async () => {
    const [mine] = await liveStaff();
    const preview = (await upload(otherOperator, await staffWorkbook([validStaffValues(41)], { rowKeys: [String(mine.id)] }), 'x.xlsx', {}, '2430103001')).json();
    expect(preview.counts).toMatchObject({ invalid: 1, new: 0 });
    expect(preview.issues.some((i: { message: string }) => i.message.includes('行标识'))).toBe(true);
  });

  it('in strict mode writes nothing while any error remains', async () => {
    const bad = { ...validStaffValues(6), nationality: '999' };
    const preview = (await upload(operator, await staffWorkbook([validStaffValues(7), bad]), 'strict.xlsx', { mode: 'strict' })).json();
    const before = (await liveStaff()).length;
    const commit = await operator.post(`/api/imports/${preview.id}/commit`);
    expect(commit.statusCode).toBe(409);
    expect(commit.json().error.message).toContain('严格模式');
    expect(await liveStaff()).toHaveLength(before);
  });

  it('refuses the whole commit when a record changed after the preview', async () => {
    const [first] = await liveStaff();
    const edited = { ...validStaffValues(8) };
    const preview = (await upload(operator, await staffWorkbook([edited, { ...(Object.fromEntries(fieldKeys.map((k) => [k, first[k]])) as Record<FieldKey, string>), name: '又改名' }]))).json();
    expect(preview.counts, JSON.stringify(preview)).toMatchObject({ new: 1, changed: 1 });
    await t.database.db.update(staff).set({ version: sql`${staff.version} + 1` }).where(eq(staff.id, first.id));
    const count = (await liveStaff()).length;
    const commit = await operator.post(`/api/imports/${preview.id}/commit`);
    expect(commit.statusCode).toBe(409);
    expect(await liveStaff()).toHaveLength(count);
  });

  it('keeps an import history with the original file, visible to the county', async () => {
    const history = (await countyAdmin.get(`/api/schools/${school}/imports`)).json();
    expect(history.total).toBeGreaterThanOrEqual(5);
    const committed = history.items.find((i: { status: string }) => i.status === 'committed');
    expect(committed).toMatchObject({ fileSha256: expect.stringMatching(/^[0-9a-f]{64}$/), fileName: expect.any(String) });
    const original = await operator.get(`/api/imports/${committed.id}/original`);
    expect(original.statusCode).toBe(200);
    expect(original.rawPayload.length).toBe(committed.fileSize);
    expect((await otherOperator.get(`/api/imports/${committed.id}`)).statusCode).toBe(404);
  });
});

describe('bad files change nothing', () => {
  it.each([
    ['not a spreadsheet', 'notes.xlsx', Buffer.from('hello, this is text'), 422],
    ['a legacy .xls', 'old.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(1024)]), 415],
  ])('%s', async (_, name, content, status) => {
    const before = (await liveStaff()).length;
    const response = await upload(operator, content, name);
    expect([status, 415, 422]).toContain(response.statusCode);
    expect(response.json().error.message.length).toBeGreaterThan(10);
    expect(await liveStaff()).toHaveLength(before);
  });

  it('a sheet without a recognisable header', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('x').addRow(['甲', '乙', '丙']);
    const response = await upload(operator, Buffer.from(await book.xlsx.writeBuffer()));
    expect(response.statusCode).toBe(422);
    expect(response.json().error.message).toContain('表头');
  });

  it('a header missing required columns', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('x').addRow(['姓名', '性别', '身份证件号', '出生日期']);
    const response = await upload(operator, Buffer.from(await book.xlsx.writeBuffer()));
    expect(response.statusCode).toBe(422);
    expect(response.json().error.message).toContain('缺少');
  });

  it('a file of another school type', async () => {
    const book = new ExcelJS.Workbook();
    const he = fieldsFor('higher_ed');
    book.addWorksheet('x').addRow(he.map((f) => f.label));
    const response = await upload(operator, Buffer.from(await book.xlsx.writeBuffer()));
    expect(response.statusCode).toBe(422);
    expect(response.json().error.message).toContain('高等学校');
  });
});

describe('export', () => {
  it('streams the county\'s records in the template layout with code-label values, audited', async () => {
    const response = await countyAdmin.get('/api/units/430102/export');
    expect(response.statusCode).toBe(200);
    const sheet = (await loadWorkbook(response.rawPayload)).worksheets[0];
    expect(sheet.name).toBe('中小学');
    expect(sheet.getRow(1).getCell(3).value).toBe('★姓名');
    const sexColumn = 3 + columns.findIndex((f) => f.key === 'sex');
    expect(String(sheet.getRow(2).getCell(sexColumn).value)).toMatch(/^[12]-[男女]$/);
    expect(sheet.rowCount).toBe(1 + (await liveStaff()).length);
    // The county may reveal, so its audited export is in full.
    expect(String(sheet.getRow(2).getCell(idColumn).value)).toMatch(/^\d{17}[\dX]$/);
    expect(String(sheet.getRow(2).getCell(birthColumn).value)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('reads back as the school\'s own upload with every record unchanged', async () => {
    const exported = await operator.get(`/api/units/${school}/export`);
    expect(exported.statusCode).toBe(200);
    const response = await upload(operator, exported.rawPayload);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().counts).toMatchObject({ new: 0, changed: 0, invalid: 0, unchanged: (await liveStaff()).length });
  });
});

describe('export safety', () => {
  it('masks ID numbers, and birth dates to the month, in a viewer\'s export', async () => {
    const viewer = await t.login((await makeAccount(t.database.db, { unitCode: '430102', role: 'viewer' })).username);
    const sheet = (await loadWorkbook((await viewer.get('/api/units/430102/export')).rawPayload)).worksheets[0];
    expect(String(sheet.getRow(2).getCell(idColumn).value)).toMatch(/^\d{6}\*{12}$/);
    expect(String(sheet.getRow(2).getCell(birthColumn).value)).toMatch(/^\d{4}-\d{2}$/);
  });
});
