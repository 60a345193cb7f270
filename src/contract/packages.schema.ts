import { z } from 'zod';
import { labelSchema } from './api.schema.ts';
import { packageStatuses } from './package-states.ts';
import { confirmationKinds } from './record-states.ts';
import { unitKindSchema, unitRefSchema } from './auth.schema.ts';
import { recordStateSchema } from './staff.schema.ts';

/** 退回原因类别: what a receiver picks when it returns a package. */
export const returnCategories = ['data_error', 'missing_people', 'count_mismatch', 'other'] as const;
/** As a package carries it: also 'reopened', for an approved package a level above opened again. */
export const packageReturnCategories = [...returnCategories, 'reopened'] as const;
export type ReturnCategory = (typeof packageReturnCategories)[number];

/** Where a unit that reports here stands (不漏一校: every one must be approved before the parent submits). */
export const childStates = ['not_started', 'in_progress', 'returned', 'awaiting_review', 'stale', 'approved'] as const;
export type ChildState = (typeof childStates)[number];

/** 未到期 / 即将到期 / 已逾期: a submission's deadline as of today. */
export const deadlineStates = ['open', 'due_soon', 'late'] as const;
export type DeadlineState = (typeof deadlineStates)[number];

/** 解锁申请: asked after the deadline, granted for three days or refused by the unit above. */
export const unlockStatuses = ['pending', 'granted', 'refused'] as const;
export type UnlockStatus = (typeof unlockStatuses)[number];

export const packageStatusSchema = z.enum(packageStatuses);

/** A submitted package (报送包): frozen records of one unit, sent to the unit above. */
export const packageSchema = z.object({
  id: z.number(),
  unitCode: z.string(),
  unitName: z.string(),
  receiverCode: z.string().nullable(),
  /** The reviewing unit's name; null for the province's final package (the Ministry is above it). */
  receiverName: z.string().nullable(),
  versionNo: z.number(),
  status: packageStatusSchema,
  recordCount: z.number(),
  expectedCount: z.number(),
  explanation: z.string().nullable(),
  contentHash: z.string(),
  signedBy: z.number(),
  signedAt: z.string(),
  submittedBy: z.number(),
  submittedAt: z.string(),
  decidedAt: z.string().nullable(),
  returnCategory: z.enum(packageReturnCategories).nullable(),
  returnReason: z.string().nullable(),
  /** 需重新审核: what changed below after it was submitted or approved, where and when; null while it stands. */
  stale: z.object({ at: z.string(), cause: z.string(), unitCode: z.string().nullable() }).nullable(),
  /** Fewer records than expected: how many, and whether (by whom, with what note) the receiver accepted it. */
  shortfall: z.object({ count: z.number(), accepted: z.boolean(), acceptedBy: z.number().nullable(), note: z.string().nullable() }).nullable(),
  /** How the records' confirmations were given: by the person on the phone, or registered on paper by the school. */
  confirmations: z.object({ phone: z.number(), paper: z.number() }),
  abilities: z.object({ approve: z.boolean(), return: z.boolean(), reopen: z.boolean() }),
});

export const deadlineSchema = z.object({ due: z.string().nullable(), state: z.enum(deadlineStates).nullable() });

/** GET /api/units/{code}/submission: where a unit stands before it reports. */
export const submissionSchema = z.object({
  recordCount: z.number(),
  expectedCount: z.number(),
  /** What stops the submission, each with the page where it is dealt with. */
  blockers: z.array(labelSchema.extend({ link: z.string().optional().describe('the page where it is dealt with') })),
  missing: z.array(z.object({ code: z.string(), name: z.string(), kind: unitKindSchema, state: z.enum(childStates), stateLabel: labelSchema, packageId: z.number().nullable(), staleCause: z.string().nullable() })),
  latest: packageSchema.nullable(),
  deadline: deadlineSchema,
  /** `nationalExport`: the province's export of the national dataset; `requestUnlock`: asking for an unlock after the deadline. */
  abilities: z.object({ signOff: z.boolean(), submit: z.boolean(), nationalExport: z.boolean(), requestUnlock: z.boolean() }),
});

export const signOffBodySchema = z.object({ explanation: z.string().trim().max(1000).optional() });
export const signOffResultSchema = z.object({ id: z.number(), recordCount: z.number(), signedAt: z.string() });

export const inboxItemSchema = z.object({ unit: unitRefSchema, package: packageSchema });
export const inboxSchema = z.object({ items: z.array(inboxItemSchema) });

/** A record of a school's package: name and ID number as submitted, the state as the record stands now. */
export const packageItemSchema = z.object({ staffId: z.number(), name: z.string().nullable(), idNumber: z.string().nullable(), confirmedVia: z.enum(confirmationKinds).nullable(), status: recordStateSchema, returnReason: z.string().nullable() });
export const packageItemsSchema = z.object({ total: z.number(), items: z.array(packageItemSchema) });

export const approveBodySchema = z.object({
  acceptShortfall: z.boolean().optional().describe('接受人数差异 / accept fewer records than expected'),
  shortfallNote: z.string().trim().max(1000).optional(),
});

export const returnBodySchema = z.object({
  category: z.enum(returnCategories),
  reason: z.string().trim().min(1, '请填写退回原因 / give a reason').max(1000),
  items: z.array(z.object({ staffId: z.number().int().positive(), reason: z.string().trim().min(1).max(500) })).max(5000).optional(),
});

export const reopenBodySchema = z.object({ reason: z.string().trim().min(1).max(1000) });

const versionRefSchema = z.object({ packageId: z.number(), versionNo: z.number(), recordCount: z.number() });

/** GET /api/packages/{id}/changes: what a version changed since the one before it. */
export const packageChangesSchema = z.object({
  previous: z.object({ id: z.number(), versionNo: z.number(), status: packageStatusSchema, recordCount: z.number() }).nullable(),
  total: z.number(),
  changes: z.array(z.object({
    kind: z.enum(['added', 'removed', 'changed', 'child']),
    staffId: z.number().optional(),
    name: z.string().nullable().optional(),
    idNumber: z.string().nullable().optional(),
    fields: z.array(z.object({ key: z.string(), label: z.string(), before: z.string().nullable(), after: z.string().nullable() })).optional(),
    unitCode: z.string().optional(),
    before: versionRefSchema.nullable().optional(),
    after: versionRefSchema.nullable().optional(),
  })),
});

/** 解锁申请; `abilities.decide` for the unit above, while it is pending. */
export const unlockSchema = z.object({
  id: z.number(),
  unitCode: z.string(),
  unitName: z.string(),
  reason: z.string(),
  status: z.enum(unlockStatuses),
  answer: z.string().nullable(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  abilities: z.object({ decide: z.boolean() }),
});

export const unlockRequestBodySchema = z.object({ reason: z.string().trim().min(1, '请填写原因 / give a reason').max(500) });

export type Package = z.infer<typeof packageSchema>;
export type Submission = z.infer<typeof submissionSchema>;
export type Deadline = z.infer<typeof deadlineSchema>;
export type InboxItem = z.infer<typeof inboxItemSchema>;
export type PackageItem = z.infer<typeof packageItemSchema>;
export type PackageChanges = z.infer<typeof packageChangesSchema>;
export type ReturnInput = z.input<typeof returnBodySchema>;
export type UnlockRequest = z.infer<typeof unlockSchema>;
