import { date, integer, pgTable, primaryKey, varchar } from 'drizzle-orm/pg-core';
import { campaigns, units } from './org.ts';

/**
 * 进度计数: per campaign and school, the live records (deletedAt null) and how many of them are confirmed
 * or approved. Kept by statement-level triggers on `staff` (migration `progress_counters`), so every
 * change moves its counters in its own transaction and no write path has to remember them.
 */
export const progressSchoolCounts = pgTable(
  'progress_school_counts',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    schoolCode: varchar('school_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    entered: integer('entered').notNull().default(0),
    /** confirmed or approved: a record the school approved was confirmed first. */
    confirmed: integer('confirmed').notNull().default(0),
    /** Of `confirmed`: those registered on paper by the school (the rest the person confirmed by phone). */
    confirmedPaper: integer('confirmed_paper').notNull().default(0),
    approved: integer('approved').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.campaignId, table.schoolCode] })],
);

/**
 * 每日进度: the records of a unit's subtree at the end of a past China day (entered, confirmed, approved).
 * Filled once for every area unit (the province, prefectures and counties)
 * when a day has passed; past days never change.
 */
export const progressDays = pgTable(
  'progress_days',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    unitCode: varchar('unit_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    day: date('day', { mode: 'string' }).notNull(),
    entered: integer('entered').notNull(),
    confirmed: integer('confirmed').notNull(),
    approved: integer('approved').notNull(),
  },
  (table) => [primaryKey({ columns: [table.campaignId, table.unitCode, table.day] })],
);
