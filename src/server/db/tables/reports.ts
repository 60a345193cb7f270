import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { reportStatuses, signatureSteps, type ReportStatus, type SignatureStep, type WeeklySnapshot } from '../../../contract/reports.schema.ts';
import { sqlList, timestamps } from './common.ts';
import { campaigns, units } from './org.ts';

/**
 * 周报表 (attachment 3 of the plan): one row per unit and issue of the campaign. `snapshot` holds the figures
 * frozen as of `snapshotAsOf` (the issue's cut-off, or the preparer's signature if that came first) and is
 * never recomputed; while it is null the page shows live figures. Status: draft → signed step by step
 * (preparer → department_head → bureau_leader) → submitted to the level above.
 */
export const weeklyReports = pgTable(
  'weekly_reports',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    unitCode: varchar('unit_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    issueNo: smallint('issue_no').notNull(),
    /** The Friday deadline of the issue for the unit's level (also the data's cut-off). */
    dueAt: timestamp('due_at', { withTimezone: true, mode: 'date' }).notNull(),
    snapshot: jsonb('snapshot').$type<WeeklySnapshot>(),
    /** The moment the frozen figures describe. */
    snapshotAsOf: timestamp('snapshot_as_of', { withTimezone: true, mode: 'date' }),
    /** When they were computed and stored. */
    snapshotAt: timestamp('snapshot_at', { withTimezone: true, mode: 'date' }),
    remarks: text('remarks'),
    /** draft | preparer | department_head | bureau_leader (the last step signed) | submitted. */
    status: varchar('status', { length: 16 }).$type<ReportStatus>().notNull().default('draft'),
    submittedBy: integer('submitted_by'),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'date' }),
    late: boolean('late'),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('weekly_reports_unit_issue_idx').on(table.campaignId, table.unitCode, table.issueNo),
    index('weekly_reports_issue_idx').on(table.campaignId, table.issueNo, table.status),
    check('weekly_reports_status_check', sql`${table.status} in (${sqlList(reportStatuses)})`),
  ],
);

/**
 * The signatures of a weekly report in the attachment's order: 填表人 (preparer), 责任部门负责人 (department
 * head), 主管局领导 (bureau leader); each with the account that signed and the name it typed. A remarks edit
 * after signing revokes them (`revokedAt`), keeping the history.
 */
export const weeklyReportSignatures = pgTable(
  'weekly_report_signatures',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    reportId: bigint('report_id', { mode: 'number' })
      .notNull()
      .references(() => weeklyReports.id, { onDelete: 'cascade' }),
    step: varchar('step', { length: 16 }).$type<SignatureStep>().notNull(),
    accountId: integer('account_id').notNull(),
    signerName: text('signer_name').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [
    index('weekly_report_signatures_report_idx').on(table.reportId, table.id),
    uniqueIndex('weekly_report_signatures_step_idx').on(table.reportId, table.step).where(sql`${table.revokedAt} is null`),
    check('weekly_report_signatures_step_check', sql`${table.step} in (${sqlList(signatureSteps)})`),
  ],
);
