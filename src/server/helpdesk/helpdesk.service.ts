import type { Executor } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import { notify } from '../notifications/notifications.service.ts';
import { findUnit, type UnitRow } from '../org/units.repository.ts';
import type { Actor } from '../policy/actor.ts';
import { storeUpload } from '../files/uploads.ts';
import {
  deleteFaqEntry,
  faqIdOfQuestion,
  insertAttachment,
  insertFaqEntry,
  insertQuestion,
  insertQuestionHolder,
  insertQuestionMessage,
  latestAnswerOf,
  lockQuestion,
  questionsQueuedBefore,
  helpdeskCounts,
  threadRows,
  updateQuestion,
  wasHeldBy,
  type FaqEntryRow,
  type QuestionRow,
} from './helpdesk.repository.ts';

export type { QuestionRow } from './helpdesk.repository.ts';
import type { QuestionCategory, QuestionStatus } from '../../contract/helpdesk.schema.ts';

/** States in which a question waits in its holder's queue. */
const waiting: QuestionStatus[] = ['open', 'escalated'];

const conflict = (zh: string, en: string) => new DomainError('conflict', { zh, en });

/** 提问: the question goes to the asking unit's reporting unit (its parent). */
export async function askQuestion(
  db: Executor,
  context: AuditContext & { actor: Actor },
  asker: UnitRow,
  input: { title: string; body: string; category: QuestionCategory },
) {
  if (!asker.parentCode) throw new DomainError('unprocessable', { zh: '省级单位没有上级可以提问', en: 'The province has no level above it to ask' });
  const parent = (await findUnit(db, asker.parentCode))!;
  return db.transaction(async (tx) => {
    const now = new Date();
    const question = await insertQuestion(tx, { askerCode: asker.code, askedBy: context.actor.id, title: input.title, body: input.body, category: input.category, status: 'open', holderCode: parent.code, queuedAt: now, createdAt: now });
    await insertQuestionHolder(tx, { questionId: question.id, unitCode: parent.code, since: now });
    await insertQuestionMessage(tx, { questionId: question.id, kind: 'asked', unitCode: asker.code, accountId: context.actor.id, toCode: parent.code, body: input.body, createdAt: now });
    await recordAudit(tx, context, { action: 'question.ask', targetType: 'question', targetId: question.id, unitCode: asker.code, after: { title: input.title, category: input.category, holderCode: parent.code } });
    await notify(tx, [{ unitCode: parent.code, kind: 'question_received', title: `${asker.name} 提问：${input.title}`, link: `/helpdesk/questions/${question.id}` }]);
    return question;
  });
}

async function attach(tx: Executor, actor: Actor, questionId: number, unitCode: string, file: { name: string; content: Buffer }) {
  const fileId = await storeUpload(tx, file.name, file.content);
  return insertAttachment(tx, { questionId, fileId, unitCode, uploadedBy: actor.id });
}

/** Adds a file to a question's thread (the asker or the holder, while the question is not closed). */
export async function addAttachment(db: Executor, context: AuditContext & { actor: Actor }, question: QuestionRow, file: { name: string; content: Buffer }) {
  if (question.status === 'closed') throw conflict('问题已关闭，不能再添加附件', 'The question is closed; no more attachments');
  return db.transaction(async (tx) => {
    const row = await attach(tx, context.actor, question.id, context.actor.unit.code, file);
    await recordAudit(tx, context, { action: 'question.attach', targetType: 'question', targetId: question.id, after: { name: file.name, size: file.content.length } });
    return row;
  });
}

/** 答复: the holder answers; the asker is told. */
export async function answerQuestion(db: Executor, context: AuditContext & { actor: Actor }, questionId: number, body: string) {
  return db.transaction(async (tx) => {
    const question = await lockQuestion(tx, questionId);
    if (!waiting.includes(question.status)) throw conflict(`问题当前为“${statusLabels[question.status]?.zh ?? question.status}”，不能答复`, `The question is ${question.status}; it cannot be answered now`);
    const now = new Date();
    const message = await insertQuestionMessage(tx, { questionId, kind: 'answered', unitCode: question.holderCode, accountId: context.actor.id, body, createdAt: now });
    const updated = await updateQuestion(tx, questionId, { status: 'answered', firstAnsweredAt: question.firstAnsweredAt ?? now });
    await recordAudit(tx, context, { action: 'question.answer', targetType: 'question', targetId: questionId, unitCode: question.holderCode, before: { status: question.status }, after: { status: 'answered' } });
    await notify(tx, [{ unitCode: question.askerCode, kind: 'question_answered', title: `您的问题已答复：${question.title}`, link: `/helpdesk/questions/${questionId}` }]);
    return { question: updated, message };
  });
}

