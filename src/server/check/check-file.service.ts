import { basename } from 'node:path';
import type { SchoolType } from '../../standard/school-types.ts';
import { DomainError } from '../errors.ts';
import { columnLetter } from '../excel/read-rows.ts';
import { ByteSource, type CheckInput } from './byte-source.ts';
import type { CheckFileOptions, CheckResult } from './check.types.ts';
import { csvTable } from './csv-reader.ts';
import { detectFormat, type FileFormat } from './file-format.ts';
import { expectedLabels, headerSearchRows, pickHeaderRow, readHeader, type ColumnNamer } from './header.ts';
import { RowChecker } from './row-checker.ts';
import { isBlankCell, type RowTable, type SheetRow } from './sheet-rows.ts';
import type { TextEncoding } from './text-decoding.ts';
import { xlsxTables } from './xlsx-reader.ts';

export type { CheckInput } from './byte-source.ts';

export const checkFileDefaults = { maxRows: 200_000, maxBytes: 64 * 1024 * 1024, maxIssues: 100_000, progressEvery: 1_000 };

/**
 * Checks a staff file (.xlsx or CSV, told apart by content) against the record standard for a school type:
 * finds the header row in the first rows of the first worksheet that has one, maps columns to fields in any
 * order, checks every non-blank data row with the standard's rules and rule 12 within the file. Rows are
 * streamed, never all held; `onRecord` sees each checked row (for an importer), `onProgress` the count.
 * Throws a DomainError (Chinese and English message) when the file cannot be read: a legacy .xls or
 * password-protected workbook, a damaged file, no header row, or past the row or size limit.
 */
export async function checkFile(input: CheckInput, schoolType: SchoolType, options: CheckFileOptions = {}): Promise<CheckResult> {
  const fileName = 'path' in input ? (input.fileName ?? basename(input.path)) : input.fileName;
  const limits = { ...checkFileDefaults, ...definedOnly(options) };
  const source = await ByteSource.open(input, limits.maxBytes);
  let tables: AsyncGenerator<RowTable> | undefined;
  let current: RowTable | undefined;
  let format: FileFormat | undefined;
  let encoding: TextEncoding | null = null;
  const fail = (error: unknown): never => {
    throw readFailure(error, source, fileName, format);
  };
  const next = async <T>(iterator: AsyncIterator<T>): Promise<IteratorResult<T>> => {
    try {
      return await iterator.next();
    } catch (error) {
      return fail(error);
    }
  };
  try {
    if (source.problem()) fail(undefined);
    format = detectFormat(source.head, fileName);
    tables = format === 'xlsx' ? xlsxTables(source.chunks()) : single(csvTable(source.chunks(), fileName, (found) => (encoding = found)));
    let tablesSeen = 0;
    for (let step = await next(tables); !step.done; step = await next(tables)) {
      tablesSeen++;
      current = step.value;
      const batches = current.batches[Symbol.asyncIterator]();
      const buffered: SheetRow[] = []; // every row read while looking for the header
      const top: SheetRow[] = []; // the first non-blank ones
      while (top.length < headerSearchRows) {
        const batch = await next(batches);
        if (batch.done) break;
        for (const row of batch.value) {
          buffered.push(row);
          if (top.length < headerSearchRows && !row.cells.every(isBlankCell)) top.push(row);
        }
      }
      const headerRow = pickHeaderRow(top);
      if (!headerRow) {
        current.discard();
        current = undefined;
        continue;
      }
      const today = options.today ?? new Date();
      const header = readHeader(headerRow, schoolType, columnNamer(format), options.rowKeyHeader);
      options.onHeader?.(header);
      const checker = new RowChecker(header, { schoolType, today, maxIssues: limits.maxIssues });
      const take = async (rows: SheetRow[]) => {
        for (const row of rows) {
          if (row.rowNumber <= headerRow.rowNumber) continue;
          const record = checker.check(row);
          if (!record) continue;
          if (checker.rows > limits.maxRows) throw tooManyRows(fileName, limits.maxRows);
          if (checker.rows % limits.progressEvery === 0) options.onProgress?.(checker.rows);
          const pending = options.onRecord?.(record);
          if (pending) await pending;
        }
      };
      await take(buffered);
      for (let batch = await next(batches); !batch.done; batch = await next(batches)) await take(batch.value);
      current = undefined;
      await drainTables(tables);
      if (source.problem()) fail(undefined);
      options.onProgress?.(checker.rows);
      return {
        fileName,
        schoolType,
        format,
        encoding,
        sheetName: step.value.name,
        headerRow: headerRow.rowNumber,
        columns: header.columns,
        rows: checker.rows,
        errors: checker.errors,
        warnings: checker.warnings,
        issues: checker.sortedIssues(),
        issuesTruncated: checker.issuesTruncated,
      };
    }
    if (source.problem()) fail(undefined);
    throw format === 'xlsx' && tablesSeen === 0 ? unreadable(fileName, format) : noHeader(fileName, schoolType, format);
  } finally {
    current?.discard();
    if (tables) await drainTables(tables);
    await source.close();
  }
}

