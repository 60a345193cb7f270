import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forbidden } from '../errors.ts';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, unitCodeParams } from '../http/api-schemas.ts';
import { registerIdResolver } from '../http/auth-hooks.ts';
import { authorize, can } from '../policy/can.ts';
import type { Actor } from '../policy/actor.ts';
import { findUnit, type UnitRow } from '../org/units.repository.ts';
import { onOneChain, unitRefOf } from '../../contract/unit-tree.ts';
import { findAttachment, findFaqEntry, findQuestion, listQuestions, searchFaq, type AttachmentRow, type FaqEntryRow } from './helpdesk.repository.ts';
import { plainText } from '../http/text.ts';
import { readUpload, sendDownload } from '../files/transfer.ts';
import { readStoredFile } from '../files/stored-files.ts';
import {
  addAttachment,
  withdrawFaq,
  answerQuestion,
  askQuestion,
  closeQuestion,
  escalateQuestion,
  followUpQuestion,
  helpdeskFigures,
  publishToFaq,
  questionThread,
  seesQuestion,
  type QuestionRow,
} from './helpdesk.service.ts';
import { faqSchema, helpdeskFiguresSchema, questionBoxes, questionCategorySchema, questionSchema, questionStatusSchema, threadSchema } from '../../contract/helpdesk.schema.ts';

const questionIdParams = z.object({ questionId: z.coerce.number().int().positive() });
const attachmentIdParams = z.object({ attachmentId: z.coerce.number().int().positive() });
type ScopedQuestion = { question: QuestionRow; asker: UnitRow; holder: UnitRow };


declare module '../http/context.ts' {
  interface ScopedResources {
    questionId: ScopedQuestion;
    attachmentId: AttachmentRow;
    faqId: { entry: FaqEntryRow; unit: UnitRow };
  }
}

async function resolveQuestion(db: AppContext['database']['db'], actor: Actor, id: number): Promise<ScopedQuestion | undefined> {
  const question = await findQuestion(db, id);
  if (!question || !(await seesQuestion(db, question, actor.unit.code))) return undefined;
  const [asker, holder] = await Promise.all([findUnit(db, question.askerCode), findUnit(db, question.holderCode)]);
  return { question, asker: asker!, holder: holder! };
}

// A question is seen by the unit that asked it and by every unit it has been queued at; anyone else: 404.
registerIdResolver('questionId', (db, actor, id) => resolveQuestion(db, actor, id));

registerIdResolver('attachmentId', async (db, actor, id) => {
  const row = await findAttachment(db, id);
  return row && (await resolveQuestion(db, actor, row.questionId)) ? row : undefined;
});

// An FAQ entry is seen by the publishing level's subtree and by the levels above it (as the FAQ lists them).
registerIdResolver('faqId', async (db, actor, id) => {
  const entry = await findFaqEntry(db, id);
  const unit = entry && (await findUnit(db, entry.unitCode));
  return entry && unit && onOneChain(actor.unit, unit) ? { entry, unit } : undefined;
});

/**
 * The question is already known to be visible (its resolver); a unit it has moved on from still reads the
 * thread but may not act on it: 403, not 404.
 */
function permit(actor: Actor, action: 'question.ask' | 'question.answer', unit: UnitRow) {
  if (!can(actor, action, unitRefOf(unit))) throw forbidden();
}

const category = questionCategorySchema;
const status = questionStatusSchema;

const presentFaq = (actor: Actor, entry: FaqEntryRow, unitName: string) => ({
  ...entry,
  unitName,
  publishedAt: entry.publishedAt.toISOString(),
  // The publishing unit's admin or operator (who answer its questions) may withdraw it.
  abilities: { withdraw: entry.unitCode === actor.unit.code && can(actor, 'question.answer', actor.unit) },
});

function presentQuestion(question: QuestionRow, askerName: string, holderName: string) {
  return {
    id: question.id,
    askerCode: question.askerCode,
    askerName,
    holderCode: question.holderCode,
    holderName,
    title: question.title,
    body: question.body,
    category: question.category,
    status: question.status,
    createdAt: question.createdAt.toISOString(),
    queuedAt: question.queuedAt.toISOString(),
    firstAnsweredAt: question.firstAnsweredAt?.toISOString() ?? null,
    closedAt: question.closedAt?.toISOString() ?? null,
  };
}

