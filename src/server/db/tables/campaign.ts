import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { campaigns, units } from './org.ts';
import { storedFiles } from './imports.ts';
import { sqlList } from './common.ts';
import { bulletinStatuses, type BulletinStatus, type StoredBulletinRow } from '../../../contract/bulletins.schema.ts';

/**
 * A plan task a unit marked done by hand (培训已开展、实施方案已印发): the day it was done, a note and
 * optionally a file. Tasks the system observes (submitted, reviewed) are never stored here.
 */
export const taskCompletions = pgTable(
  'task_completions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    unitCode: varchar('unit_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    taskKey: varchar('task_key', { length: 32 }).notNull(),
    doneOn: date('done_on', { mode: 'string' }).notNull(),
    note: text('note').notNull(),
    fileId: bigint('file_id', { mode: 'number' }).references(() => storedFiles.id),
    doneBy: integer('done_by').notNull(),
    /** Set when a level above marked it on the unit's behalf (代为标记): the marking unit's code. */
    markedByUnitCode: varchar('marked_by_unit_code', { length: 10 }),
    doneAt: timestamp('done_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('task_completions_unit_task_idx').on(table.campaignId, table.unitCode, table.taskKey),
    index('task_completions_task_idx').on(table.campaignId, table.taskKey),
  ],
);

/**
 * 通报: the province's ranking of prefectures and universities on a date — completion, timeliness, quality,
 * the performance score with the weights it set, and the 约谈 list. A draft is recomputed on demand;
 * publishing freezes its rows, which later bulletins compare against (week-on-week).
 */
export const bulletins = pgTable(
  'bulletins',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    title: text('title').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    /** draft → published. */
    status: varchar('status', { length: 12 }).$type<BulletinStatus>().notNull().default('draft'),
    /** { completion, timeliness, quality } summing to 1. */
    weights: jsonb('weights').notNull(),
    /** The 约谈 rule: the bottom N by overall rank, and/or everyone under a score threshold. */
    watchRule: jsonb('watch_rule').notNull(),
    /** The computed rows (frozen at publication). */
    rows: jsonb('rows').$type<StoredBulletinRow[]>().notNull(),
    /** The published bulletin this one is compared against. */
    previousId: bigint('previous_id', { mode: 'number' }),
    remarks: text('remarks'),
    createdBy: integer('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    computedAt: timestamp('computed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    publishedBy: integer('published_by'),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
    version: integer('version').notNull().default(1),
  },
  (table) => [
    index('bulletins_campaign_idx').on(table.campaignId, table.status, table.asOf),
    check('bulletins_status_check', sql`${table.status} in (${sqlList(bulletinStatuses)})`),
  ],
);
