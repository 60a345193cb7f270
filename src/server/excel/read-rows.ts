import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { DomainError } from '../errors.ts';

/** A worksheet row as text cells (index 0 = column A), with its number as Excel shows it. */
export type SheetRow = { rowNumber: number; cells: string[] };

const zipMagic = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const oleMagic = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** Refuses what is not an .xlsx before parsing: legacy .xls and encrypted workbooks are OLE containers. */
export function assertXlsx(head: Buffer, fileName: string): void {
  if (head.subarray(0, 4).equals(oleMagic)) {
    throw new DomainError('unsupported_media_type', {
      zh: `文件“${fileName}”是旧版 .xls 或设置了打开密码的工作簿。请在 Excel 中“另存为” .xlsx 格式并取消密码后再上传。`,
      en: `"${fileName}" is a legacy .xls or a password-protected workbook. Save it as .xlsx without a password in Excel and upload again.`,
    });
  }
  if (!head.subarray(0, 4).equals(zipMagic)) {
    throw new DomainError('unsupported_media_type', {
      zh: `文件“${fileName}”不是 Excel 工作簿（.xlsx）。请下载模板，填写后上传。`,
      en: `"${fileName}" is not an Excel workbook (.xlsx). Download the template, fill it in and upload it.`,
    });
  }
}

/** The text of a cell value as a person reads it in Excel. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText((value.result ?? '') as ExcelJS.CellValue);
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

/** Reads the first worksheet of an .xlsx held in memory with the streaming reader, up to `maxRows` rows. */
export async function readFirstSheetRows(buffer: Buffer, fileName: string, maxRows: number): Promise<SheetRow[]> {
  assertXlsx(buffer, fileName);
  const rows: SheetRow[] = [];
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(buffer), {
      sharedStrings: 'cache',
      styles: 'cache',
      worksheets: 'emit',
      hyperlinks: 'ignore',
    });
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        if (rows.length >= maxRows) {
          throw new DomainError('payload_too_large', {
            zh: `文件“${fileName}”超过 ${maxRows} 行，请拆分后上传`,
            en: `"${fileName}" has more than ${maxRows} rows; split it and upload the parts`,
          });
        }
        const values = Array.isArray(row.values) ? row.values.slice(1) : [];
        rows.push({ rowNumber: row.number, cells: values.map((value) => cellText(value as ExcelJS.CellValue).trim()) });
      }
      break; // the first worksheet only
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('unprocessable', {
      zh: `无法读取文件“${fileName}”：文件已损坏或不是有效的 .xlsx。请在 Excel 中打开并另存为 .xlsx 后再上传。`,
      en: `Cannot read "${fileName}": the file is damaged or not a valid .xlsx. Open it in Excel, save it as .xlsx and upload again.`,
    });
  }
  return rows;
}

/** Excel's column letter for a 0-based column index (0 → A, 26 → AA). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}
