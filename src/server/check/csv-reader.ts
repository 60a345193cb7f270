import { CsvParser, type CsvRecord } from './csv-parser.ts';
import type { RowTable, SheetRow } from './sheet-rows.ts';
import { decodeText, type TextEncoding } from './text-decoding.ts';

/** A CSV file as one table of text cells; row numbers are the lines records start on. */
export function csvTable(chunks: AsyncIterable<Buffer>, fileName: string, onEncoding?: (encoding: TextEncoding) => void): RowTable {
  return { name: fileName, rows: csvRows(chunks, fileName, onEncoding), discard: () => {} };
}

async function* csvRows(
  chunks: AsyncIterable<Buffer>,
  fileName: string,
  onEncoding?: (encoding: TextEncoding) => void,
): AsyncGenerator<SheetRow> {
  const parser = new CsvParser();
  let ready: CsvRecord[] = [];
  const collect = (record: CsvRecord) => ready.push(record);
  const toRow = (record: CsvRecord): SheetRow => ({ rowNumber: record.line, cells: record.fields });
  for await (const text of decodeText(chunks, fileName, onEncoding)) {
    parser.push(text, collect);
    if (ready.length > 0) {
      const records = ready;
      ready = [];
      for (const record of records) yield toRow(record);
    }
  }
  parser.end(collect);
  for (const record of ready) yield toRow(record);
}
