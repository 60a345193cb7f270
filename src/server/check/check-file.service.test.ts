import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { FieldKey } from '../../standard/types.ts';
import { checkFile } from './check-file.service.ts';
import type { CheckResult } from './check.types.ts';
import { headerCells, k12Columns, personCells, validPerson } from './staff-rows.fixture.ts';
import { censusDay, chunked, csvText, encodeGbk, residentId, xlsxBuffer } from './test-fixtures.ts';

const idColumn = k12Columns.indexOf('idNumber');
const options = { today: censusDay };

async function checkXlsx(rows: Parameters<typeof xlsxBuffer>[0][number]['rows'], fileName = 'staff.xlsx', extra = {}) {
  const buffer = await xlsxBuffer([{ name: '教职工', rows, textColumns: [idColumn + 1] }]);
  return checkFile({ stream: chunked(buffer, 4096), fileName }, 'k12', { ...options, ...extra });
}

const codes = (result: CheckResult) => result.issues.map((issue) => `${issue.row}:${issue.code}:${issue.field ?? '-'}`);

describe('checkFile', () => {
  it('passes messy but valid cells: full-width digits, 1-男 and 男, dates in every form, x in the ID', async () => {
    const people = Array.from({ length: 28 }, (_, index) => personCells(validPerson(index)));
    const result = await checkXlsx([headerCells(), ...people]);
    expect(result.issues).toEqual([]);
    expect(result).toMatchObject({ rows: 28, errors: 0, warnings: 0, headerRow: 1, format: 'xlsx', sheetName: '教职工' });
  });

  it('finds the header below title rows and counts rows as Excel does', async () => {
    const bad = validPerson(1);
    bad.idNumber = String(bad.idNumber).slice(0, 17) + (String(bad.idNumber).endsWith('3') ? '4' : '3');
    const result = await checkXlsx([['湖南省教职工基础信息表'], ['填报单位：长沙市第一中学'], [], headerCells(), personCells(validPerson(0)), personCells(bad)]);
    expect(result.headerRow).toBe(4);
    expect(result.rows).toBe(2);
    expect(result.issues).toEqual([expect.objectContaining({ row: 6, column: idColumn, field: 'idNumber', code: 'id_checksum', severity: 'error' })]);
    expect(result.issues[0].message).toMatch(/^身份证件号：校验位应为/);
  });

  it('maps columns in any order', async () => {
    const reversed = [...k12Columns].reverse();
    const bad = { ...validPerson(2), sex: '女' }; // a male ID
    const result = await checkXlsx([headerCells(reversed), personCells(validPerson(0), reversed), personCells(bad, reversed)]);
    expect(result.issues).toEqual([expect.objectContaining({ row: 3, column: reversed.indexOf('sex'), code: 'sex_mismatch' })]);
  });

  it('warns once about an unknown column and ignores it', async () => {
    const columns = [...k12Columns];
    const header = [...headerCells(columns), '工作证号码'];
    const rows = [0, 1, 2].map((index) => [...personCells(validPerson(index)), 'A-1']);
    const result = await checkXlsx([['标题'], header, ...rows]);
    expect(result.issues).toEqual([
      expect.objectContaining({ row: 2, column: columns.length, field: null, code: 'unknown_column', severity: 'warning' }),
    ]);
    expect(result.columns.at(-1)).toEqual({ index: columns.length, header: '工作证号码', field: null, status: 'unknown' });
    expect(result.errors).toBe(0);
  });

  it('reports a missing required column once, not on every row', async () => {
    const columns = k12Columns.filter((key) => key !== 'political');
    const rows = [0, 1, 2].map((index) => personCells(validPerson(index), columns));
    const result = await checkXlsx([headerCells(columns), ...rows]);
    expect(codes(result)).toEqual(['1:missing_column:political']);
    expect(result.issues[0]).toMatchObject({ column: null, severity: 'error' });
  });

  it('reports a missing conditional column once, when a row needs it', async () => {
    const columns = k12Columns.filter((key) => key !== 'ethnicity');
    const rows = [0, 1, 2].map((index) => personCells(validPerson(index), columns));
    const result = await checkXlsx([['标题'], headerCells(columns), ...rows]);
    expect(codes(result)).toEqual(['2:missing_column:ethnicity']);
  });

  it('skips blank rows without counting them', async () => {
    const result = await checkXlsx([headerCells(), personCells(validPerson(0)), [], [null, '  '], personCells(validPerson(1))]);
    expect(result).toMatchObject({ rows: 2, errors: 0 });
  });

  it('says when Excel turned an ID into a number, as a numeric cell or as 4.30102E+17 text', async () => {
    const numeric = { ...validPerson(0), idNumber: 4.3010219700101e17 };
    const scientific = { ...validPerson(2), idNumber: '4.30102E+17' };
    const again = { ...validPerson(4), idNumber: '4.30102E+17' };
    const buffer = await xlsxBuffer([{ name: 'a', rows: [headerCells(), ...[numeric, scientific, again].map((p) => personCells(p))] }]);
    const result = await checkFile({ stream: Readable.from([buffer]), fileName: 'a.xlsx' }, 'k12', options);
    const mangled = result.issues.filter((issue) => issue.code === 'id_mangled');
    expect(mangled.map((issue) => issue.row)).toEqual([2, 3, 4]);
    expect(mangled.every((issue) => issue.column === idColumn && issue.field === 'idNumber')).toBe(true);
    expect(result.issues.some((issue) => issue.code === 'duplicate_in_file')).toBe(false);
  });

  it('flags a repeated ID on every later row, naming the first', async () => {
    const first = validPerson(4); // its ID ends in a lower-case x
    const same = { ...validPerson(2), idNumber: first.idNumber, birthDate: first.birthDate };
    const upper = { ...validPerson(0), idNumber: String(first.idNumber).toUpperCase(), birthDate: first.birthDate };
    const result = await checkXlsx([['标题'], headerCells(), personCells(first), personCells(validPerson(1)), personCells(same), personCells(upper)]);
    const duplicates = result.issues.filter((issue) => issue.code === 'duplicate_in_file');
    expect(duplicates.map((issue) => issue.row)).toEqual([5, 6]);
    expect(duplicates[0]).toMatchObject({ column: idColumn, field: 'idNumber', severity: 'error' });
    expect(duplicates.every((issue) => issue.message.includes('3'))).toBe(true);
  });

  it('finds the data sheet by its header, after sheets without one', async () => {
    const buffer = await xlsxBuffer([
      { name: '填表说明', rows: [['请按模板填写'], ['姓名：与身份证一致']] },
      { name: '数据', rows: [['标题'], headerCells(), personCells(validPerson(0))] },
      { name: '字典', rows: [['1-男'], ['2-女']] },
    ]);
    const result = await checkFile({ stream: chunked(buffer, 1000), fileName: 'x.xlsx' }, 'k12', options);
    expect(result).toMatchObject({ sheetName: '数据', headerRow: 2, rows: 1, errors: 0 });
  });

  it('streams rows to onRecord and reports progress', async () => {
    const rows = Array.from({ length: 25 }, (_, index) => personCells(validPerson(index)));
    const seen: number[] = [];
    const progress: number[] = [];
    const result = await checkXlsx([headerCells(), ...rows], 'x.xlsx', {
      progressEvery: 10,
      onProgress: (count: number) => progress.push(count),
      onRecord: async (record: { row: number; values: Record<FieldKey, string | null> }) => {
        seen.push(record.row);
        expect(record.values.idNumber).toMatch(/^\d{17}[\dX]$/);
      },
    });
    expect(result.rows).toBe(25);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, index) => index + 2));
    expect(progress).toEqual([10, 20, 25]);
  });

  it('carries a row-key column the caller names, without warning about it, and tells the header first', async () => {
    const keyHeader = '行标识（系统使用，请勿修改）';
    const rows = [0, 1].map((index) => [...personCells(validPerson(index)), index === 0 ? '41' : null]);
    const records: Array<{ row: number; rowKey: string | null }> = [];
    let idColumnSeen: number | undefined;
    const result = await checkXlsx([[...headerCells(), keyHeader], ...rows], 'x.xlsx', {
      rowKeyHeader: keyHeader,
      onHeader: (header: { columnOf: Partial<Record<FieldKey, number>> }) => (idColumnSeen = header.columnOf.idNumber),
      onRecord: (record: { row: number; rowKey: string | null }) => void records.push({ row: record.row, rowKey: record.rowKey }),
    });
    expect(result.issues).toEqual([]);
    expect(result.columns.at(-1)).toMatchObject({ header: keyHeader, field: null, status: 'rowKey' });
    expect(idColumnSeen).toBe(idColumn);
    expect(records).toEqual([
      { row: 2, rowKey: '41' },
      { row: 3, rowKey: null },
    ]);
  });

  it('refuses files past the row or size limit', async () => {
    const rows = Array.from({ length: 6 }, (_, index) => personCells(validPerson(index)));
    await expect(checkXlsx([headerCells(), ...rows], 'x.xlsx', { maxRows: 5 })).rejects.toMatchObject({ code: 'payload_too_large' });
    await expect(checkXlsx([headerCells(), ...rows], 'x.xlsx', { maxBytes: 2000 })).rejects.toMatchObject({ code: 'payload_too_large' });
    const csv = Buffer.from(csvText([headerCells(), ...rows]));
    await expect(checkFile({ stream: chunked(csv, 100), fileName: 'x.csv' }, 'k12', { ...options, maxBytes: 500 })).rejects.toMatchObject({
      code: 'payload_too_large',
    });
  });
});

