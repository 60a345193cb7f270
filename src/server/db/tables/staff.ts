import { sql } from 'drizzle-orm';
import { fieldKeys, type FieldKey } from '../../../standard/types.ts';
import { recordStates, confirmationKinds, type ConfirmedVia, type RecordState } from '../../../contract/record-states.ts';
import { historyActorKinds, historyEvents, type HistoryActorKind, type HistoryEvent } from '../../../contract/staff.schema.ts';
import { correctionStatuses, type CorrectionStatus } from '../../../contract/confirmation.schema.ts';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { columnName, sqlList, timestamps } from './common.ts';
import { campaigns, units } from './org.ts';

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
    status: varchar('status', { length: 24 }).$type<RecordState>().notNull().default('draft'),
    /** How the confirmation was given while the record is confirmed or approved: 'phone' or 'paper'. */
    confirmedVia: varchar('confirmed_via', { length: 8 }).$type<ConfirmedVia>(),
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
    // A school's list in record order (its page and its total read through this index, not the whole table's key).
    index('staff_school_id_idx').on(table.schoolCode, table.id).where(sql`${table.deletedAt} is null`),
    index('staff_school_status_idx').on(table.schoolCode, table.status, table.id).where(sql`${table.deletedAt} is null`),
    index('staff_school_name_idx').on(table.schoolCode, table.name).where(sql`${table.deletedAt} is null`),
    // A school's deleted records (its progress trend counts them out on their day); few, so a small index.
    index('staff_school_deleted_idx').on(table.schoolCode).where(sql`${table.deletedAt} is not null`),
    check('staff_status_check', sql`${table.status} in (${sqlList(recordStates)})`),
    check('staff_confirmed_via_check', sql`${table.confirmedVia} in (${sqlList(confirmationKinds)})`),
  ],
);

/** Every step of a record's life (录入、确认、更正、审核、退回、修改): who, when, from, to, why, what changed. */
export const staffEvents = pgTable(
  'staff_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    staffId: bigint('staff_id', { mode: 'number' })
      .notNull()
      .references(() => staff.id),
    event: varchar('event', { length: 32 }).$type<HistoryEvent>().notNull(),
    fromState: varchar('from_state', { length: 24 }).$type<RecordState>(),
    toState: varchar('to_state', { length: 24 }).$type<RecordState>().notNull(),
    /** 'school' (an account), 'staff_member' (the person, by confirmation code) or 'system'. */
    actorKind: varchar('actor_kind', { length: 16 }).$type<HistoryActorKind>().notNull(),
    actorId: integer('actor_id'),
    reason: text('reason'),
    changes: jsonb('changes'),
    /** A bulk paper registration: every record of one batch carries its id (see `confirmationBatches`). */
    batchId: bigint('batch_id', { mode: 'number' }),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('staff_events_staff_idx').on(table.staffId, table.id),
    check('staff_events_from_state_check', sql`${table.fromState} in (${sqlList(recordStates)})`),
    check('staff_events_to_state_check', sql`${table.toState} in (${sqlList(recordStates)})`),
    check('staff_events_event_check', sql`${table.event} in (${sqlList(historyEvents)})`),
    check('staff_events_actor_kind_check', sql`${table.actorKind} in (${sqlList(historyActorKinds)})`),
  ],
);

/** 纸质确认批次: one bulk registration of signed paper slips by a school, with its note (where the slips are kept). */
export const confirmationBatches = pgTable(
  'confirmation_batches',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    schoolCode: varchar('school_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    note: text('note').notNull(),
    recordCount: integer('record_count').notNull(),
    createdBy: integer('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('confirmation_batches_school_idx').on(table.schoolCode, table.id)],
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
    status: varchar('status', { length: 12 }).$type<CorrectionStatus>().notNull().default('pending'),
    reason: text('reason'),
    decidedBy: integer('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('correction_requests_staff_idx').on(table.staffId, table.id),
    check('correction_requests_status_check', sql`${table.status} in (${sqlList(correctionStatuses)})`),
  ],
);
