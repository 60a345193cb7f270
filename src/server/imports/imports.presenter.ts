import { maskChanges, maskPersonalText, maskValues, type FieldChanges } from '../../standard/index.ts';
import { fieldKeys } from '../../standard/types.ts';
import { columnName } from '../db/schema.ts';
import { columnLetter } from '../excel/cells.ts';
import type { ImportRow } from './imports.repository.ts';
import { importFormatOf, type ImportCounts, type ImportRow as PresentedRow, type IssueSeverity, type RowAction, type StaffImport } from '../../contract/imports.schema.ts';

/** A finding of an import; `masked` (a reader who may not see full ID numbers) masks the numbers and dates it quotes. */
export function presentIssue(
  format: string,
  issue: { row: number; column: number | null; field: string | null; code: string; severity: IssueSeverity; message: string; messageEn: string },
  masked = false,
) {
  const rowPrefix = issue.row > 0 ? { zh: `第${issue.row}行 `, en: `Row ${issue.row} ` } : { zh: '', en: '' };
  const words = (text: string) => (masked ? maskPersonalText(text) : text);
  return {
    row: issue.row,
    column: issue.column === null ? null : format === 'csv' ? issue.column + 1 : columnLetter(issue.column),
    field: issue.field,
    code: issue.code,
    severity: issue.severity,
    message: `${rowPrefix.zh}${words(issue.message)}`,
    messageEn: `${rowPrefix.en}${words(issue.messageEn)}`,
  };
}

export function presentImport(row: ImportRow): StaffImport {
  return {
    id: row.id,
    schoolCode: row.schoolCode,
    fileName: row.fileName,
    fileSize: row.fileSize,
    fileSha256: row.fileSha256,
    mode: row.mode,
    status: row.status,
    format: importFormatOf(row.format),
    rows: row.rows,
    counts: row.counts as ImportCounts,
    committedCounts: (row.committedCounts as ImportCounts | null) ?? null,
    errorMessage: (row.errorMessage as { zh: string; en: string } | null) ?? null,
    uploadedBy: row.uploadedBy,
    uploadedAt: row.uploadedAt.toISOString(),
    committedAt: row.committedAt?.toISOString() ?? null,
  };
}

/** A staged row with its values keyed by field again; ID numbers and birth dates masked where the viewer may not see them. */
export function presentRow(
  row: { row: number; action: RowAction; staffId: number | null; values: unknown; changes: unknown },
  fullIds: boolean,
): PresentedRow {
  const stored = row.values as Record<string, string | null> | null;
  const values = stored && Object.fromEntries(fieldKeys.map((key) => [key, stored[columnName(key)] ?? null]));
  const changes = (row.changes as FieldChanges | null) ?? null;
  if (fullIds) return { row: row.row, action: row.action, staffId: row.staffId, values, changes };
  return { row: row.row, action: row.action, staffId: row.staffId, values: values && maskValues(values), changes: changes && maskChanges(changes) };
}
