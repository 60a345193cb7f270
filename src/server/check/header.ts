import { fieldByKey, fieldsFor, matchHeader, presenceOf } from '../../standard/index.ts';
import { schoolTypeLabels, type SchoolType } from '../../standard/school-types.ts';
import type { FieldKey, RawCell } from '../../standard/types.ts';
import type { CheckColumn, CheckIssue } from './check.types.ts';
import { cellText, isBlankCell, type SheetRow } from './sheet-rows.ts';

/** The header is looked for in this many non-blank rows from the top (schools put title rows above it). */
export const headerSearchRows = 10;
/** A row is a header when its cells name at least this many fields of the standard. */
export const minHeaderMatches = 3;

/** How a column is named in messages: `F列` / `column F` in a workbook, `第6列` / `column 6` in a CSV. */
export type ColumnNamer = (index: number) => { zh: string; en: string };

/** The header row as the checker uses it. */
export type Header = {
  rowNumber: number;
  columns: CheckColumn[];
  /** The columns passed to the rules, in column order. */
  checked: Array<{ index: number; field: FieldKey }>;
  /** Column index of each checked field. */
  columnOf: Partial<Record<FieldKey, number>>;
  /** The row-key column (see CheckFileOptions.rowKeyHeader), if the file has one. */
  rowKeyColumn: number | null;
  /** File-level issues: unknown and duplicate columns (warnings), missing required columns (errors). */
  issues: CheckIssue[];
};

/** How many distinct fields of the standard a row's cells name (tolerant: ★/*, spaces, full-width brackets). */
export function headerScore(cells: readonly RawCell[]): number {
  const named = new Set<FieldKey>();
  for (const cell of cells) {
    if (typeof cell !== 'string') continue;
    const key = matchHeader(cell);
    if (key) named.add(key);
  }
  return named.size;
}

/** The best header among the first rows of a table (the first best one), or undefined when none qualifies. */
export function pickHeaderRow(rows: readonly SheetRow[]): SheetRow | undefined {
  let best: SheetRow | undefined;
  let bestScore = minHeaderMatches - 1;
  for (const row of rows) {
    const score = headerScore(row.cells);
    if (score > bestScore) {
      best = row;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Maps the header row's columns to fields for a school type, in any column order. Unknown columns and a
 * second column of one field are warned once and ignored; a column of a field the school type's template
 * does not have is ignored silently (the standard: "ignored if present"); a missing required column is one
 * error here, not one per row.
 */
export function readHeader(row: SheetRow, schoolType: SchoolType, columnName: ColumnNamer, rowKeyHeader?: string): Header {
  const rowKeyText = rowKeyHeader?.normalize('NFKC').trim();
  let rowKeyColumn: number | null = null;
  const columns: CheckColumn[] = [];
  const checked: Header['checked'] = [];
  const columnOf: Header['columnOf'] = {};
  const issues: CheckIssue[] = [];
  const warn = (index: number, zh: string, en: string) =>
    issues.push({ row: row.rowNumber, column: index, field: null, code: 'unknown_column', severity: 'warning', message: zh, messageEn: en });
  row.cells.forEach((cell, index) => {
    if (isBlankCell(cell)) return;
    const header = cellText(cell);
    const field = typeof cell === 'string' ? matchHeader(cell) : undefined;
    const name = columnName(index);
    if (rowKeyText && rowKeyColumn === null && header.normalize('NFKC') === rowKeyText) {
      columns.push({ index, header, field: null, status: 'rowKey' });
      rowKeyColumn = index;
    } else if (!field) {
      columns.push({ index, header, field: null, status: 'unknown' });
      warn(index, `${name.zh}“${header}”不是标准的列名，该列已忽略`, `${name.en} "${header}" is not a column of the standard; ignored`);
    } else if (columnOf[field] !== undefined) {
      columns.push({ index, header, field, status: 'duplicate' });
      const first = columnName(columnOf[field]);
      warn(index, `${name.zh}“${header}”与${first.zh}重复，该列已忽略`, `${name.en} "${header}" repeats ${first.en}; ignored`);
    } else if (presenceOf(field, schoolType) === 'absent') {
      columns.push({ index, header, field, status: 'absent' });
    } else {
      columns.push({ index, header, field, status: 'checked' });
      checked.push({ index, field });
      columnOf[field] = index;
    }
  });
  const schoolTypeLabel = schoolTypeLabels[schoolType];
  for (const field of fieldsFor(schoolType)) {
    if (columnOf[field.key] !== undefined || field.presence[schoolType] !== 'required') continue;
    issues.push({
      row: row.rowNumber,
      column: null,
      field: field.key,
      code: 'missing_column',
      severity: 'error',
      message: `${field.label}：缺少此列（${schoolTypeLabel.zh}必填），请按模板添加该列`,
      messageEn: `${field.labelEn}: the column is missing (required for ${schoolTypeLabel.en}); add it as in the template`,
    });
  }
  return { rowNumber: row.rowNumber, columns, checked, columnOf, rowKeyColumn, issues };
}

/** The one issue for a conditional column that is missing while a row needs it (instead of one per row). */
export function missingConditionalColumn(field: FieldKey, headerRow: number, firstRow: number): CheckIssue {
  const definition = fieldByKey[field];
  return {
    row: headerRow,
    column: null,
    field,
    code: 'missing_column',
    severity: 'error',
    message: `${definition.label}：缺少此列，而第${firstRow}行起有记录需要填写，请按模板添加该列`,
    messageEn: `${definition.labelEn}: the column is missing but records from row ${firstRow} on need it; add it as in the template`,
  };
}

/** The labels of a school type's required columns, to say what a header should look like. */
export function expectedLabels(schoolType: SchoolType, count: number): string[] {
  return fieldsFor(schoolType)
    .filter((field) => field.presence[schoolType] === 'required')
    .slice(0, count)
    .map((field) => field.label);
}
