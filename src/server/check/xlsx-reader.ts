import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { RawCell } from '../../standard/types.ts';
import type { RowTable, SheetRow } from './sheet-rows.ts';

/** ExcelJS's worksheet reader carries these at run time; its typings omit them. */
type WorksheetInternals = { name?: string; iterator?: { destroy?: () => void } };

/**
 * The worksheets of an .xlsx read with ExcelJS's streaming reader (never the whole workbook in memory).
 * Options per the stack notes: styles cached so date cells arrive as Date, shared strings cached,
 * hyperlinks ignored (a hyperlink cell gives its text).
 */
export async function* xlsxTables(chunks: AsyncIterable<Buffer>): AsyncGenerator<RowTable> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(chunks), {
    sharedStrings: 'cache',
    styles: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
  });
  for await (const worksheet of reader) {
    const internals = worksheet as unknown as WorksheetInternals;
    yield {
      name: internals.name ?? 'Sheet',
      rows: worksheetRows(worksheet),
      // a worksheet parked in a temporary file keeps its descriptor open unless its stream is destroyed
      discard: () => internals.iterator?.destroy?.(),
    };
  }
}

async function* worksheetRows(worksheet: ExcelJS.stream.xlsx.WorksheetReader): AsyncGenerator<SheetRow> {
  for await (const row of worksheet) {
    const values = row.values as ExcelJS.CellValue[];
    const width = values.length - 1; // row.values is 1-based: index 0 is always empty
    const cells: RawCell[] = new Array(width > 0 ? width : 0);
    for (let column = 1; column <= width; column++) cells[column - 1] = rawCell(values[column]);
    yield { rowNumber: row.number, cells };
  }
}

/**
 * The value of a cell as the standard takes it: text, number (kept a number: an ID that Excel turned into a
 * number must stay recognisable), Date, boolean or null. Rich text is joined, a formula gives its result,
 * a hyperlink its text, an error value its text (#N/A).
 */
export function rawCell(value: ExcelJS.CellValue | undefined): RawCell {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    default:
      break;
  }
  if (value instanceof Date) return value;
  if ('richText' in value) return richText(value.richText);
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    return result === undefined ? null : rawCell(result as ExcelJS.CellValue);
  }
  if ('hyperlink' in value) {
    const text: unknown = value.text;
    if (typeof text === 'string') return text;
    if (text && typeof text === 'object' && 'richText' in text) return richText((text as ExcelJS.CellRichTextValue).richText);
    return null;
  }
  if ('error' in value) return String(value.error);
  return null;
}

function richText(parts: ExcelJS.RichText[]): string {
  let text = '';
  for (const part of parts) text += part.text ?? '';
  return text;
}
