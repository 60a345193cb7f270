import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { DomainError } from '../errors.ts';
import { inspectZip } from '../excel/zip-inspect.ts';
import type { RawCell } from '../../standard/types.ts';
import type { RowTable, SheetRow } from './sheet-rows.ts';

/** A stream ExcelJS reads an XML part from (a zip entry or a worksheet parked in a temporary file). */
type PartStream = AsyncIterable<Buffer | string> & { destroy?: () => void; setEncoding?: (encoding: BufferEncoding) => void };

/** A zip entry as ExcelJS hands it to its part parsers: a readable stream. */
type ZipEntry = PartStream & { on(event: 'data', listener: (chunk: Buffer | string) => void): unknown; destroy(error?: Error): void };

/**
 * ExcelJS's streaming reader internals this module patches (exceljs 4.4.0; the typings omit them). Their
 * presence is checked when a reader is made (`readerInternals`); a version without them is refused.
 */
type ReaderInternals = {
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
  _parseSharedStrings(entry: ZipEntry): AsyncGenerator<unknown>;
  _parseWorkbook(entry: ZipEntry): Promise<void>;
};

/**
 * At most this many shared strings are cached (a full 200,000-row file holds a few hundred thousand distinct
 * texts): past it, or when the table says up front that it holds more, the workbook is refused before the
 * table fills memory.
 */
export const maxSharedStrings = 1_000_000;

/**
 * The worksheets of an .xlsx read with ExcelJS's streaming reader (never the whole workbook in memory).
 * The archive is gathered first (the caller bounds its size) and inspected by what its parts really unpack
 * to (`inspectZip`): only an archive that passes reaches ExcelJS. Options per the stack notes: styles cached
 * so date cells arrive as Date, shared strings cached, hyperlinks ignored (a hyperlink cell gives its text).
 */
export async function* xlsxTables(chunks: AsyncIterable<Buffer>, fileName = 'file.xlsx', stringLimit = maxSharedStrings): AsyncGenerator<RowTable> {
  const archive = await gather(chunks);
  await inspectWorkbook(archive, fileName);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([archive]), {
    sharedStrings: 'cache',
    styles: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
  });
  decodeXmlAsWholeCharacters(reader);
  limitSharedStrings(reader, fileName, stringLimit);
  readSheetsAfterWorkbook(reader);
  for await (const worksheet of reader) {
    yield {
      name: sheetName(worksheet),
      batches: worksheetBatches(worksheet),
      // a worksheet parked in a temporary file keeps its descriptor open unless its stream is destroyed
      discard: () => sheetSource(worksheet)?.destroy?.(),
    };
  }
}

/** The name ExcelJS gives a worksheet from `xl/workbook.xml` (the typings omit it). */
function sheetName(worksheet: ExcelJS.stream.xlsx.WorksheetReader): string {
  return 'name' in worksheet && typeof worksheet.name === 'string' ? worksheet.name : 'Sheet';
}

/** The stream a worksheet reads from: its iterator is the `DecodedXml` that `decodeXmlAsWholeCharacters` made. */
function sheetSource(worksheet: ExcelJS.stream.xlsx.WorksheetReader): PartStream | undefined {
  return 'iterator' in worksheet && worksheet.iterator instanceof DecodedXml ? worksheet.iterator.source : undefined;
}

/** The reader's internals that this module patches, after checking that this ExcelJS has them. */
function readerInternals(reader: ExcelJS.stream.xlsx.WorkbookReader): ReaderInternals {
  if (hasReaderInternals(reader)) return reader;
  throw new Error('ExcelJS streaming reader without _parseWorksheet, _parseSharedStrings and _parseWorkbook (exceljs 4.4.0 has them)');
}

function hasReaderInternals<T extends object>(reader: T): reader is T & ReaderInternals {
  return (
    '_parseWorksheet' in reader &&
    typeof reader._parseWorksheet === 'function' &&
    '_parseSharedStrings' in reader &&
    typeof reader._parseSharedStrings === 'function' &&
    '_parseWorkbook' in reader &&
    typeof reader._parseWorkbook === 'function'
  );
}

