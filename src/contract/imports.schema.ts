import { z } from 'zod';
import { labelSchema } from './api.schema.ts';

/** 宽松 (commit the valid rows) or 严格 (commit nothing while a row is bad). */
export const importModes = ['lenient', 'strict'] as const;
export type ImportMode = (typeof importModes)[number];
/** Where an upload stands: being read, previewed, committed, or failed. */
export const importStatuses = ['checking', 'previewed', 'committed', 'failed'] as const;
export type ImportStatus = (typeof importStatuses)[number];
export const importFormats = ['xlsx', 'csv'] as const;
export type ImportFormat = (typeof importFormats)[number];
/** A stored format as one of the known ones, or null (none stored: the file could not be read). */
export const importFormatOf = (value: string | null): ImportFormat | null => importFormats.find((format) => format === value) ?? null;
/** What committing does with a row of the file. */
export const importRowActions = ['new', 'changed', 'unchanged', 'invalid', 'conflict'] as const;
export type RowAction = (typeof importRowActions)[number];
/** How bad a finding is: an error keeps the row out, a warning lets it in. */
export const issueSeverities = ['error', 'warning'] as const;
export type IssueSeverity = (typeof issueSeverities)[number];

export const importCountsSchema = z.object({ new: z.number(), changed: z.number(), unchanged: z.number(), invalid: z.number(), conflicts: z.number() });

/** A finding as the API gives it: `column` is the letter in a workbook, the 1-based number in a CSV. */
export const issueSchema = z.object({
  row: z.number(),
  column: z.union([z.string(), z.number()]).nullable(),
  field: z.string().nullable(),
  code: z.string(),
  severity: z.enum(issueSeverities),
  message: z.string(),
  messageEn: z.string(),
});

export const previewSchema = z.object({
  id: z.number(),
  counts: importCountsSchema,
  rows: z.number(),
  format: z.enum(importFormats),
  issues: z.array(issueSchema),
});

/** An upload of a school's staff file (GET /api/imports/{id}). */
export const importSchema = z.object({
  id: z.number(),
  schoolCode: z.string(),
  fileName: z.string(),
  fileSize: z.number(),
  fileSha256: z.string(),
  mode: z.enum(importModes),
  status: z.enum(importStatuses),
  format: z.enum(importFormats).nullable(),
  rows: z.number(),
  counts: importCountsSchema,
  committedCounts: importCountsSchema.nullable(),
  errorMessage: labelSchema.nullable(),
  uploadedBy: z.number(),
  uploadedAt: z.string(),
  committedAt: z.string().nullable(),
});

/** A row of the file and what committing does with it; `changes` holds field changes, or a conflict's `holder`. */
export const rowSchema = z.object({
  row: z.number(),
  action: z.enum(importRowActions),
  staffId: z.number().nullable(),
  values: z.record(z.string(), z.string().nullable()).nullable(),
  changes: z.record(z.string(), z.unknown()).nullable(),
});

export const issueQuerySchema = z.object({ field: z.string().max(32).optional(), code: z.string().max(32).optional(), severity: z.enum(issueSeverities).optional() });

export type ImportCounts = z.infer<typeof importCountsSchema>;
export type ImportIssue = z.infer<typeof issueSchema>;
export type ImportPreview = z.infer<typeof previewSchema>;
export type StaffImport = z.infer<typeof importSchema>;
export type ImportRow = z.infer<typeof rowSchema>;