async function presentThread(context: AppContext, actor: Actor, scoped: ScopedQuestion) {
  const db = context.database.db;
  const { question, asker, holder } = scoped;
  const thread = await questionThread(db, question.id);
  const answers = can(actor, 'question.answer', unitRefOf(holder));
  const asks = can(actor, 'question.ask', unitRefOf(asker));
  const waiting = question.status === 'open' || question.status === 'escalated';
  const answeredHere = thread.messages.some(({ message }) => message.kind === 'answered' && message.unitCode === actor.unit.code);
  return {
    ...presentQuestion(question, asker.name, holder.name),
    messages: thread.messages.map(({ message, unitName }) => ({
      id: message.id,
      kind: message.kind,
      unitCode: message.unitCode,
      unitName,
      toCode: message.toCode,
      body: message.body,
      system: message.accountId === null,
      createdAt: message.createdAt.toISOString(),
    })),
    attachments: thread.attachments.map((file) => ({ ...file, createdAt: file.createdAt.toISOString() })),
    faqId: thread.faqId,
    abilities: {
      answer: answers && waiting,
      escalate: answers && waiting && holder.parentCode !== null,
      close: asks && question.status !== 'closed',
      followUp: asks && question.status === 'answered',
      publish: thread.faqId === null && answeredHere && (actor.role === 'admin' || actor.role === 'operator') && question.holderCode === actor.unit.code,
      attach: question.status !== 'closed' && (asks || answers),
    },
  };
}