/** Moves a waiting question up to its holder's parent with a note (by a person, or by the system when it waited too long). */
async function moveUp(tx: Executor, context: AuditContext, question: QuestionRow, holder: UnitRow, note: string, now: Date) {
  const parent = (await findUnit(tx, holder.parentCode!))!;
  await insertQuestionMessage(tx, { questionId: question.id, kind: 'escalated', unitCode: holder.code, accountId: context.actor?.id ?? null, toCode: parent.code, body: note, createdAt: now });
  await insertQuestionHolder(tx, { questionId: question.id, unitCode: parent.code, since: now }, { ignoreExisting: true });
  const updated = await updateQuestion(tx, question.id, { status: 'escalated', holderCode: parent.code, queuedAt: now });
  await recordAudit(tx, context, {
    action: context.actor ? 'question.escalate' : 'question.auto_escalate',
    targetType: 'question',
    targetId: question.id,
    unitCode: holder.code,
    before: { status: question.status, holderCode: holder.code },
    after: { status: 'escalated', holderCode: parent.code },
    reason: note,
  });
  await notify(tx, [
    { unitCode: parent.code, kind: 'question_escalated', title: `${holder.name} 上报问题：${question.title}`, body: note, link: `/helpdesk/questions/${question.id}` },
    { unitCode: question.askerCode, kind: 'question_escalated', title: `您的问题已上报至${parent.name}：${question.title}`, link: `/helpdesk/questions/${question.id}` },
  ]);
  return updated;
}

/** 上报: the holder passes a waiting question to its own parent with a note; the province has nowhere higher. */
export async function escalateQuestion(db: Executor, context: AuditContext & { actor: Actor }, questionId: number, note: string) {
  return db.transaction(async (tx) => {
    const question = await lockQuestion(tx, questionId);
    if (!waiting.includes(question.status)) throw conflict(`问题当前为“${statusLabels[question.status]?.zh ?? question.status}”，不能上报`, `The question is ${question.status}; it cannot be escalated now`);
    const holder = (await findUnit(tx, question.holderCode))!;
    if (!holder.parentCode) throw new DomainError('unprocessable', { zh: '省级已是最高一级，无法再上报，请直接答复', en: 'The province is the top level; answer the question instead' });
    return moveUp(tx, context, question, holder, note, new Date());
  });
}

/** 关闭: the asker closes the thread (answered or not). */
export async function closeQuestion(db: Executor, context: AuditContext & { actor: Actor }, questionId: number) {
  return db.transaction(async (tx) => {
    const question = await lockQuestion(tx, questionId);
    if (question.status === 'closed') throw conflict('问题已关闭', 'The question is already closed');
    const now = new Date();
    await insertQuestionMessage(tx, { questionId, kind: 'closed', unitCode: question.askerCode, accountId: context.actor.id, createdAt: now });
    const updated = await updateQuestion(tx, questionId, { status: 'closed', closedAt: now });
    await recordAudit(tx, context, { action: 'question.close', targetType: 'question', targetId: questionId, unitCode: question.askerCode, before: { status: question.status }, after: { status: 'closed' } });
    return updated;
  });
}

/** 追问: the asker is not satisfied with an answer and asks again in the same queue. */
export async function followUpQuestion(db: Executor, context: AuditContext & { actor: Actor }, questionId: number, body: string) {
  return db.transaction(async (tx) => {
    const question = await lockQuestion(tx, questionId);
    if (question.status !== 'answered') throw conflict('只有已答复的问题可以追问', 'Only an answered question can be followed up');
    const now = new Date();
    await insertQuestionMessage(tx, { questionId, kind: 'reopened', unitCode: question.askerCode, accountId: context.actor.id, body, createdAt: now });
    const updated = await updateQuestion(tx, questionId, { status: 'open', queuedAt: now });
    await recordAudit(tx, context, { action: 'question.follow_up', targetType: 'question', targetId: questionId, unitCode: question.askerCode, before: { status: 'answered' }, after: { status: 'open' } });
    await notify(tx, [{ unitCode: question.holderCode, kind: 'question_received', title: `追问：${question.title}`, link: `/helpdesk/questions/${questionId}` }]);
    return updated;
  });
}

