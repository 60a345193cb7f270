import type { QuestionCategory, QuestionStatus } from '../../contract/helpdesk.schema.ts';
import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { resultRows, type Executor } from '../db/client.ts';
import { faqEntries, questionAttachments, questionHolders, questionMessages, questions, storedFiles, units } from '../db/schema.ts';
import type { UnitRow } from '../org/units.repository.ts';
import type { Actor } from '../policy/actor.ts';

export type QuestionRow = typeof questions.$inferSelect;
export type FaqEntryRow = typeof faqEntries.$inferSelect;
export type AttachmentRow = typeof questionAttachments.$inferSelect;

/** The ILIKE pattern of typed words, with `%`, `_` and `\` taken literally. */
export function likePattern(words: string): string {
  return `%${words.trim().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

export async function findQuestion(db: Executor, id: number): Promise<QuestionRow | undefined> {
  const [question] = await db.select().from(questions).where(eq(questions.id, id)).limit(1);
  return question;
}

export async function findAttachment(db: Executor, id: number): Promise<AttachmentRow | undefined> {
  const [row] = await db.select().from(questionAttachments).where(eq(questionAttachments.id, id)).limit(1);
  return row;
}

export async function findFaqEntry(db: Executor, id: number): Promise<FaqEntryRow | undefined> {
  const [entry] = await db.select().from(faqEntries).where(eq(faqEntries.id, id)).limit(1);
  return entry;
}

/** Locks the question row (inside the caller's transaction). */
export async function lockQuestion(tx: Executor, id: number): Promise<QuestionRow> {
  const [row] = await tx.select().from(questions).where(eq(questions.id, id)).for('update');
  return row;
}

export async function insertQuestion(tx: Executor, values: typeof questions.$inferInsert): Promise<QuestionRow> {
  const [question] = await tx.insert(questions).values(values).returning();
  return question;
}

export async function updateQuestion(tx: Executor, id: number, values: Partial<typeof questions.$inferInsert>): Promise<QuestionRow> {
  const [updated] = await tx.update(questions).set(values).where(eq(questions.id, id)).returning();
  return updated;
}

/** Adds a unit to the queues the question has passed through; `onConflictDoNothing` when it may be there already. */
export async function insertQuestionHolder(tx: Executor, values: typeof questionHolders.$inferInsert, options: { ignoreExisting?: boolean } = {}) {
  const insert = tx.insert(questionHolders).values(values);
  await (options.ignoreExisting ? insert.onConflictDoNothing() : insert);
}

export async function insertQuestionMessage(tx: Executor, values: typeof questionMessages.$inferInsert) {
  const [message] = await tx.insert(questionMessages).values(values).returning();
  return message;
}

export async function insertAttachment(tx: Executor, values: typeof questionAttachments.$inferInsert) {
  const [row] = await tx.insert(questionAttachments).values(values).returning();
  return row;
}

/** The latest answer a unit gave to the question. */
export async function latestAnswerOf(tx: Executor, questionId: number, unitCode: string) {
  const [answer] = await tx
    .select()
    .from(questionMessages)
    .where(and(eq(questionMessages.questionId, questionId), eq(questionMessages.kind, 'answered'), eq(questionMessages.unitCode, unitCode)))
    .orderBy(desc(questionMessages.id))
    .limit(1);
  return answer;
}

/** The FAQ entry published from the question, if any. */
export async function faqIdOfQuestion(db: Executor, questionId: number): Promise<number | null> {
  const [faq] = await db.select({ id: faqEntries.id }).from(faqEntries).where(eq(faqEntries.questionId, questionId));
  return faq?.id ?? null;
}

export async function insertFaqEntry(tx: Executor, values: typeof faqEntries.$inferInsert): Promise<FaqEntryRow> {
  const [entry] = await tx.insert(faqEntries).values(values).returning();
  return entry;
}

export async function deleteFaqEntry(tx: Executor, id: number): Promise<FaqEntryRow | undefined> {
  const [removed] = await tx.delete(faqEntries).where(eq(faqEntries.id, id)).returning();
  return removed;
}

/** Ids of questions in `statuses` queued before `cutoff` at a unit below the province. */
export async function questionsQueuedBefore(db: Executor, statuses: QuestionStatus[], cutoff: Date) {
  return db
    .select({ id: questions.id })
    .from(questions)
    .innerJoin(units, eq(units.code, questions.holderCode))
    .where(and(inArray(questions.status, statuses), lt(questions.queuedAt, cutoff), sql`${units.parentCode} is not null`))
    .orderBy(questions.id);
}

/** Questions a unit asked (`mine`) or holds in its queue (`queue`), newest first, optionally searched. */
export async function listQuestions(db: Executor, unitCode: string, box: 'mine' | 'queue', options: { q?: string; status?: QuestionStatus; limit?: number } = {}) {
  const filters: (SQL | undefined)[] = [box === 'mine' ? eq(questions.askerCode, unitCode) : eq(questions.holderCode, unitCode)];
  if (options.status) filters.push(eq(questions.status, options.status));
  if (options.q) {
    const pattern = likePattern(options.q);
    filters.push(or(sql`${questions.title} ilike ${pattern}`, sql`${questions.body} ilike ${pattern}`));
  }
  const asker = sql<string>`(select name from units where code = ${questions.askerCode})`;
  const holder = sql<string>`(select name from units where code = ${questions.holderCode})`;
  return db
    .select({ question: questions, askerName: asker, holderName: holder })
    .from(questions)
    .where(and(...filters))
    .orderBy(desc(questions.createdAt), desc(questions.id))
    .limit(options.limit ?? 200);
}

/** A question's messages and attachments, oldest first. */
export async function threadRows(db: Executor, questionId: number) {
  return Promise.all([
    db
      .select({ message: questionMessages, unitName: units.name })
      .from(questionMessages)
      .innerJoin(units, eq(units.code, questionMessages.unitCode))
      .where(eq(questionMessages.questionId, questionId))
      .orderBy(questionMessages.id),
    db
      .select({ id: questionAttachments.id, name: storedFiles.name, size: storedFiles.size, contentType: storedFiles.contentType, unitCode: questionAttachments.unitCode, createdAt: questionAttachments.createdAt })
      .from(questionAttachments)
      .innerJoin(storedFiles, eq(storedFiles.id, questionAttachments.fileId))
      .where(eq(questionAttachments.questionId, questionId))
      .orderBy(questionAttachments.id),
  ]);
}

/** True when the question has been queued at `unitCode`. */
export async function wasHeldBy(db: Executor, questionId: number, unitCode: string): Promise<boolean> {
  const [row] = await db.select({ unitCode: questionHolders.unitCode }).from(questionHolders).where(and(eq(questionHolders.questionId, questionId), eq(questionHolders.unitCode, unitCode)));
  return row !== undefined;
}

/** 常见问题: entries published by the actor's own chain (for its subtree) or below it, optionally searched. */
export async function searchFaq(db: Executor, actor: Actor, options: { q?: string; category?: QuestionCategory; limit?: number } = {}) {
  const filters: (SQL | undefined)[] = [sql`(${actor.unit.path} like ${units.path} || '%' or ${units.path} like ${actor.unit.path} || '%')`];
  if (options.category) filters.push(eq(faqEntries.category, options.category));
  if (options.q) {
    const pattern = likePattern(options.q);
    filters.push(or(sql`${faqEntries.title} ilike ${pattern}`, sql`${faqEntries.question} ilike ${pattern}`, sql`${faqEntries.answer} ilike ${pattern}`));
  }
  return db
    .select({ entry: faqEntries, unitName: units.name })
    .from(faqEntries)
    .innerJoin(units, eq(units.code, faqEntries.unitCode))
    .where(and(...filters))
    .orderBy(desc(faqEntries.publishedAt), desc(faqEntries.id))
    .limit(options.limit ?? 100);
}

/** Counts over the questions held in the unit's subtree (seconds to first answer as the median). */
export async function helpdeskCounts(db: Executor, unit: UnitRow) {
  const result = await db.execute(sql`
    select
      count(*) filter (where q.holder_code = ${unit.code} and q.status in ('open', 'escalated'))::int as "openInQueue",
      count(*) filter (where q.status in ('open', 'escalated'))::int as "openInSubtree",
      count(*) filter (where q.first_answered_at is not null)::int as "answered",
      percentile_cont(0.5) within group (order by extract(epoch from q.first_answered_at - q.created_at))
        filter (where q.first_answered_at is not null) as "medianSeconds"
    from questions q
    join units h on h.code = q.holder_code
    where h.path like ${`${unit.path}%`}`);
  const [row] = resultRows<{ openInQueue: number; openInSubtree: number; answered: number; medianSeconds: number | string | null }>(result);
  return row;
}
