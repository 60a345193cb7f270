import { sql } from 'drizzle-orm';
import { fieldKeys, type FieldKey } from '../../standard/types.ts';
import {
  bigint,
  boolean,
  customType,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';

/** bytea as a Node Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
};

/**
 * The unit tree: the province, its prefectures (市州), counties (县市区) and schools, addressed by code.
 * `parentCode` is the reporting unit (报送单位): a county for most schools, the province for higher education.
 * `path` lists the codes from the province down, dot-terminated (`430000.430100.430102.`), for subtree scans.
 */
export const units = pgTable(
  'units',
  {
    code: varchar('code', { length: 10 }).primaryKey(),
    name: text('name').notNull(),
    kind: varchar('kind', { length: 12 }).notNull(),
    parentCode: varchar('parent_code', { length: 10 }),
    path: text('path').notNull(),
    depth: smallint('depth').notNull(),
    schoolType: varchar('school_type', { length: 12 }),
    /** The county a school stands in (学校所在县市区); for a county, its own code. */
    countyCode: varchar('county_code', { length: 6 }),
    expectedStaff: integer('expected_staff'),
    version: integer('version').notNull().default(1),
    createdBy: integer('created_by'),
    updatedBy: integer('updated_by'),
    ...timestamps,
  },
  (table) => [
    foreignKey({ name: 'units_parent_fk', columns: [table.parentCode], foreignColumns: [table.code] }),
    index('units_parent_idx').on(table.parentCode, table.kind, table.code),
    index('units_path_idx').on(table.path.op('text_pattern_ops')),
    index('units_county_idx').on(table.countyCode),
    check('units_kind_check', sql`${table.kind} in ('province', 'prefecture', 'county', 'school')`),
    check(
      'units_school_check',
      sql`(${table.kind} = 'school') = (${table.schoolType} is not null and ${table.expectedStaff} is not null)`,
    ),
    check(
      'units_school_type_check',
      sql`${table.schoolType} is null or ${table.schoolType} in ('k12', 'vocational', 'special', 'higher_ed')`,
    ),
    check('units_expected_staff_check', sql`${table.expectedStaff} is null or ${table.expectedStaff} >= 0`),
  ],
);

/** Accounts: each belongs to one unit with one role and sees that unit's subtree. */
export const accounts = pgTable(
  'accounts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    username: varchar('username', { length: 64 }).notNull(),
    displayName: text('display_name').notNull(),
    unitCode: varchar('unit_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    role: varchar('role', { length: 12 }).notNull(),
    passwordHash: text('password_hash').notNull(),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    disabled: boolean('disabled').notNull().default(false),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true, mode: 'date' }),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('accounts_username_idx').on(sql`lower(${table.username})`),
    index('accounts_unit_idx').on(table.unitCode),
    check('accounts_role_check', sql`${table.role} in ('admin', 'operator', 'leader', 'viewer')`),
  ],
);

/** Server-side sessions. `id` is the SHA-256 of the cookie's token, so a leaked table grants nothing. */
export const sessions = pgTable(
  'sessions',
  {
    id: varchar('id', { length: 64 }).primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    csrfToken: varchar('csrf_token', { length: 64 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (table) => [index('sessions_account_idx').on(table.accountId), index('sessions_expires_idx').on(table.expiresAt)],
);

/** Every change, written in the same transaction as the change itself. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    actorId: integer('actor_id'),
    actorUsername: text('actor_username'),
    actorUnitCode: varchar('actor_unit_code', { length: 10 }),
    /** The unit the event concerns, for scoping the audit log to a subtree. */
    unitCode: varchar('unit_code', { length: 10 }),
    action: varchar('action', { length: 64 }).notNull(),
    targetType: varchar('target_type', { length: 32 }).notNull(),
    targetId: text('target_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason'),
    ip: text('ip'),
  },
  (table) => [
    index('audit_events_unit_at_idx').on(table.unitCode, table.at),
    index('audit_events_target_idx').on(table.targetType, table.targetId),
    index('audit_events_actor_idx').on(table.actorId, table.at),
  ],
);

/** A census campaign: its plan (levels, tasks, due dates) is data, so next year's campaign is configured, not coded. */
export const campaigns = pgTable('campaigns', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull(),
  year: smallint('year').notNull(),
  startsOn: date('starts_on', { mode: 'string' }).notNull(),
  endsOn: date('ends_on', { mode: 'string' }).notNull(),
  plan: jsonb('plan').notNull(),
  active: boolean('active').notNull().default(true),
  ...timestamps,
});