async function* single(table: RowTable): AsyncGenerator<RowTable> {
  yield table;
}

/** Reads past the remaining worksheets without parsing them, so the reader cleans up its temporary files. */
async function drainTables(tables: AsyncGenerator<RowTable>) {
  try {
    for await (const table of tables) table.discard();
  } catch {
    // a damaged remainder after the data sheet changes nothing already found
  }
}

function columnNamer(format: FileFormat): ColumnNamer {
  if (format === 'csv') return (index) => ({ zh: `第${index + 1}列`, en: `column ${index + 1}` });
  return (index) => {
    const letter = columnLetter(index);
    return { zh: `${letter}列`, en: `column ${letter}` };
  };
}

function definedOnly(options: CheckFileOptions) {
  const { maxRows, maxBytes, maxIssues, progressEvery } = options;
  return Object.fromEntries(Object.entries({ maxRows, maxBytes, maxIssues, progressEvery }).filter(([, value]) => value !== undefined));
}

function readFailure(error: unknown, source: ByteSource, fileName: string, format: FileFormat | undefined): Error {
  const problem = source.problem();
  if (problem?.kind === 'too_large') {
    const megabytes = Math.floor(problem.maxBytes / 1024 / 1024);
    return new DomainError('payload_too_large', {
      zh: `文件“${fileName}”超过 ${megabytes} MB，请拆分后再检查。`,
      en: `"${fileName}" is larger than ${megabytes} MB; split it and check the parts.`,
    });
  }
  if (problem?.kind === 'failed') {
    return new DomainError('unprocessable', {
      zh: `读取文件“${fileName}”失败（${describe(problem.error)}），请重新选择文件。`,
      en: `Reading "${fileName}" failed (${describe(problem.error)}); choose the file again.`,
    });
  }
  if (error instanceof DomainError) return error;
  return unreadable(fileName, format);
}

function describe(error: unknown) {
  return error instanceof Error ? error.message : String(error);
}

function unreadable(fileName: string, format: FileFormat | undefined) {
  return format === 'csv'
    ? new DomainError('unprocessable', {
        zh: `无法读取文件“${fileName}”。请在 Excel 中打开并另存为 .xlsx 后再检查。`,
        en: `Cannot read "${fileName}". Open it in Excel, save it as .xlsx and check again.`,
      })
    : new DomainError('unprocessable', {
        zh: `无法读取文件“${fileName}”：文件已损坏或不是有效的 .xlsx 工作簿。请在 Excel 中打开并另存为 .xlsx 后再检查。`,
        en: `Cannot read "${fileName}": the file is damaged or not a valid .xlsx workbook. Open it in Excel, save it as .xlsx and check again.`,
      });
}

function noHeader(fileName: string, schoolType: SchoolType, format: FileFormat) {
  const labels = expectedLabels(schoolType, 5);
  const where = format === 'xlsx' ? { zh: '任何工作表的前10行', en: 'the first 10 rows of any worksheet' } : { zh: '前10行', en: 'the first 10 rows' };
  return new DomainError('unprocessable', {
    zh: `在文件“${fileName}”${where.zh}中没有找到表头行。表头行应包含模板的列名，如：${labels.join('、')}。请使用模板，或确认选对了文件。`,
    en: `No header row in ${where.en} of "${fileName}". The header row holds the template's column names, such as ${labels.join(', ')}. Use the template, or check that this is the right file.`,
  });
}

function tooManyRows(fileName: string, maxRows: number) {
  return new DomainError('payload_too_large', {
    zh: `文件“${fileName}”超过 ${maxRows} 行数据，请拆分后再检查。`,
    en: `"${fileName}" has more than ${maxRows} data rows; split it and check the parts.`,
  });
}
