import { basename } from 'node:path';
import type { SchoolType } from '../../standard/school-types.ts';
import { DomainError } from '../errors.ts';
import { columnLetter } from '../excel/cells.ts';
import { ByteSource, type CheckInput } from './byte-source.ts';
import type { CheckFileOptions, CheckResult } from './check.types.ts';
import { csvTable } from './csv-reader.ts';
import { detectFormat, holdsEncryptedPackage, isOleContainer, oleRefusal, type FileFormat } from './file-format.ts';
import { expectedLabels, headerSearchRows, pickHeaderRow, readHeader, type ColumnNamer } from './header.ts';
import { RowChecker } from './row-checker.ts';
import { isBlankCell, type RowTable, type SheetRow } from './sheet-rows.ts';
import type { TextEncoding } from './text-decoding.ts';
import { xlsxTables } from './xlsx-reader.ts';

export type { CheckInput } from './byte-source.ts';

export const checkFileDefaults = { maxRows: 200_000, maxBlankRows: 10_000, maxBytes: 64 * 1024 * 1024, maxIssues: 100_000, progressEvery: 1_000 };

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
  const run = new FileCheck(source, fileName, schoolType, options, limits);
  try {
    return await run.check();
  } finally {
    await run.close();
  }
}

type Limits = typeof checkFileDefaults;
type Located = { table: RowTable; headerRow: SheetRow; buffered: SheetRow[]; batches: AsyncIterator<SheetRow[]> };

/** One run of checkFile: reads the tables of a file, finds the header, checks the rows. */
class FileCheck {
  private tables: AsyncGenerator<RowTable> | undefined;
  private current: RowTable | undefined;
  private format: FileFormat | undefined;
  private encoding: TextEncoding | null = null;
  private tablesSeen = 0;

  constructor(
    private readonly source: ByteSource,
    private readonly fileName: string,
    private readonly schoolType: SchoolType,
    private readonly options: CheckFileOptions,
    private readonly limits: Limits,
  ) {}

  async check(): Promise<CheckResult> {
    if (this.source.problem()) this.fail(undefined);
    if (isOleContainer(this.source.head)) throw oleRefusal(this.fileName, await holdsEncryptedPackage(this.source.chunks()));
    const format = (this.format = detectFormat(this.source.head, this.fileName));
    const chunks = this.source.chunks();
    this.tables = format === 'xlsx' ? xlsxTables(chunks, this.fileName) : single(csvTable(chunks, this.fileName, (found) => (this.encoding = found)));
    const located = await this.locateHeader(this.tables);
    if (!located) {
      if (this.source.problem()) this.fail(undefined);
      throw format === 'xlsx' && this.tablesSeen === 0 ? noWorksheet(this.fileName) : noHeader(this.fileName, this.schoolType, format);
    }
    const header = readHeader(located.headerRow, this.schoolType, columnNamer(format), this.options.rowKeyHeader);
    this.options.onHeader?.(header);
    const checker = new RowChecker(header, { schoolType: this.schoolType, today: this.options.today ?? new Date(), maxIssues: this.limits.maxIssues });
    await this.checkRows(located, checker);
    this.current = undefined;
    await drainTables(this.tables);
    if (this.source.problem()) this.fail(undefined);
    this.options.onProgress?.(checker.rows);
    return {
      fileName: this.fileName,
      schoolType: this.schoolType,
      format,
      encoding: this.encoding,
      sheetName: located.table.name,
      headerRow: located.headerRow.rowNumber,
      columns: header.columns,
      rows: checker.rows,
      errors: checker.errors,
      warnings: checker.warnings,
      issues: checker.sortedIssues(),
      issuesTruncated: checker.issuesTruncated,
    };
  }

