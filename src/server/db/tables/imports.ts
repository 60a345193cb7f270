import { sql } from 'drizzle-orm';
import {
  importModes,
  importRowActions,
  importStatuses,
  issueSeverities,
  type ImportMode,
  type ImportStatus,
  type IssueSeverity,
  type RowAction,
} from '../../../contract/imports.schema.ts';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  varchar,
} from 'drizzle-orm/pg-core';
import { bytea, sqlList } from './common.ts';
import { campaigns, units } from './org.ts';

/** Stored files (uploaded originals, generated workbooks): in the database, so app servers keep no state. */
export const storedFiles = pgTable('stored_files', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  sha256: varchar('sha256', { length: 64 }).notNull(),
  content: bytea('content').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * An upload of a school's staff file (导入): checked into a preview, then committed (or not). The preview's
 * rows and findings are staged in import_rows and import_issues; nothing touches staff until the commit.
 */
export const imports = pgTable(
  'imports',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    schoolCode: varchar('school_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    fileName: text('file_name').notNull(),
    fileSize: integer('file_size').notNull(),
    fileSha256: varchar('file_sha256', { length: 64 }).notNull(),
    originalFileId: bigint('original_file_id', { mode: 'number' }).references(() => storedFiles.id),
    mode: varchar('mode', { length: 12 }).$type<ImportMode>().notNull(),
    /** A token the uploading page chose, so it can follow the check's progress before the answer arrives. */
    uploadToken: varchar('upload_token', { length: 64 }),
    /** previewed → committed, or rejected (strict mode with errors), or failed (unreadable file). */
    status: varchar('status', { length: 12 }).$type<ImportStatus>().notNull(),
    format: varchar('format', { length: 8 }),
    sheetName: text('sheet_name'),
    headerRow: integer('header_row'),
    columns: jsonb('columns'),
    rows: integer('rows').notNull().default(0),
    counts: jsonb('counts').notNull(),
    committedCounts: jsonb('committed_counts'),
    errorMessage: jsonb('error_message'),
    uploadedBy: integer('uploaded_by').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    committedBy: integer('committed_by'),
    committedAt: timestamp('committed_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [
    index('imports_school_idx').on(table.schoolCode, table.uploadedAt),
    check('imports_mode_check', sql`${table.mode} in (${sqlList(importModes)})`),
    check('imports_status_check', sql`${table.status} in (${sqlList(importStatuses)})`),
  ],
);

/** A data row of an import as the preview judged it: new, changed, unchanged, invalid or conflict. */
export const importRows = pgTable(
  'import_rows',
  {
    importId: bigint('import_id', { mode: 'number' })
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    row: integer('row').notNull(),
    action: varchar('action', { length: 12 }).$type<RowAction>().notNull(),
    staffId: bigint('staff_id', { mode: 'number' }),
    staffVersion: integer('staff_version'),
    values: jsonb('values'),
    changes: jsonb('changes'),
    warnings: jsonb('warnings'),
  },
  (table) => [
    primaryKey({ columns: [table.importId, table.row] }),
    index('import_rows_action_idx').on(table.importId, table.action),
    check('import_rows_action_check', sql`${table.action} in (${sqlList(importRowActions)})`),
  ],
);

/** Every finding of an import's preview, by row, column and field (filterable by field and code). */
export const importIssues = pgTable(
  'import_issues',
  {
    importId: bigint('import_id', { mode: 'number' })
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    row: integer('row').notNull(),
    column: integer('column'),
    field: varchar('field', { length: 32 }),
    code: varchar('code', { length: 32 }).notNull(),
    severity: varchar('severity', { length: 8 }).$type<IssueSeverity>().notNull(),
    message: text('message').notNull(),
    messageEn: text('message_en').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.importId, table.seq] }),
    index('import_issues_filter_idx').on(table.importId, table.field, table.code),
    check('import_issues_severity_check', sql`${table.severity} in (${sqlList(issueSeverities)})`),
  ],
);
