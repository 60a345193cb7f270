import { sql } from 'drizzle-orm';
import { confirmationKinds, type ConfirmedVia } from '../../../contract/record-states.ts';
import { packageStatuses, type PackageStatus } from '../../../contract/package-states.ts';
import { packageReturnCategories, unlockStatuses, type ReturnCategory, type UnlockStatus } from '../../../contract/packages.schema.ts';
import { notificationKinds, type NotificationKind } from '../../../contract/notifications.schema.ts';
import { conflictResolutions, conflictStatuses, type ConflictResolution, type ConflictStatus } from '../../../contract/conflicts.schema.ts';
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
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { sqlList } from './common.ts';
import { campaigns, units } from './org.ts';
import { staff } from './staff.ts';

/**
 * 报送包: a unit's submission to the unit it reports to — a frozen version (which records or child packages,
 * their content hash, counts, who signed, when). Returned packages are followed by a new version.
 */
export const packages = pgTable(
  'packages',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    unitCode: varchar('unit_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    /** The unit that reviews it (null: the Ministry, above the province). */
    receiverCode: varchar('receiver_code', { length: 10 }),
    versionNo: integer('version_no').notNull(),
    status: varchar('status', { length: 12 }).$type<PackageStatus>().notNull(),
    recordCount: integer('record_count').notNull(),
    expectedCount: integer('expected_count').notNull(),
    explanation: text('explanation'),
    contentHash: varchar('content_hash', { length: 64 }).notNull(),
    signedBy: integer('signed_by').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true, mode: 'date' }).notNull(),
    submittedBy: integer('submitted_by').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    decidedBy: integer('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    /** When it was approved; kept when a level above reopens it (which rewrites `decided_at`). */
    approvedAt: timestamp('approved_at', { withTimezone: true, mode: 'date' }),
    returnCategory: varchar('return_category', { length: 24 }).$type<ReturnCategory>(),
    returnReason: text('return_reason'),
    /**
     * 需重新审核: something below changed after this package was submitted or approved (a school added, moved,
     * closed or merged, a package reopened, a record changed under an unlock, an expected count changed).
     * It no longer counts as approved above it; a new version, reviewed again, replaces it.
     */
    staleAt: timestamp('stale_at', { withTimezone: true, mode: 'date' }),
    staleCause: text('stale_cause'),
    /** The unit where the change was made. */
    staleUnitCode: varchar('stale_unit_code', { length: 10 }),
    /** 人数不足: approving a package with fewer records than expected records the receiver's acceptance. */
    shortfallAcceptedBy: integer('shortfall_accepted_by'),
    shortfallNote: text('shortfall_note'),
    /** Of the records (for an area, of its child packages): confirmed by the person, and registered on paper. */
    phoneConfirmed: integer('phone_confirmed').notNull().default(0),
    paperConfirmed: integer('paper_confirmed').notNull().default(0),
    version: integer('version').notNull().default(1),
  },
  (table) => [
    uniqueIndex('packages_unit_version_idx').on(table.campaignId, table.unitCode, table.versionNo),
    index('packages_receiver_idx').on(table.receiverCode, table.status),
    // The signed packages not yet marked stale: the staff trigger asks first whether there are any.
    index('packages_open_idx').on(table.campaignId).where(sql`${table.staleAt} is null and ${table.status} in ('submitted', 'approved')`),
    check('packages_status_check', sql`${table.status} in (${sqlList(packageStatuses)})`),
    check('packages_return_category_check', sql`${table.returnCategory} in (${sqlList(packageReturnCategories)})`),
  ],
);

/** The records of a school's package, frozen with their content hash; a row can be returned on its own. */
export const packageItems = pgTable(
  'package_items',
  {
    packageId: bigint('package_id', { mode: 'number' })
      .notNull()
      .references(() => packages.id, { onDelete: 'cascade' }),
    staffId: bigint('staff_id', { mode: 'number' })
      .notNull()
      .references(() => staff.id),
    contentHash: varchar('content_hash', { length: 64 }).notNull(),
    /** The record as submitted: the standard's field values in `fieldKeys` order (what the national export writes). */
    content: jsonb('content'),
    /** How the person's confirmation was given: 'phone' (by the person) or 'paper' (registered by the school). */
    confirmedVia: varchar('confirmed_via', { length: 8 }).$type<ConfirmedVia>(),
    returnReason: text('return_reason'),
  },
  (table) => [
    primaryKey({ columns: [table.packageId, table.staffId] }),
    check('package_items_confirmed_via_check', sql`${table.confirmedVia} in (${sqlList(confirmationKinds)})`),
  ],
);