/** 发布到常见问题: the unit that answered publishes its answer to the FAQ of its subtree (once per question). */
export async function publishToFaq(db: Executor, context: AuditContext & { actor: Actor }, questionId: number, input: { title?: string; answer?: string }) {
  return db.transaction(async (tx) => {
    const question = await lockQuestion(tx, questionId);
    const answer = await latestAnswerOf(tx, questionId, context.actor.unit.code);
    if (!answer) throw conflict('本单位尚未答复此问题，不能发布到常见问题', 'Your unit has not answered this question; there is nothing to publish');
    if ((await faqIdOfQuestion(tx, questionId)) !== null) throw conflict('此问题已发布到常见问题', 'This question is already in the FAQ');
    const entry = await insertFaqEntry(tx, { unitCode: context.actor.unit.code, questionId, category: question.category, title: input.title ?? question.title, question: question.body, answer: input.answer ?? answer.body ?? '', publishedBy: context.actor.id });
    await recordAudit(tx, context, { action: 'faq.publish', targetType: 'faq_entry', targetId: entry.id, after: { questionId, title: entry.title } });
    return entry;
  });
}

/** 撤回: the publishing unit withdraws an FAQ entry; the audit log keeps what it said. */
export async function withdrawFaq(db: Executor, context: AuditContext & { actor: Actor }, entry: FaqEntryRow) {
  return db.transaction(async (tx) => {
    const removed = await deleteFaqEntry(tx, entry.id);
    if (!removed) return;
    await recordAudit(tx, context, {
      action: 'faq.withdraw',
      targetType: 'faq_entry',
      targetId: entry.id,
      unitCode: entry.unitCode,
      before: { questionId: entry.questionId, title: entry.title, answer: entry.answer },
    });
  });
}

/**
 * 超时自动上报: every question waiting longer than `hours` in a queue below the province moves up one level,
 * audited as the system. Idempotent: a moved question's clock restarts in its new queue. Returns how many moved.
 */
export async function autoEscalate(db: Executor, hours: number, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - hours * 3_600_000);
  const due = await questionsQueuedBefore(db, waiting, cutoff);
  let moved = 0;
  for (const { id } of due) {
    const done = await db.transaction(async (tx) => {
      const question = await lockQuestion(tx, id);
      if (!waiting.includes(question.status) || question.queuedAt >= cutoff) return false;
      const holder = (await findUnit(tx, question.holderCode))!;
      if (!holder.parentCode) return false;
      const note = `在${holder.name}等待答复超过 ${hours} 小时，自动上报 / Unanswered for more than ${hours} hours; escalated automatically`;
      await moveUp(tx, { actor: null }, question, holder, note, now);
      return true;
    });
    if (done) moved += 1;
  }
  return moved;
}

export const statusLabels: Record<string, { zh: string; en: string }> = {
  open: { zh: '待答复', en: 'Open' },
  answered: { zh: '已答复', en: 'Answered' },
  escalated: { zh: '已上报', en: 'Escalated' },
  closed: { zh: '已关闭', en: 'Closed' },
};

export async function questionThread(db: Executor, questionId: number) {
  const [messages, attachments] = await threadRows(db, questionId);
  return { messages, attachments, faqId: await faqIdOfQuestion(db, questionId) };
}

/** True when `unitCode` may see the question: the asker or a unit it has been queued at. */
export async function seesQuestion(db: Executor, question: QuestionRow, unitCode: string): Promise<boolean> {
  if (question.askerCode === unitCode || question.holderCode === unitCode) return true;
  return wasHeldBy(db, question.id, unitCode);
}

/** Per-level figures: open questions in the unit's queue and in its subtree's queues, median hours to first answer. */
export async function helpdeskFigures(db: Executor, unit: UnitRow) {
  const row = await helpdeskCounts(db, unit);
  return {
    openInQueue: Number(row.openInQueue),
    openInSubtree: Number(row.openInSubtree),
    answered: Number(row.answered),
    medianHoursToAnswer: row.medianSeconds === null ? null : Math.round((Number(row.medianSeconds) / 3600) * 10) / 10,
  };
}
