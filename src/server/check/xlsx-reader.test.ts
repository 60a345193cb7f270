import { describe, expect, it } from 'vitest';
import type { SheetRow } from './sheet-rows.ts';
import { chunked, withPartsFirst, xlsxBuffer } from './test-fixtures.ts';
import { rawCell, xlsxTables } from './xlsx-reader.ts';

describe('xlsxTables', () => {
  it('streams every worksheet with Excel row numbers and cells as the standard takes them', async () => {
    const born = new Date(Date.UTC(1980, 0, 2));
    const buffer = await xlsxBuffer([
      { name: '说明', rows: [['填表说明']] },
      {
        name: '数据',
        rows: [
          ['标题'],
          [],
          ['姓名', '出生日期', '身份证件号'],
          [{ richText: [{ text: '张' }, { text: '三' }] }, born, 430102198001011260],
          [{ formula: 'A1&"x"', result: '标题x' }, { text: '链接', hyperlink: 'http://example.org' }, '4.30102E+17'],
        ],
      },
    ]);
    const seen: Array<{ name: string; rows: SheetRow[] }> = [];
    for await (const table of xlsxTables(chunked(buffer, 1000))) {
      const rows: SheetRow[] = [];
      for await (const batch of table.batches) rows.push(...batch);
      seen.push({ name: table.name, rows });
    }
    expect(seen.map((table) => table.name)).toEqual(['说明', '数据']);
    expect(seen[1].rows).toEqual([
      { rowNumber: 1, cells: ['标题'] },
      { rowNumber: 3, cells: ['姓名', '出生日期', '身份证件号'] },
      { rowNumber: 4, cells: ['张三', born, 430102198001011260] },
      { rowNumber: 5, cells: ['标题x', '链接', '4.30102E+17'] },
    ]);
  });

  it('can leave a worksheet part-read and go on to the next', async () => {
    const buffer = await xlsxBuffer([
      { name: 'a', rows: Array.from({ length: 50 }, (_, index) => [index]) },
      { name: 'b', rows: [['x']] },
    ]);
    const firstCells: unknown[] = [];
    for await (const table of xlsxTables(chunked(buffer, 512))) {
      for await (const batch of table.batches) {
        firstCells.push(batch[0].cells[0]);
        break;
      }
      table.discard();
    }
    expect(firstCells).toEqual([0, 'x']);
  });

  it('reads a workbook whose worksheets and shared strings come before xl/workbook.xml, with its sheet names', async () => {
    const written = await xlsxBuffer([
      { name: '教职工', rows: [['姓名'], ['张三']] },
      { name: '说明', rows: [['填表说明']] },
    ]);
    const reordered = await withPartsFirst(written, ['xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']);
    const tables: { name: string; cells: unknown[] }[] = [];
    for await (const table of xlsxTables(chunked(reordered, 512))) {
      const cells: unknown[] = [];
      for await (const batch of table.batches) cells.push(...batch.map((row) => row.cells[0]));
      tables.push({ name: table.name, cells });
    }
    expect(tables).toEqual([
      { name: '教职工', cells: ['姓名', '张三'] },
      { name: '说明', cells: ['填表说明'] },
    ]);
  });

  it('turns formula results, errors and empty values into raw cells', () => {
    expect(rawCell({ formula: '1+1', result: 2 })).toBe(2);
    expect(rawCell({ sharedFormula: 'A1', result: undefined })).toBeNull();
    expect(rawCell({ error: '#N/A' })).toBe('#N/A');
    expect(rawCell(null)).toBeNull();
    expect(rawCell(true)).toBe(true);
  });
});

describe('xlsxTables with Chinese text', () => {
  it('keeps characters whole where ExcelJS splits its chunks (exceljs#2084: 张 must not become ��)', async () => {
    const names = Array.from({ length: 6000 }, (_, index) => `湖南省长沙市第${index}中学教师${'张王李赵'[index % 4]}某某`);
    const buffer = await xlsxBuffer([{ name: '数据', rows: names.map((name, index) => [name, `${index}号，${name}`]) }]);
    const read: unknown[] = [];
    for await (const table of xlsxTables(chunked(buffer, 4096))) for await (const batch of table.batches) read.push(...batch.map((row) => row.cells[0]));
    expect(read.filter((text) => String(text).includes('\ufffd'))).toEqual([]);
    expect(read).toEqual(names);
  });
});