/** The child packages an area's package froze: the approved chain the national dataset is read from. */
export const packageChildren = pgTable(
  'package_children',
  {
    packageId: bigint('package_id', { mode: 'number' })
      .notNull()
      .references(() => packages.id, { onDelete: 'cascade' }),
    childPackageId: bigint('child_package_id', { mode: 'number' })
      .notNull()
      .references(() => packages.id),
  },
  (table) => [primaryKey({ columns: [table.packageId, table.childPackageId] })],
);

/** A leader's sign-off (负责人签字) on the unit's data as it stands; the submission must match it. */
export const signoffs = pgTable(
  'signoffs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    unitCode: varchar('unit_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    contentHash: varchar('content_hash', { length: 64 }).notNull(),
    recordCount: integer('record_count').notNull(),
    explanation: text('explanation'),
    signedBy: integer('signed_by').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('signoffs_unit_idx').on(table.unitCode, table.id)],
);

/**
 * 身份证件号冲突: one ID number claimed by a second school while another holds it. Resolved as a transfer
 * (the holder releases the person, keeping history) or a correction (the claim was wrong and is withdrawn).
 */
export const idConflicts = pgTable(
  'id_conflicts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    idNumber: varchar('id_number', { length: 30 }).notNull(),
    holderStaffId: bigint('holder_staff_id', { mode: 'number' })
      .notNull()
      .references(() => staff.id),
    holderSchoolCode: varchar('holder_school_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    claimantSchoolCode: varchar('claimant_school_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    claimantName: text('claimant_name'),
    importId: bigint('import_id', { mode: 'number' }),
    status: varchar('status', { length: 12 }).$type<ConflictStatus>().notNull().default('open'),
    resolution: varchar('resolution', { length: 16 }).$type<ConflictResolution>(),
    note: text('note'),
    resolvedBy: integer('resolved_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('id_conflicts_holder_idx').on(table.holderSchoolCode, table.status),
    index('id_conflicts_claimant_idx').on(table.claimantSchoolCode, table.status),
    uniqueIndex('id_conflicts_open_idx').on(table.campaignId, table.idNumber, table.claimantSchoolCode).where(sql`${table.status} = 'open'`),
    check('id_conflicts_status_check', sql`${table.status} in (${sqlList(conflictStatuses)})`),
    check('id_conflicts_resolution_check', sql`${table.resolution} in (${sqlList(conflictResolutions)})`),
  ],
);

/** In-app notifications (通知) to a unit's accounts: returned, approved, correction requested, conflict raised. */
export const notifications = pgTable(
  'notifications',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    unitCode: varchar('unit_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    kind: varchar('kind', { length: 32 }).$type<NotificationKind>().notNull(),
    title: text('title').notNull(),
    body: text('body'),
    link: text('link'),
    readAt: timestamp('read_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('notifications_unit_idx').on(table.unitCode, table.id),
    check('notifications_kind_check', sql`${table.kind} in (${sqlList(notificationKinds)})`),
  ],
);

/** After its deadline a unit edits submitted data only once its parent grants an unlock request (解锁申请). */
export const unlockRequests = pgTable(
  'unlock_requests',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    unitCode: varchar('unit_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    reason: text('reason').notNull(),
    status: varchar('status', { length: 12 }).$type<UnlockStatus>().notNull().default('pending'),
    answer: text('answer'),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    decidedBy: integer('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    createdBy: integer('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('unlock_requests_unit_idx').on(table.unitCode, table.id),
    check('unlock_requests_status_check', sql`${table.status} in (${sqlList(unlockStatuses)})`),
  ],
);
