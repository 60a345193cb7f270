import { z } from 'zod';

/** 答疑: what a question is about, and where it stands. */
export const questionCategories = ['indicator', 'operation', 'technical', 'data'] as const;
export type QuestionCategory = (typeof questionCategories)[number];
export const questionStatuses = ['open', 'answered', 'escalated', 'closed'] as const;
export type QuestionStatus = (typeof questionStatuses)[number];
/** The steps of a question's thread. */
export const threadMessageKinds = ['asked', 'answered', 'escalated', 'closed', 'reopened'] as const;
export type ThreadMessageKind = (typeof threadMessageKinds)[number];

/** GET /api/questions: the unit's own questions, or the queue it answers. */
export const questionBoxes = ['mine', 'queue'] as const;
export type QuestionBox = (typeof questionBoxes)[number];

export const questionCategorySchema = z.enum(questionCategories);
export const questionStatusSchema = z.enum(questionStatuses);

export const questionSchema = z.object({
  id: z.number(),
  askerCode: z.string(),
  askerName: z.string(),
  holderCode: z.string(),
  holderName: z.string(),
  title: z.string(),
  body: z.string(),
  category: questionCategorySchema,
  status: questionStatusSchema,
  createdAt: z.string(),
  queuedAt: z.string(),
  firstAnsweredAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});

export const threadMessageSchema = z.object({ id: z.number(), kind: z.enum(threadMessageKinds), unitCode: z.string(), unitName: z.string(), toCode: z.string().nullable(), body: z.string().nullable(), system: z.boolean(), createdAt: z.string() });
export const attachmentSchema = z.object({ id: z.number(), name: z.string(), size: z.number(), contentType: z.string(), unitCode: z.string(), createdAt: z.string() });

export const threadSchema = questionSchema.extend({
  messages: z.array(threadMessageSchema),
  attachments: z.array(attachmentSchema),
  faqId: z.number().nullable(),
  abilities: z.object({ answer: z.boolean(), escalate: z.boolean(), close: z.boolean(), followUp: z.boolean(), publish: z.boolean(), attach: z.boolean() }),
});

/** An FAQ entry; `abilities.withdraw` for the publishing unit's admin or operator. */
export const faqSchema = z.object({
  id: z.number(),
  unitCode: z.string(),
  unitName: z.string(),
  questionId: z.number().nullable(),
  category: questionCategorySchema,
  title: z.string(),
  question: z.string(),
  answer: z.string(),
  publishedAt: z.string(),
  abilities: z.object({ withdraw: z.boolean() }),
});

export const helpdeskFiguresSchema = z.object({ openInQueue: z.number(), openInSubtree: z.number(), answered: z.number(), medianHoursToAnswer: z.number().nullable() });

export type Question = z.infer<typeof questionSchema>;
export type ThreadMessage = z.infer<typeof threadMessageSchema>;
export type Attachment = z.infer<typeof attachmentSchema>;
export type QuestionThread = z.infer<typeof threadSchema>;
export type FaqEntry = z.infer<typeof faqSchema>;
export type HelpdeskFigures = z.infer<typeof helpdeskFiguresSchema>;
