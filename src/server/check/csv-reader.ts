import { CsvParser, type CsvRecord } from './csv-parser.ts';
import type { RowTable, SheetRow } from './sheet-rows.ts';
import { decodeText, type TextEncoding } from './text-decoding.ts';

/** A CSV file as one table of text cells; row numbers are the lines records start on. */
export function csvTable(chunks: AsyncIterable<Buffer>, fileName: string, onEncoding?: (encoding: TextEncoding) => void): RowTable {
  return { name: fileName, batches: csvBatches(chunks, fileName, onEncoding), discard: () => {} };
}

async function* csvBatches(
  chunks: AsyncIterable<Buffer>,
  fileName: string,
  onEncoding?: (encoding: TextEncoding) => void,
): AsyncGenerator<SheetRow[]> {
  const parser = new CsvParser();
  let ready: SheetRow[] = [];
  const collect = (record: CsvRecord) => ready.push({ rowNumber: record.line, cells: record.fields });
  for await (const text of decodeText(chunks, fileName, onEncoding)) {
    parser.push(text, collect);
    if (ready.length > 0) {
      yield ready;
      ready = [];
    }
  }
  parser.end(collect);
  if (ready.length > 0) yield ready;
}
