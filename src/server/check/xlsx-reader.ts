import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { DomainError } from '../errors.ts';
import { inspectZip } from '../excel/zip-inspect.ts';
import type { RawCell } from '../../standard/types.ts';
import type { RowTable, SheetRow } from './sheet-rows.ts';

/** A stream ExcelJS reads an XML part from (a zip entry or a worksheet parked in a temporary file). */
type PartStream = AsyncIterable<Buffer | string> & { destroy?: () => void; setEncoding?: (encoding: BufferEncoding) => void };

/** ExcelJS's streaming reader internals this module relies on (exceljs 4.4.0; the typings omit them). */
type ReaderInternals = {
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
  _parseSharedStrings(entry: PartStream): AsyncGenerator<unknown>;
  _parseWorkbook(entry: PartStream): Promise<void>;
};
type WorksheetInternals = { name?: string; iterator?: { source?: PartStream } };
type SharedStringsEntry = PartStream & { on(event: 'data', listener: (chunk: Buffer | string) => void): unknown; destroy(error?: Error): void };

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
    const internals = worksheet as unknown as WorksheetInternals;
    yield {
      name: internals.name ?? 'Sheet',
      batches: worksheetBatches(worksheet),
      // a worksheet parked in a temporary file keeps its descriptor open unless its stream is destroyed
      discard: () => internals.iterator?.source?.destroy?.(),
    };
  }
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
  const internals = reader as unknown as ReaderInternals;
  const parseWorksheet = internals._parseWorksheet;
  const parseSharedStrings = internals._parseSharedStrings;
  const parseWorkbook = internals._parseWorkbook;
  internals._parseWorksheet = function (iterator, sheetNo) {
    return parseWorksheet.call(this, decodeUtf8(iterator), sheetNo);
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
  const internals = reader as unknown as ReaderInternals & { sharedStrings?: unknown[] };
  const parseSharedStrings = internals._parseSharedStrings;
  internals._parseSharedStrings = function (entry) {
    const stream = entry as SharedStringsEntry;
    let first = true;
    stream.on('data', (chunk) => {
      const declared = first ? Number(/uniqueCount="(\d+)"/.exec(String(chunk).slice(0, 4096))?.[1] ?? 0) : 0;
      first = false;
      const cached = internals.sharedStrings?.length ?? 0;
      if (declared > limit || cached > limit) stream.destroy(tooManySharedStrings(fileName, Math.max(declared, cached), limit));
    });
    return parseSharedStrings.call(this, entry);
  };
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
function decodeUtf8(source: AsyncIterable<Buffer | string>): AsyncIterable<string> & { source: PartStream } {
  return {
    source,
    async *[Symbol.asyncIterator]() {
      const decoder = new TextDecoder('utf-8');
      for await (const chunk of source) {
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
    },
  };
}

/** ExcelJS's parse() yields the events of one chunk at a time; rows are taken from them without a promise each. */
async function* worksheetBatches(worksheet: ExcelJS.stream.xlsx.WorksheetReader): AsyncGenerator<SheetRow[]> {
  const events = worksheet.parse() as AsyncIterator<Array<{ eventType: string; value: unknown }>>;
  for (let step = await events.next(); !step.done; step = await events.next()) {
    const batch: SheetRow[] = [];
    const chunkEvents = step.value;
    for (let index = 0; index < chunkEvents.length; index++) {
      const event = chunkEvents[index];
      // ExcelJS holds this array until its next chunk: let each parsed Row (and its Cells) go at once
      chunkEvents[index] = undefined as never;
      if (event.eventType === 'row') batch.push(sheetRow(event.value as ExcelJS.Row));
    }
    if (batch.length > 0) yield batch;
  }
}

function sheetRow(row: ExcelJS.Row): SheetRow {
  // row.values is a fresh 1-based array (index 0 empty): convert in place, then drop index 0
  const cells = row.values as RawCell[];
  for (let column = 1; column < cells.length; column++) {
    const value = cells[column];
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) cells[column] = rawCell(value);
  }
  cells.shift();
  return { rowNumber: row.number, cells };
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