describe('checkFile on CSV', () => {
  const people = Array.from({ length: 14 }, (_, index) => validPerson(index, { text: true }));
  const good = residentId('430102', '19730404', 6);
  people[3] = { ...people[3], idNumber: good.slice(0, 17) + (good.endsWith('0') ? '1' : '0') };
  const text = csvText([headerCells(), ...people.map((person) => personCells(person))]);

  it('gives the same findings for UTF-8 with and without BOM and for GBK', async () => {
    const results = await Promise.all(
      [Buffer.from(text), Buffer.from(`\ufeff${text}`), encodeGbk(text)].map((bytes) =>
        checkFile({ stream: chunked(bytes, 777), fileName: 'staff.csv' }, 'k12', options),
      ),
    );
    expect(results.map((result) => result.encoding)).toEqual(['utf-8', 'utf-8', 'gb18030']);
    expect(results[0].issues.length).toBeGreaterThan(0);
    expect(results[1].issues).toEqual(results[0].issues);
    expect(results[2].issues).toEqual(results[0].issues);
  });

  it('numbers records by the line they start on, past quoted line breaks', async () => {
    const result = await checkFile({ stream: Readable.from([Buffer.from(text)]), fileName: 'staff.csv' }, 'k12', options);
    // person 0 has a remark with one line break, so person 3 starts on line 1 + 3 + 1 + 1
    expect(result.issues.filter((issue) => issue.code !== 'id_checksum')).toEqual([]);
    expect(result.issues.map((issue) => [issue.row, issue.column])).toEqual([[6, idColumn]]);
    expect(result.rows).toBe(14);
  });

  it('reads a CSV named .xlsx by its content', async () => {
    const result = await checkFile({ stream: Readable.from([Buffer.from(text)]), fileName: 'staff.xlsx' }, 'k12', options);
    expect(result.format).toBe('csv');
  });
});

