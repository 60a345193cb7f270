import { z } from 'zod';
import { schoolTypeSchema } from '../standard/school-types.ts';
import { fieldKeys } from '../standard/types.ts';
import { recordStateSchema } from './staff.schema.ts';

/** 更正申请: asked by the person, accepted (applied) or rejected (with a reason) by the school. */
export const correctionStatuses = ['pending', 'accepted', 'rejected'] as const;
export type CorrectionStatus = (typeof correctionStatuses)[number];

/** A correction the staff member asked for, field by field. */
export const correctionSchema = z.object({
  id: z.number(),
  staffId: z.number(),
  status: z.enum(correctionStatuses),
  reason: z.string().nullable(),
  fields: z.array(z.object({ field: z.string(), label: z.string(), before: z.string().nullable(), after: z.string().nullable(), note: z.string().nullable() })),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});

/** A record after the school accepted or rejected a correction. */
export const correctionDecisionSchema = z.object({ status: recordStateSchema, version: z.number() });

export const issuedCodesSchema = z.object({
  issued: z.array(z.object({ staffId: z.number(), name: z.string().nullable(), code: z.string(), expiresAt: z.string() })),
  refused: z.array(z.object({ staffId: z.number(), message: z.string(), messageEn: z.string() })),
});

export const confirmSessionBodySchema = z.object({ code: z.string().min(1).max(20), idSuffix: z.string().min(1).max(10) });
export const confirmSessionSchema = z.object({ token: z.string(), expiresAt: z.string() });

/** One field of one's own record: the canonical value and how it reads ('1-男'). */
export const ownFieldSchema = z.object({ key: z.enum(fieldKeys), label: z.string(), labelEn: z.string(), value: z.string().nullable(), display: z.string() });

/** One's own record (GET /api/confirm/record) and the school's answer to the last request, if any. */
export const ownRecordSchema = z.object({
  schoolName: z.string(),
  schoolType: schoolTypeSchema,
  status: recordStateSchema,
  fields: z.array(ownFieldSchema),
  lastRequest: z.object({ status: z.enum(correctionStatuses), reason: z.string().nullable(), fields: z.unknown(), createdAt: z.string() }).nullable(),
});

export const correctionInputSchema = z.object({ field: z.enum(fieldKeys), value: z.string().max(200).nullable(), note: z.string().max(200).optional() });
export const correctionRequestBodySchema = z.object({ fields: z.array(correctionInputSchema).min(1).max(40) });

export type Correction = z.infer<typeof correctionSchema>;
export type CorrectionDecision = z.infer<typeof correctionDecisionSchema>;
export type ConfirmSession = z.infer<typeof confirmSessionSchema>;
export type OwnField = z.infer<typeof ownFieldSchema>;
export type OwnRecord = z.infer<typeof ownRecordSchema>;
export type CorrectionInput = z.infer<typeof correctionInputSchema>;