  /** The first table with a header among its first non-blank rows; the tables before it are discarded. */
  private async locateHeader(tables: AsyncGenerator<RowTable>): Promise<Located | undefined> {
    for (let step = await this.next(tables); !step.done; step = await this.next(tables)) {
      this.tablesSeen++;
      const table = (this.current = step.value);
      const batches = table.batches[Symbol.asyncIterator]();
      const buffered: SheetRow[] = []; // every row read while looking, blank ones too
      const top: SheetRow[] = [];
      while (top.length < headerSearchRows) {
        const batch = await this.next(batches);
        if (batch.done) break;
        for (const row of batch.value) {
          buffered.push(row);
          if (top.length < headerSearchRows && !row.cells.every(isBlankCell)) top.push(row);
        }
      }
      const headerRow = pickHeaderRow(top);
      if (headerRow) return { table, headerRow, buffered, batches };
      table.discard();
      this.current = undefined;
    }
    return undefined;
  }

  private async checkRows({ headerRow, buffered, batches }: Located, checker: RowChecker) {
    const { onProgress, onRecord } = this.options;
    const { maxRows, maxBlankRows, progressEvery } = this.limits;
    let blankRows = 0;
    const take = async (rows: SheetRow[]) => {
      for (const row of rows) {
        if (row.rowNumber <= headerRow.rowNumber) continue;
        const record = checker.check(row);
        if (!record) {
          // rows that hold only a style cost as much to read as data: a million of them is refused, not read
          if (++blankRows > maxBlankRows) throw tooManyBlankRows(this.fileName, maxBlankRows);
          continue;
        }
        if (checker.rows > maxRows) throw tooManyRows(this.fileName, maxRows);
        if (checker.rows % progressEvery === 0) onProgress?.(checker.rows);
        const pending = onRecord?.(record);
        if (pending) await pending;
      }
    };
    await take(buffered);
    for (let batch = await this.next(batches); !batch.done; batch = await this.next(batches)) await take(batch.value);
  }

  /** The next item of a reader; a reader's failure becomes the DomainError that says what to do. */
  private async next<T>(iterator: AsyncIterator<T>): Promise<IteratorResult<T>> {
    try {
      return await iterator.next();
    } catch (error) {
      return this.fail(error);
    }
  }

  private fail(error: unknown): never {
    throw readFailure(error, this.source, this.fileName, this.format);
  }

  /** Releases everything: the current worksheet, the remaining ones (temporary files), the input. */
  async close() {
    this.current?.discard();
    if (this.tables) await drainTables(this.tables);
    await this.source.close();
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
  if (format === 'xlsx' && /entity/i.test(describe(error))) return entityRefused(fileName);
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

function noWorksheet(fileName: string) {
  return new DomainError('unprocessable', {
    zh: `文件“${fileName}”中没有数据工作表（可能只有图表页，或文件已损坏）。请把数据放在普通工作表中，另存为 .xlsx 后再检查。`,
    en: `"${fileName}" has no worksheet of data (only a chart sheet, or the file is damaged). Put the data on an ordinary worksheet, save it as .xlsx and check again.`,
  });
}

/** Excel never writes a DOCTYPE: entity definitions in a part are an attack (entity expansion), not data. */
function entityRefused(fileName: string) {
  return new DomainError('unprocessable', {
    zh: `文件“${fileName}”含有 XML 实体定义（DOCTYPE），不是 Excel 保存的工作簿，已拒绝。请在 Excel 中打开并另存为 .xlsx 后再检查。`,
    en: `"${fileName}" holds XML entity definitions (DOCTYPE), which Excel never writes; refused. Open it in Excel, save it as .xlsx and check again.`,
  });
}

function tooManyBlankRows(fileName: string, maxBlankRows: number) {
  return new DomainError('payload_too_large', {
    zh: `文件“${fileName}”表头以下有超过 ${maxBlankRows} 个空行（可能整行设置了格式），请删除空行后再检查。`,
    en: `"${fileName}" has more than ${maxBlankRows} empty rows below the header (rows formatted but empty); delete the empty rows and check again.`,
  });
}

function tooManyRows(fileName: string, maxRows: number) {
  return new DomainError('payload_too_large', {
    zh: `文件“${fileName}”超过 ${maxRows} 行数据，请拆分后再检查。`,
    en: `"${fileName}" has more than ${maxRows} data rows; split it and check the parts.`,
  });
}