/** Key-value facts about this installation (such as whether the demo was loaded). */
export const settings = pgTable('settings', {
  key: varchar('key', { length: 64 }).primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** snake_case column name of a field key (idNumber → id_number). */
export const columnName = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** One text column per field of the standard, holding its canonical value (see src/standard/types.ts). */
const fieldColumns = Object.fromEntries(fieldKeys.map((key) => [key, text(columnName(key))])) as {
  [K in FieldKey]: ReturnType<typeof text>;
};

/**
 * Staff records (教职工记录): the standard's 40 fields, the school, the workflow status and a version for
 * optimistic locking. An ID number is unique within a campaign across the whole province (rule 12).
 */
export const staff = pgTable(
  'staff',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    schoolCode: varchar('school_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    status: varchar('status', { length: 24 }).notNull().default('draft'),
    ...fieldColumns,
    /** Warnings of the standard's rules at the last write (errors are never stored). */
    findings: jsonb('findings').notNull().default([]),
    version: integer('version').notNull().default(1),
    createdBy: integer('created_by'),
    updatedBy: integer('updated_by'),
    ...timestamps,
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
    deletedBy: integer('deleted_by'),
  },
  (table) => [
    uniqueIndex('staff_campaign_id_number_idx')
      .on(table.campaignId, table.idNumber)
      .where(sql`${table.deletedAt} is null`),
    index('staff_school_status_idx').on(table.schoolCode, table.status, table.id).where(sql`${table.deletedAt} is null`),
    index('staff_school_name_idx').on(table.schoolCode, table.name).where(sql`${table.deletedAt} is null`),
  ],
);

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
    mode: varchar('mode', { length: 12 }).notNull(),
    /** A token the uploading page chose, so it can follow the check's progress before the answer arrives. */
    uploadToken: varchar('upload_token', { length: 64 }),
    /** previewed → committed, or rejected (strict mode with errors), or failed (unreadable file). */
    status: varchar('status', { length: 12 }).notNull(),
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
  (table) => [index('imports_school_idx').on(table.schoolCode, table.uploadedAt)],
);

/** A data row of an import as the preview judged it: new, changed, unchanged, invalid or conflict. */
export const importRows = pgTable(
  'import_rows',
  {
    importId: bigint('import_id', { mode: 'number' })
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    row: integer('row').notNull(),
    action: varchar('action', { length: 12 }).notNull(),
    staffId: bigint('staff_id', { mode: 'number' }),
    staffVersion: integer('staff_version'),
    values: jsonb('values'),
    changes: jsonb('changes'),
    warnings: jsonb('warnings'),
  },
  (table) => [primaryKey({ columns: [table.importId, table.row] }), index('import_rows_action_idx').on(table.importId, table.action)],
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
    severity: varchar('severity', { length: 8 }).notNull(),
    message: text('message').notNull(),
    messageEn: text('message_en').notNull(),
  },
  (table) => [primaryKey({ columns: [table.importId, table.seq] }), index('import_issues_filter_idx').on(table.importId, table.field, table.code)],
);

/** Every step of a record's life (录入、确认、更正、审核、退回、修改): who, when, from, to, why, what changed. */
export const staffEvents = pgTable(
  'staff_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    staffId: bigint('staff_id', { mode: 'number' })
      .notNull()
      .references(() => staff.id),
    event: varchar('event', { length: 32 }).notNull(),
    fromState: varchar('from_state', { length: 24 }),
    toState: varchar('to_state', { length: 24 }).notNull(),
    /** 'school' (an account), 'staff_member' (the person, by confirmation code) or 'system'. */
    actorKind: varchar('actor_kind', { length: 16 }).notNull(),
    actorId: integer('actor_id'),
    reason: text('reason'),
    changes: jsonb('changes'),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('staff_events_staff_idx').on(table.staffId, table.id)],
);

/**
 * Confirmation codes (确认码) on the slips a school prints: the person proves who they are with the code and
 * the last six characters of their ID number, with no account. Only hashes are stored.
 */
export const confirmationCodes = pgTable(
  'confirmation_codes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    staffId: bigint('staff_id', { mode: 'number' })
      .notNull()
      .references(() => staff.id),
    codeHash: varchar('code_hash', { length: 64 }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    /** Set when the person confirmed, or when the school issued a new code. */
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
    sessionHash: varchar('session_hash', { length: 64 }),
    sessionExpiresAt: timestamp('session_expires_at', { withTimezone: true, mode: 'date' }),
    createdBy: integer('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('confirmation_codes_hash_idx').on(table.codeHash), index('confirmation_codes_staff_idx').on(table.staffId), uniqueIndex('confirmation_codes_session_idx').on(table.sessionHash)],
);

/** A person's request to correct their record, field by field (old → new, with a note). */
export const correctionRequests = pgTable(
  'correction_requests',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    staffId: bigint('staff_id', { mode: 'number' })
      .notNull()
      .references(() => staff.id),
    /** [{ field, before, after, note }] */
    fields: jsonb('fields').notNull(),
    status: varchar('status', { length: 12 }).notNull().default('pending'),
    reason: text('reason'),
    decidedBy: integer('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('correction_requests_staff_idx').on(table.staffId, table.id)],
);

/** Attempt counters for public endpoints (per client address), shared by every app server. */
export const throttles = pgTable('throttles', {
  key: varchar('key', { length: 128 }).primaryKey(),
  count: integer('count').notNull(),
  resetAt: timestamp('reset_at', { withTimezone: true, mode: 'date' }).notNull(),
});

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
    status: varchar('status', { length: 12 }).notNull(),
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
    returnCategory: varchar('return_category', { length: 24 }),
    returnReason: text('return_reason'),
    version: integer('version').notNull().default(1),
  },
  (table) => [
    uniqueIndex('packages_unit_version_idx').on(table.campaignId, table.unitCode, table.versionNo),
    index('packages_receiver_idx').on(table.receiverCode, table.status),
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
    returnReason: text('return_reason'),
  },
  (table) => [primaryKey({ columns: [table.packageId, table.staffId] })],
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
    status: varchar('status', { length: 12 }).notNull().default('open'),
    resolution: varchar('resolution', { length: 16 }),
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
    kind: varchar('kind', { length: 32 }).notNull(),
    title: text('title').notNull(),
    body: text('body'),
    link: text('link'),
    readAt: timestamp('read_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('notifications_unit_idx').on(table.unitCode, table.id)],
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
    status: varchar('status', { length: 12 }).notNull().default('pending'),
    answer: text('answer'),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    decidedBy: integer('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    createdBy: integer('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('unlock_requests_unit_idx').on(table.unitCode, table.id)],
);
