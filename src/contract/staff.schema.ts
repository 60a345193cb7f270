import { z } from 'zod';
import { schoolTypeSchema } from '../standard/school-types.ts';
import { fieldKeys, type FieldKey } from '../standard/types.ts';
import { maxInteger, pageQuerySchema, pagedSchema, versionSchema } from './api.schema.ts';
import { confirmationKinds, recordEvents, recordStates } from './record-states.ts';

export const recordStateSchema = z.enum(recordStates);
export const recordEventSchema = z.enum(recordEvents);

/** The steps a school takes on records (the person's own steps go through the confirmation page). */
export const schoolEventSchema = z.enum(['send_for_confirmation', 'confirm_on_paper', 'approve', 'return']);

export const staffIdParams = z.object({ staffId: z.coerce.number().int().positive() });
export const findingSchema = z.object({
  field: z.string().nullable(),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  messageEn: z.string(),
});
export const staffValuesSchema = z.object(Object.fromEntries(fieldKeys.map((key) => [key, z.string().nullable()]))) as z.ZodObject<Record<FieldKey, z.ZodNullable<z.ZodString>>>;
export const confirmedViaSchema = z.enum(confirmationKinds).nullable().describe('确认方式：phone 本人手机确认，paper 学校登记纸质签字确认（仅在本人已确认、学校已审核时）/ how the record was confirmed');

/** A staff record as GET /api/staff/{id} presents it: canonical values of all 40 fields and its findings. */
export const staffSchema = z.object({
  id: z.number(),
  schoolCode: z.string(),
  schoolName: z.string(),
  schoolType: schoolTypeSchema,
  status: recordStateSchema,
  confirmedVia: confirmedViaSchema,
  version: z.number(),
  values: staffValuesSchema,
  idNumberMasked: z.boolean().describe('证件号与出生日期已遮蔽（出生日期只到月）/ the ID number and the birth date (to the month) are masked'),
  findings: z.array(findingSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  abilities: z.object({ update: z.boolean(), delete: z.boolean(), reveal: z.boolean(), events: z.array(recordEventSchema) }),
});

/** A row of a school's staff list; the ID number is masked above the school. */
export const staffListItemSchema = z.object({
  id: z.number(),
  status: recordStateSchema,
  confirmedVia: confirmedViaSchema,
  name: z.string().nullable(),
  sex: z.string().nullable(),
  idType: z.string().nullable(),
  idNumber: z.string().nullable(),
  birthDate: z.string().nullable(),
  staffCategory: z.string().nullable(),
  onPayroll: z.string().nullable(),
  warnings: z.number(),
  version: z.number(),
  updatedAt: z.string(),
});

export const staffListQuerySchema = pageQuerySchema.extend({
  status: recordStateSchema.optional(),
  hasWarnings: z.enum(['true', 'false']).optional(),
  q: z.string().max(40).optional().describe('姓名、证件号或教职工号；学校以上只按完整证件号查 / name, ID number (its start at the school, the whole number above it) or staff number'),
  pendingCorrection: z.enum(['true', 'false']).optional().describe('有待处理的更正申请 / with an undecided correction request'),
  changedSinceApproval: z.enum(['true', 'false']).optional().describe('审核后又被修改 / changed since approval'),
  confirmedVia: z.enum(confirmationKinds).optional().describe('确认方式（本人已确认或学校已审核的记录）/ confirmed by phone or on paper'),
  batch: z.coerce.number().int().positive().max(maxInteger).optional().describe('纸质确认批次号 / records of one paper confirmation batch'),
});

export const staffListPageSchema = pagedSchema(staffListItemSchema).extend({
  idNumbersMasked: z.boolean().describe('证件号与出生日期已遮蔽，证件号只能完整查找 / ID numbers and birth dates are masked; an ID number is found by the whole number only'),
});

export const revealedNumbersSchema = z.object({ idNumber: z.string().nullable(), birthDate: z.string().nullable() });

export const staffTransitionSchema = z.object({ event: schoolEventSchema, version: versionSchema, reason: z.string().trim().max(500).optional() });
export const bulkTransitionSchema = z.object({ event: schoolEventSchema, ids: z.array(z.number().int().positive()).min(1).max(5000), reason: z.string().trim().max(500).optional() });
export const bulkTransitionResultSchema = z.object({
  done: z.number(),
  results: z.array(z.object({ id: z.number(), ok: z.boolean(), error: z.object({ code: z.string(), message: z.string(), messageEn: z.string() }).optional() })),
  batch: z.object({ id: z.number(), recordCount: z.number() }).nullable().describe('纸质确认批次（登记纸质确认时）/ the paper batch, for confirm_on_paper'),
});

/** Who took a step on a record: the school, the person on the confirmation page, or the system. */
export const historyActorKinds = ['school', 'staff_member', 'system'] as const;
/** The steps a record's history holds: the state machine's events, its creation and its school's merger. */
export const historyEvents = [...recordEvents, 'create', 'school_merged'] as const;

export const staffHistorySchema = z.object({
  items: z.array(z.object({
    event: z.enum(historyEvents),
    from: recordStateSchema.nullable(),
    to: recordStateSchema,
    actorKind: z.enum(historyActorKinds),
    actorId: z.number().nullable(),
    reason: z.string().nullable(),
    changes: z.record(z.string(), z.object({ before: z.string().nullable(), after: z.string().nullable() })).nullable(),
    /** The kind of confirmation the step gave (confirm, accept_correction: phone; confirm_on_paper: paper). */
    confirmedVia: confirmedViaSchema,
    batch: z.object({ id: z.number(), note: z.string(), recordCount: z.number(), createdAt: z.string() }).nullable().describe('纸质确认批次 / the paper confirmation batch of the step'),
    at: z.string(),
  })),
});

export const staffSummarySchema = z.object({
  expectedStaff: z.number(),
  total: z.number(),
  difference: z.number(),
  byStatus: z.record(z.string(), z.number()),
  confirmedVia: z.object({ phone: z.number(), paper: z.number() }).describe('本人已确认、学校已审核的记录中：本人手机确认与学校登记纸质签字确认的人数'),
  pendingCorrections: z.number(),
});

export type HistoryEvent = (typeof historyEvents)[number];
export type HistoryActorKind = (typeof historyActorKinds)[number];
export type StaffRecord = z.infer<typeof staffSchema>;
export type StaffListItem = z.infer<typeof staffListItemSchema>;
export type StaffListPage = z.infer<typeof staffListPageSchema>;
export type RevealedNumbers = z.infer<typeof revealedNumbersSchema>;