export async function helpdeskRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;
  const scopedQuestion = (request: FastifyRequest) => scoped(request, 'questionId');
  const reload = async (actor: Actor, id: number) => presentThread(context, actor, (await resolveQuestion(db, actor, id))!);

  api.post('/api/units/:code/questions', {
    schema: {
      tags: ['helpdesk'],
      summary: '提问（送至上级单位的答疑队列）/ Ask a question (it goes to the parent unit\'s queue)',
      params: unitCodeParams,
      body: z.object({ title: plainText(100, { zh: '标题', en: 'Title' }), body: plainText(5000, { zh: '问题内容', en: 'Question' }), category }),
      response: { 201: threadSchema, ...errorResponses, 422: errorResponses[400] },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'question.ask', unitRefOf(unit));
    const question = await askQuestion(db, { ...auditContext(request), actor }, unit, request.body);
    return reply.code(201).send(await reload(actor, question.id));
  });

  api.get('/api/questions', {
    schema: {
      tags: ['helpdesk'],
      summary: '本单位的提问（mine）或答疑队列（queue），可搜索 / My unit\'s questions or its queue, searchable',
      querystring: z.object({ box: z.enum(questionBoxes).default('mine'), q: z.string().max(100).optional(), status: status.optional() }),
      response: { 200: z.object({ items: z.array(questionSchema) }), ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const rows = await listQuestions(db, actor.unit.code, request.query.box, { q: request.query.q || undefined, status: request.query.status });
    return { items: rows.map((row) => presentQuestion(row.question, row.askerName, row.holderName)) };
  });

  api.get('/api/questions/:questionId', {
    schema: { tags: ['helpdesk'], summary: '问题及其往来 / A question and its thread', params: questionIdParams, response: { 200: threadSchema, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request);
    return presentThread(context, actor, scopedQuestion(request));
  });

  api.post('/api/questions/:questionId/answer', {
    schema: {
      tags: ['helpdesk'],
      summary: '答复（问题所在队列的单位）/ Answer (the unit whose queue holds the question)',
      params: questionIdParams,
      body: z.object({ body: plainText(5000, { zh: '答复内容', en: 'Answer' }) }),
      response: { 200: threadSchema, ...errorResponses, 409: errorResponses[400] },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { question, holder } = scopedQuestion(request);
    permit(actor, 'question.answer', holder);
    await answerQuestion(db, { ...auditContext(request), actor }, question.id, request.body.body);
    return reload(actor, question.id);
  });

  api.post('/api/questions/:questionId/escalate', {
    schema: {
      tags: ['helpdesk'],
      summary: '上报至本单位的上级（附说明）/ Escalate to the holder\'s parent with a note',
      params: questionIdParams,
      body: z.object({ note: plainText(1000, { zh: '上报说明', en: 'Note' }) }),
      response: { 200: threadSchema, ...errorResponses, 409: errorResponses[400], 422: errorResponses[400] },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { question, holder } = scopedQuestion(request);
    permit(actor, 'question.answer', holder);
    await escalateQuestion(db, { ...auditContext(request), actor }, question.id, request.body.note);
    return reload(actor, question.id);
  });

  api.post('/api/questions/:questionId/close', {
    schema: { tags: ['helpdesk'], summary: '关闭（提问单位）/ Close (the asking unit)', params: questionIdParams, response: { 200: threadSchema, ...errorResponses, 409: errorResponses[400] } },
  }, async (request) => {
    const actor = requireActor(request);
    const { question, asker } = scopedQuestion(request);
    permit(actor, 'question.ask', asker);
    await closeQuestion(db, { ...auditContext(request), actor }, question.id);
    return reload(actor, question.id);
  });

  api.post('/api/questions/:questionId/follow-up', {
    schema: {
      tags: ['helpdesk'],
      summary: '追问（提问单位，对已答复的问题）/ Follow up an answered question (the asking unit)',
      params: questionIdParams,
      body: z.object({ body: plainText(5000, { zh: '追问内容', en: 'Follow-up' }) }),
      response: { 200: threadSchema, ...errorResponses, 409: errorResponses[400] },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { question, asker } = scopedQuestion(request);
    permit(actor, 'question.ask', asker);
    await followUpQuestion(db, { ...auditContext(request), actor }, question.id, request.body.body);
    return reload(actor, question.id);
  });

  api.post('/api/questions/:questionId/faq', {
    schema: {
      tags: ['helpdesk'],
      summary: '把本单位的答复发布到常见问题（本单位辖区可见）/ Publish your answer to the FAQ of your subtree',
      params: questionIdParams,
      body: z.object({ title: plainText(100, { zh: '标题', en: 'Title' }).optional(), answer: plainText(5000, { zh: '答复内容', en: 'Answer' }).optional() }),
      response: { 201: faqSchema, ...errorResponses, 409: errorResponses[400] },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const { question, holder } = scopedQuestion(request);
    permit(actor, 'question.answer', holder);
    const entry = await publishToFaq(db, { ...auditContext(request), actor }, question.id, request.body);
    return reply.code(201).send(presentFaq(actor, entry, actor.unit.name));
  });

  api.post('/api/questions/:questionId/attachments', {
    schema: {
      tags: ['helpdesk'],
      summary: '上传附件（PDF、Word、Excel、PowerPoint、PNG、JPEG、文本，20 MB 以内）/ Attach a file',
      description: 'multipart/form-data with one `file`. The content must match the extension; executables are refused.',
      consumes: ['multipart/form-data'],
      params: questionIdParams,
      response: { 200: threadSchema, ...errorResponses, 409: errorResponses[400], 413: errorResponses[400], 415: errorResponses[400], 422: errorResponses[400] },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { question, asker, holder } = scopedQuestion(request);
    const mayAttach = can(actor, 'question.ask', unitRefOf(asker)) || can(actor, 'question.answer', unitRefOf(holder));
    if (!mayAttach) permit(actor, 'question.answer', holder);
    const upload = await readUpload(request);
    await addAttachment(db, { ...auditContext(request), actor }, question, upload);
    return reload(actor, question.id);
  });

  api.get('/api/question-attachments/:attachmentId', {
    schema: { tags: ['helpdesk'], summary: '下载附件 / Download an attachment', params: attachmentIdParams, response: { ...errorResponses } },
  }, async (request, reply) => {
    requireActor(request);
    const attachment = scoped(request, 'attachmentId');
    return sendDownload(reply, (await readStoredFile(db, attachment.fileId))!);
  });

  api.get('/api/faq', {
    schema: {
      tags: ['helpdesk'],
      summary: '常见问题（本级及上级发布、下级发布），可搜索 / FAQ entries visible to my unit, searchable',
      querystring: z.object({ q: z.string().max(100).optional(), category: category.optional() }),
      response: { 200: z.object({ items: z.array(faqSchema) }), ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const rows = await searchFaq(db, actor, { q: request.query.q || undefined, category: request.query.category });
    return {
      items: rows.map(({ entry, unitName }) => presentFaq(actor, entry, unitName)),
    };
  });

  api.delete('/api/faq/:faqId', {
    schema: {
      tags: ['helpdesk'],
      summary: '撤回常见问题（发布单位的管理员或人事专干，留审计记录）/ Withdraw an FAQ entry (the publishing unit; audited)',
      params: z.object({ faqId: z.coerce.number().int().positive() }),
      response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { entry, unit } = scoped(request, 'faqId');
    permit(actor, 'question.answer', unit);
    await withdrawFaq(db, { ...auditContext(request), actor }, entry);
    return { ok: true as const };
  });

  api.get('/api/units/:code/helpdesk-figures', {
    schema: {
      tags: ['helpdesk'],
      summary: '答疑统计：本单位队列与辖区内待答复数、首次答复用时中位数 / Open questions and median time to first answer',
      params: unitCodeParams,
      response: { 200: helpdeskFiguresSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', unitRefOf(unit));
    return helpdeskFigures(db, unit);
  });

}