describe('checkFile refuses what it cannot read', () => {
  const check = (bytes: Buffer, fileName: string) => checkFile({ stream: Readable.from([bytes]), fileName }, 'k12', options);

  it('a legacy .xls, and an encrypted workbook told apart from it by its EncryptedPackage stream (OLE both)', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    await expect(check(ole, 'old.xls')).rejects.toMatchObject({
      code: 'unsupported_media_type',
      messages: { zh: expect.stringContaining('是旧版 .xls 格式。请在 Excel 中“另存为” Excel 工作簿（.xlsx）后再上传') },
    });
    // The stream's name split across two chunks of the upload.
    const name = Buffer.from('EncryptionInfo\0EncryptedPackage', 'utf16le');
    const chunks = [Buffer.concat([ole, name.subarray(0, 41)]), Buffer.concat([name.subarray(41), Buffer.alloc(4096)])];
    await expect(checkFile({ stream: Readable.from(chunks), fileName: 'secret.xlsx' }, 'k12', options)).rejects.toMatchObject({
      code: 'unsupported_media_type',
      messages: { zh: expect.stringContaining('设置了密码（已加密），无法读取'), en: expect.stringContaining('password-protected (encrypted)') },
    });
  });

  it('a damaged workbook', async () => {
    const buffer = await xlsxBuffer([{ name: 'a', rows: [headerCells(), personCells(validPerson(0))] }]);
    await expect(check(buffer.subarray(0, buffer.length - 700), 'cut.xlsx')).rejects.toMatchObject({ code: 'unprocessable' });
    const scrambled = Buffer.from(buffer);
    for (let index = 100; index < scrambled.length; index += 5) scrambled[index] ^= 0x5a;
    await expect(check(scrambled, 'bad.xlsx')).rejects.toMatchObject({ code: 'unprocessable' });
  });

  it('a file without a header row, naming expected labels', async () => {
    const buffer = await xlsxBuffer([{ name: 'a', rows: [['名单'], ['张三', '男']] }]);
    await expect(check(buffer, 'list.xlsx')).rejects.toMatchObject({
      code: 'unprocessable',
      messages: { zh: expect.stringMatching(/没有找到表头行.*姓名/) },
    });
    await expect(check(Buffer.from('just some notes\n'), 'notes.csv')).rejects.toMatchObject({ code: 'unprocessable' });
  });
});
