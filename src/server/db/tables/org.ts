import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  foreignKey,
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
import type { CampaignPlan } from '../../../standard/campaign.ts';
import type { SchoolType } from '../../../standard/school-types.ts';
import { roles, type Role } from '../../../contract/roles.ts';
import { unitKinds, type UnitKind } from '../../../contract/units.ts';
import { campaignStatuses, type CampaignStatus } from '../../../contract/campaign.schema.ts';
import { sqlList, timestamps } from './common.ts';

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
    kind: varchar('kind', { length: 12 }).$type<UnitKind>().notNull(),
    parentCode: varchar('parent_code', { length: 10 }),
    path: text('path').notNull(),
    depth: smallint('depth').notNull(),
    schoolType: varchar('school_type', { length: 12 }).$type<SchoolType>(),
    /** The county a school stands in (学校所在县市区); for a county, its own code. */
    countyCode: varchar('county_code', { length: 6 }),
    expectedStaff: integer('expected_staff'),
    /** 撤销: the day a school closed and why; a closed school leaves the expected set and the missing lists. */
    closedOn: date('closed_on', { mode: 'string' }),
    closedReason: text('closed_reason'),
    /** 合并: the school this one was merged into (its staff moved there with their history). */
    mergedInto: varchar('merged_into', { length: 10 }),
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
    check('units_kind_check', sql`${table.kind} in (${sqlList(unitKinds)})`),
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
    role: varchar('role', { length: 12 }).$type<Role>().notNull(),
    passwordHash: text('password_hash').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true, mode: 'date' }),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** The password was given by someone else (imported, reset): every route but changing it answers 403 until changed. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    /**
     * The initial password the server made (import, bulk reset), AES-256-GCM under the server key, for the admin
     * above to download (see accounts/initial-credentials.ts); null once the account's own password is set.
     */
    initialPasswordCipher: text('initial_password_cipher'),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('accounts_username_idx').on(sql`lower(${table.username})`),
    index('accounts_unit_idx').on(table.unitCode),
    check('accounts_role_check', sql`${table.role} in (${sqlList(roles)})`),
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

/**
 * Failure counters with growing blocks (see throttle/throttle.ts), shared by every app server: per client
 * address for the public endpoints, per account and per (account, address) for sign-in. Only failures count;
 * a key is blocked from the `free`-th failure on, for longer after each further one. Attempts are admitted
 * before they are checked, so a burst cannot be checked past the limit.
 */
export const throttles = pgTable(
  'throttles',
  {
    key: varchar('key', { length: 128 }).primaryKey(),
    /** Failures counted under the key. */
    count: integer('count').notNull(),
    /** Attempts admitted and not yet checked: with the failures they may not exceed the rule's free count. */
    pending: integer('pending').notNull().default(0),
    /** When the last attempt was admitted: pending attempts older than a few minutes are taken as lost. */
    reservedAt: timestamp('reserved_at', { withTimezone: true, mode: 'date' }),
    /** The count is forgotten after this (it moves on with each failure). */
    resetAt: timestamp('reset_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** No attempt under the key is admitted before this. */
    blockedUntil: timestamp('blocked_until', { withTimezone: true, mode: 'date' }),
    /** The account a sign-in key belongs to: shown as its lock, lifted by its unlock. */
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    /** Last success under the key: an address the account has signed in from. */
    succeededAt: timestamp('succeeded_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [index('throttles_account_idx').on(table.accountId)],
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
export const campaigns = pgTable(
  'campaigns',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    year: smallint('year').notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    plan: jsonb('plan').$type<CampaignPlan>().notNull(),
    /** 草稿 → 进行中 → 已结束: at most one campaign runs at a time, and a closed one is read-only. */
    status: varchar('status', { length: 12 }).$type<CampaignStatus>().notNull().default('draft'),
    ...timestamps,
  },
  (table) => [
    check('campaigns_status_check', sql`${table.status} in (${sqlList(campaignStatuses)})`),
    uniqueIndex('campaigns_one_running_idx').on(table.status).where(sql`${table.status} = 'running'`),
  ],
);

/** Key-value facts about this installation (such as whether the demo was loaded). */
export const settings = pgTable('settings', {
  key: varchar('key', { length: 64 }).primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
