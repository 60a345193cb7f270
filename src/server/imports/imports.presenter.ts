import { z } from 'zod';
import { maskChanges, maskPersonalText, maskValues, type FieldChanges } from '../../standard/index.ts';
import { fieldKeys } from '../../standard/types.ts';
import { columnName } from '../db/schema.ts';
import { columnLetter } from '../excel/cells.ts';
import type { ImportRow } from './imports.repository.ts';

const countsSchema = z.object({ new: z.number(), changed: z.number(), unchanged: z.number(), invalid: z.number(), conflicts: z.number() });

/** A finding as the API gives it: `column` is the letter in a workbook, the 1-based number in a CSV. */
export const issueSchema = z.object({
  row: z.number(),
  column: z.union([z.string(), z.number()]).nullable(),
  field: z.string().nullable(),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  messageEn: z.string(),
});

export const previewSchema = z.object({
  id: z.number(),
  counts: countsSchema,
  rows: z.number(),
  format: z.enum(['xlsx', 'csv']),
  issues: z.array(issueSchema),
});

export const importSchema = z.object({
  id: z.number(),
  schoolCode: z.string(),
  fileName: z.string(),
  fileSize: z.number(),
  fileSha256: z.string(),
  mode: z.string(),
  status: z.string(),
  format: z.string().nullable(),
  rows: z.number(),
  counts: countsSchema,
  committedCounts: countsSchema.nullable(),
  errorMessage: z.object({ zh: z.string(), en: z.string() }).nullable(),
  uploadedBy: z.number(),
  uploadedAt: z.string(),
  committedAt: z.string().nullable(),
});

export const rowSchema = z.object({
  row: z.number(),
  action: z.string(),
  staffId: z.number().nullable(),
  values: z.record(z.string(), z.string().nullable()).nullable(),
  changes: z.record(z.string(), z.unknown()).nullable(),
});

/** A finding of an import; `masked` (a reader who may not see full ID numbers) masks the numbers and dates it quotes. */
export function presentIssue(
  format: string,
  issue: { row: number; column: number | null; field: string | null; code: string; severity: string; message: string; messageEn: string },
  masked = false,
) {
  const rowPrefix = issue.row > 0 ? { zh: `第${issue.row}行 `, en: `Row ${issue.row} ` } : { zh: '', en: '' };
  const words = (text: string) => (masked ? maskPersonalText(text) : text);
  return {
    row: issue.row,
    column: issue.column === null ? null : format === 'csv' ? issue.column + 1 : columnLetter(issue.column),
    field: issue.field,
    code: issue.code,
    severity: issue.severity as 'error' | 'warning',
    message: `${rowPrefix.zh}${words(issue.message)}`,
    messageEn: `${rowPrefix.en}${words(issue.messageEn)}`,
  };
}

export function presentImport(row: ImportRow) {
  return {
    id: row.id,
    schoolCode: row.schoolCode,
    fileName: row.fileName,
    fileSize: row.fileSize,
    fileSha256: row.fileSha256,
    mode: row.mode,
    status: row.status,
    format: row.format,
    rows: row.rows,
    counts: row.counts as z.infer<typeof countsSchema>,
    committedCounts: (row.committedCounts as z.infer<typeof countsSchema> | null) ?? null,
    errorMessage: (row.errorMessage as { zh: string; en: string } | null) ?? null,
    uploadedBy: row.uploadedBy,
    uploadedAt: row.uploadedAt.toISOString(),
    committedAt: row.committedAt?.toISOString() ?? null,
  };
}

/** A staged row with its values keyed by field again; ID numbers and birth dates masked where the viewer may not see them. */
export function presentRow(
  row: { row: number; action: string; staffId: number | null; values: unknown; changes: unknown },
  fullIds: boolean,
) {
  const stored = row.values as Record<string, string | null> | null;
  const values = stored && Object.fromEntries(fieldKeys.map((key) => [key, stored[columnName(key)] ?? null]));
  const changes = (row.changes as FieldChanges | null) ?? null;
  if (fullIds) return { row: row.row, action: row.action, staffId: row.staffId, values, changes };
  return { row: row.row, action: row.action, staffId: row.staffId, values: values && maskValues(values), changes: changes && maskChanges(changes) };
}
