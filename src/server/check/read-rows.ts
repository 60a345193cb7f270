import { Readable } from 'node:stream';
import { xlsxTables } from './xlsx-reader.ts';
import { cellText } from './sheet-rows.ts';
import { DomainError } from '../errors.ts';
import { isOleContainer, oleRefusal } from './file-format.ts';

/** A worksheet row as text cells (index 0 = column A), with its number as Excel shows it. */
export type SheetRow = { rowNumber: number; cells: string[] };

const zipMagic = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Refuses what is not an .xlsx before parsing: a legacy .xls or an encrypted workbook (OLE containers), or another file. */
export function assertXlsx(head: Buffer, fileName: string): void {
  if (isOleContainer(head)) throw oleRefusal(fileName, head.includes(Buffer.from('EncryptedPackage', 'utf16le')));
  if (!head.subarray(0, 4).equals(zipMagic)) {
    throw new DomainError('unsupported_media_type', {
      zh: `文件“${fileName}”不是 Excel 工作簿（.xlsx）。请下载模板，填写后上传。`,
      en: `"${fileName}" is not an Excel workbook (.xlsx). Download the template, fill it in and upload it.`,
    });
  }
}

/**
 * Reads the first worksheet of an .xlsx held in memory with the streaming reader (the checker's, which
 * inspects the archive first and decodes Chinese text whole across chunks), up to `maxRows` rows, as text cells.
 */
export async function readFirstSheetRows(buffer: Buffer, fileName: string, maxRows: number): Promise<SheetRow[]> {
  assertXlsx(buffer, fileName);
  const rows: SheetRow[] = [];
  try {
    for await (const table of xlsxTables(Readable.from([buffer]), fileName)) {
      for await (const batch of table.batches) {
        for (const row of batch) {
          if (rows.length >= maxRows) {
            throw new DomainError('payload_too_large', {
              zh: `文件“${fileName}”超过 ${maxRows} 行，请拆分后上传`,
              en: `"${fileName}" has more than ${maxRows} rows; split it and upload the parts`,
            });
          }
          rows.push({ rowNumber: row.rowNumber, cells: row.cells.map((cell) => cellText(cell)) });
        }
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