/** Inspects an .xlsx as `xlsxTables` does before ExcelJS may read it (see `inspectZip`). */
export async function inspectWorkbook(archive: Buffer, fileName: string) {
  return inspectZip(archive, fileName, { parsedAsXml: parsedByExcelJs });
}

/**
 * The parts ExcelJS 4.4.0's streaming reader parses, matched as it matches them (its worksheet patterns are
 * not anchored): their XML is followed during the inspection.
 */
function parsedByExcelJs(name: string) {
  return ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml'].includes(name) || /xl\/worksheets\/(_rels\/)?sheet\d+[.]xml/.test(name);
}

/** All chunks as one buffer (an upload arrives as one: it is used as it is). */
async function gather(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/**
 * ExcelJS 4.4.0 decodes each chunk of XML on its own, so a Chinese character split across two chunks turns
 * into U+FFFD (exceljs#2063, #2084, #2316; about one cell in two thousand). This reader's parts are decoded
 * as a stream instead: entries get a string encoding, worksheets a streaming decoder. Patched on this
 * instance only.
 */
function decodeXmlAsWholeCharacters(reader: ExcelJS.stream.xlsx.WorkbookReader) {
  const internals = readerInternals(reader);
  const parseWorksheet = internals._parseWorksheet;
  const parseSharedStrings = internals._parseSharedStrings;
  const parseWorkbook = internals._parseWorkbook;
  internals._parseWorksheet = function (iterator, sheetNo) {
    return parseWorksheet.call(this, new DecodedXml(iterator), sheetNo);
  };
  internals._parseSharedStrings = function (entry) {
    entry.setEncoding?.('utf8');
    return parseSharedStrings.call(this, entry);
  };
  internals._parseWorkbook = function (entry) {
    entry.setEncoding?.('utf8'); // sheet names
    return parseWorkbook.call(this, entry);
  };
}

/**
 * ExcelJS 4.4.0 reads a worksheet as soon as it has the shared strings and the workbook's relationships, but
 * takes the sheet names from `xl/workbook.xml`; an archive that stores that part after a worksheet (ExcelJS's
 * own writer does, depending on timing) made it read `model.sheets` of nothing and fail. Until the workbook part
 * is read, the relationships are withheld, so such a worksheet is parked in a temporary file and read after the
 * workbook, as ExcelJS already does for one that comes before the shared strings. Patched on this instance only.
 */
function readSheetsAfterWorkbook(reader: ExcelJS.stream.xlsx.WorkbookReader) {
  let relationships: unknown;
  Object.defineProperty(reader, 'workbookRels', {
    configurable: true,
    get(this: { model?: unknown }) {
      return this.model ? relationships : undefined;
    },
    set(value: unknown) {
      relationships = value;
    },
  });
}

/** Stops reading the shared-strings table once it holds (or declares) more than `maxSharedStrings` entries. */
function limitSharedStrings(reader: ExcelJS.stream.xlsx.WorkbookReader, fileName: string, limit: number) {
  const internals = readerInternals(reader);
  const parseSharedStrings = internals._parseSharedStrings;
  internals._parseSharedStrings = function (entry) {
    let first = true;
    entry.on('data', (chunk) => {
      const declared = first ? Number(/uniqueCount="(\d+)"/.exec(String(chunk).slice(0, 4096))?.[1] ?? 0) : 0;
      first = false;
      const cached = cachedSharedStrings(reader);
      if (declared > limit || cached > limit) entry.destroy(tooManySharedStrings(fileName, Math.max(declared, cached), limit));
    });
    return parseSharedStrings.call(this, entry);
  };
}

/** How many shared strings the reader has cached so far (its `sharedStrings`, set once the table is read). */
function cachedSharedStrings(reader: ExcelJS.stream.xlsx.WorkbookReader): number {
  return 'sharedStrings' in reader && Array.isArray(reader.sharedStrings) ? reader.sharedStrings.length : 0;
}

function tooManySharedStrings(fileName: string, count: number, limit: number) {
  return new DomainError('payload_too_large', {
    zh: `文件“${fileName}”的共享字符串表有 ${count} 项以上，超过上限 ${limit}，已拒绝。请在 Excel 中打开并另存为 .xlsx，或拆分后再上传。`,
    en: `"${fileName}" has ${count} or more shared strings, past the limit of ${limit}; refused. Open it in Excel and save it as .xlsx, or split it, and upload again.`,
  });
}

/**
 * ExcelJS parses one piece of XML at a time and keeps all its events (every row and cell of the piece) alive
 * until it asks for the next piece. With 64 KB pieces V8 promoted ~190 MB of them to old space per 100,000
 * checked rows, with 8 KB pieces ~140 MB: a lower peak RSS, at no measurable cost in time.
 */
const xmlPieceBytes = 8 * 1024;

/** Text of a byte stream decoded across chunk boundaries; `source` keeps the stream for `discard`. */
class DecodedXml implements AsyncIterable<string> {
  constructor(readonly source: PartStream) {}

  async *[Symbol.asyncIterator]() {
    const decoder = new TextDecoder('utf-8');
    for await (const chunk of this.source) {
      if (typeof chunk === 'string') {
        yield chunk;
        continue;
      }
      for (let offset = 0; offset < chunk.length; offset += xmlPieceBytes) {
        yield decoder.decode(chunk.subarray(offset, offset + xmlPieceBytes), { stream: true });
      }
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  }
}

/** ExcelJS's parse() yields the events of one chunk at a time; rows are taken from them without a promise each. */
async function* worksheetBatches(worksheet: ExcelJS.stream.xlsx.WorksheetReader): AsyncGenerator<SheetRow[]> {
  const events: AsyncIterator<unknown[]> = worksheet.parse();
  for (let step = await events.next(); !step.done; step = await events.next()) {
    const batch: SheetRow[] = [];
    const chunkEvents = step.value;
    for (let index = 0; index < chunkEvents.length; index++) {
      const event = chunkEvents[index];
      // ExcelJS holds this array until its next chunk: let each parsed Row (and its Cells) go at once
      chunkEvents[index] = undefined;
      if (isRowEvent(event)) batch.push(sheetRow(event.value));
    }
    if (batch.length > 0) yield batch;
  }
}

function isRowEvent(event: unknown): event is { eventType: 'row'; value: unknown } {
  return typeof event === 'object' && event !== null && 'eventType' in event && event.eventType === 'row' && 'value' in event;
}

/** A parsed row: its number and `values`, a fresh 1-based sparse array (index 0 empty, empty cells holes). */
function sheetRow(row: unknown): SheetRow {
  if (typeof row !== 'object' || row === null || !('number' in row) || !('values' in row)) throw new Error('ExcelJS row event without a row');
  const rowNumber = row.number;
  const values = row.values;
  if (typeof rowNumber !== 'number' || !Array.isArray(values)) throw new Error('ExcelJS row without a number and values');
  const cells: RawCell[] = [];
  cells.length = Math.max(values.length - 1, 0);
  // forEach skips the holes, so empty cells stay holes as ExcelJS left them
  values.forEach((value: unknown, column) => {
    if (column > 0) cells[column - 1] = value === undefined ? undefined : rawCell(value);
  });
  return { rowNumber, cells };
}

/**
 * The value of a cell as the standard takes it: text, number (kept a number: an ID that Excel turned into a
 * number must stay recognisable), Date, boolean or null. Rich text is joined, a formula gives its result,
 * a hyperlink its text, an error value its text (#N/A).
 */
export function rawCell(value: unknown): RawCell {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'object':
      break;
    default:
      return null;
  }
  if (value instanceof Date) return value;
  if ('richText' in value) return richText(value.richText);
  if ('formula' in value || 'sharedFormula' in value) return 'result' in value ? rawCell(value.result) : null;
  if ('hyperlink' in value) {
    const text = 'text' in value ? value.text : undefined;
    if (typeof text === 'string') return text;
    if (text && typeof text === 'object' && 'richText' in text) return richText(text.richText);
    return null;
  }
  if ('error' in value) return String(value.error);
  return null;
}

function richText(parts: unknown): string {
  const runs: readonly unknown[] = Array.isArray(parts) ? parts : [];
  let text = '';
  for (const run of runs) {
    if (typeof run === 'object' && run !== null && 'text' in run && typeof run.text === 'string') text += run.text;
  }
  return text;
}
