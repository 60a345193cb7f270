import type { SchoolType } from '../../standard/school-types.ts';
import type { FieldKey, FindingCode, Severity, StaffValues } from '../../standard/types.ts';
import type { FileFormat } from './file-format.ts';
import type { Header } from './header.ts';
import type { TextEncoding } from './text-decoding.ts';

/**
 * One problem found in a file, placed where a person finds it: `row` as Excel shows it (for a CSV the line
 * the record starts on), `column` the 0-based column index (null when the problem has no column, e.g. a
 * missing column). `message`/`messageEn` come from the standard without the row; see `issueMessage`.
 */
export type CheckIssue = {
  row: number;
  column: number | null;
  field: FieldKey | null;
  code: FindingCode;
  severity: Severity;
  message: string;
  messageEn: string;
};

/** A column of the header row and what the checker made of it. */
export type CheckColumn = {
  /** 0-based column index (A = 0). */
  index: number;
  header: string;
  /** The field the header names, or null for an unknown column. */
  field: FieldKey | null;
  /**
   * `checked`: passed to the rules; `unknown`: not a field; `duplicate`: a second column of one field;
   * `absent`: not in this school type's template; `rowKey`: the caller's row-key column (see `rowKeyHeader`).
   */
  status: 'checked' | 'unknown' | 'duplicate' | 'absent' | 'rowKey';
};

/**
 * A data row after the rules: its canonical values (for the importer), its issues, and the text of its
 * row-key cell (null when the file has no row-key column or the cell is empty).
 */
export type CheckedRecord = { row: number; values: StaffValues; issues: readonly CheckIssue[]; rowKey: string | null };

export type CheckFileOptions = {
  /** The collection date (dates after it are in the future, ages are counted on it); default now. */
  today?: Date;
  /** Most data rows accepted; default 200,000. */
  maxRows?: number;
  /** Largest file accepted, in bytes; default 64 MiB. */
  maxBytes?: number;
  /** Most issues kept in the result (counts stay exact); default 100,000. */
  maxIssues?: number;
  /** Called with the number of data rows read, every `progressEvery` rows (default 1,000) and at the end. */
  onProgress?: (rowsRead: number) => void;
  progressEvery?: number;
  /** Called for every data row after its checks; a returned promise is awaited (back-pressure for imports). */
  onRecord?: (record: CheckedRecord) => void | Promise<void>;
  /** Called once the header row is read, before any data row (the column of each field). */
  onHeader?: (header: Header) => void;
  /**
   * The header of a column the caller writes into its own templates to recognise rows on re-upload (such as
   * 行标识（系统使用，请勿修改）): not warned as unknown, its cell text is each record's `rowKey`.
   */
  rowKeyHeader?: string;
};

export type CheckResult = {
  fileName: string;
  schoolType: SchoolType;
  format: FileFormat;
  /** The CSV's encoding as detected; null for .xlsx. */
  encoding: TextEncoding | null;
  /** The worksheet holding the header (the CSV's file name for a CSV). */
  sheetName: string;
  headerRow: number;
  columns: CheckColumn[];
  /** Non-blank data rows. */
  rows: number;
  errors: number;
  warnings: number;
  /** Issues in row order (file-level issues of the header row first); at most `maxIssues`. */
  issues: CheckIssue[];
  issuesTruncated: boolean;
};
