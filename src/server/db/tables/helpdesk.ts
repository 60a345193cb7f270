import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { questionCategories, questionStatuses, threadMessageKinds, type QuestionCategory, type QuestionStatus, type ThreadMessageKind } from '../../../contract/helpdesk.schema.ts';
import { sqlList } from './common.ts';
import { units } from './org.ts';
import { storedFiles } from './imports.ts';

/**
 * 答疑: a unit's question. It sits in exactly one queue at a time (`holderCode`, first the asker's reporting
 * unit); escalation moves it up a level. open → answered | escalated → closed (by the asker).
 */
export const questions = pgTable(
  'questions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    askerCode: varchar('asker_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    askedBy: integer('asked_by').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** indicator (指标解释) | operation | technical | data */
    category: varchar('category', { length: 16 }).$type<QuestionCategory>().notNull(),
    status: varchar('status', { length: 12 }).$type<QuestionStatus>().notNull(),
    holderCode: varchar('holder_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    /** When the question arrived in the holder's queue: the clock of automatic escalation. */
    queuedAt: timestamp('queued_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    firstAnsweredAt: timestamp('first_answered_at', { withTimezone: true, mode: 'date' }),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [
    index('questions_holder_idx').on(table.holderCode, table.status),
    index('questions_asker_idx').on(table.askerCode, table.createdAt),
    index('questions_queued_idx').on(table.status, table.queuedAt),
    check('questions_category_check', sql`${table.category} in (${sqlList(questionCategories)})`),
    check('questions_status_check', sql`${table.status} in (${sqlList(questionStatuses)})`),
  ],
);

/** Every unit a question has been queued at (besides the asker): who may see its thread. */
export const questionHolders = pgTable(
  'question_holders',
  {
    questionId: bigint('question_id', { mode: 'number' })
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    unitCode: varchar('unit_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    since: timestamp('since', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.questionId, table.unitCode] }), index('question_holders_unit_idx').on(table.unitCode)],
);

/** The thread: asked, answered, escalated (with its note), closed, reopened; `accountId` null for the system. */
export const questionMessages = pgTable(
  'question_messages',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    questionId: bigint('question_id', { mode: 'number' })
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    kind: varchar('kind', { length: 16 }).$type<ThreadMessageKind>().notNull(),
    unitCode: varchar('unit_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    accountId: integer('account_id'),
    /** For an escalation: the unit it went to. */
    toCode: varchar('to_code', { length: 10 }),
    body: text('body'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('question_messages_question_idx').on(table.questionId, table.id),
    check('question_messages_kind_check', sql`${table.kind} in (${sqlList(threadMessageKinds)})`),
  ],
);

/** Files attached to a question's thread (bytes in stored_files). */
export const questionAttachments = pgTable(
  'question_attachments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    questionId: bigint('question_id', { mode: 'number' })
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    fileId: bigint('file_id', { mode: 'number' })
      .notNull()
      .references(() => storedFiles.id),
    unitCode: varchar('unit_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    uploadedBy: integer('uploaded_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('question_attachments_question_idx').on(table.questionId)],
);

/** 常见问题: an answer published by the answering unit, visible to that unit's subtree. */
export const faqEntries = pgTable(
  'faq_entries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    unitCode: varchar('unit_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    questionId: bigint('question_id', { mode: 'number' }).references(() => questions.id),
    category: varchar('category', { length: 16 }).$type<QuestionCategory>().notNull(),
    title: text('title').notNull(),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    publishedBy: integer('published_by').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('faq_entries_unit_idx').on(table.unitCode),
    uniqueIndex('faq_entries_question_idx').on(table.questionId),
    check('faq_entries_category_check', sql`${table.category} in (${sqlList(questionCategories)})`),
  ],
);

/** 专栏公告: an announcement of a level to its subtree, pinned or dated. */
export const announcements = pgTable(
  'announcements',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    unitCode: varchar('unit_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    title: text('title').notNull(),
    body: text('body').notNull(),
    pinned: boolean('pinned').notNull().default(false),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    createdBy: integer('created_by').notNull(),
  },
  (table) => [index('announcements_unit_idx').on(table.unitCode, table.publishedAt)],
);

/** 资料库: a file a level offers its subtree (training slides, guides), with its download count. */
export const libraryFiles = pgTable(
  'library_files',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    unitCode: varchar('unit_code', { length: 10 })
      .notNull()
      .references(() => units.code),
    title: text('title').notNull(),
    fileId: bigint('file_id', { mode: 'number' })
      .notNull()
      .references(() => storedFiles.id),
    downloads: integer('downloads').notNull().default(0),
    uploadedBy: integer('uploaded_by').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('library_files_unit_idx').on(table.unitCode, table.uploadedAt)],
);
