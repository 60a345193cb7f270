import { z } from 'zod';
import { schoolTypeSchema } from '../standard/school-types.ts';
import { labelSchema } from './api.schema.ts';
import { unitKindSchema } from './auth.schema.ts';

/** The staff funnel: expected → entered → confirmed → approved. */
export const funnelStages = ['expected', 'entered', 'confirmed', 'approved'] as const;
export type FunnelStage = (typeof funnelStages)[number];
/** The two kinds of a confirmation, the parts of the confirmed stage. */
export const confirmationParts = ['phone', 'paper'] as const;

export const progressSchema = z.object({
  schools: z.object({ expected: z.number(), started: z.number(), submitted: z.number(), approved: z.number() }).describe('未撤销的学校 / open schools only'),
  staff: z.object({
    expected: z.number(),
    entered: z.number(),
    shortfall: z.number().describe('缺报人数：逐校应有人数减已录入，不计负数 / people missing, school by school, never negative'),
    confirmed: z.number(),
    confirmedPhone: z.number().describe('其中本人手机确认 / of confirmed: by the person on the phone'),
    confirmedPaper: z.number().describe('其中学校登记纸质签字确认 / of confirmed: registered on paper by the school'),
    approved: z.number(),
  }),
});
export const percentagesSchema = z.object({
  schools: z.object({ started: z.number().nullable(), submitted: z.number().nullable(), approved: z.number().nullable() }),
  staff: z.object({
    entered: z.number().nullable(),
    shortfall: z.number().nullable(),
    confirmed: z.number().nullable(),
    confirmedPhone: z.number().nullable(),
    confirmedPaper: z.number().nullable(),
    approved: z.number().nullable(),
  }),
});
/** A unit's figures; `completion` is approved staff / expected staff (0–1), null when the unit expects nothing. */
export const figuresSchema = z.object({ progress: progressSchema, percentages: percentagesSchema, completion: z.number().nullable() });

export const funnelStageSchema = z.object({
  stage: z.enum(funnelStages),
  label: labelSchema,
  value: z.number(),
  percent: z.number().nullable(),
  /** The confirmed stage also in its two kinds (phone, paper). */
  parts: z.array(z.object({ kind: z.enum(confirmationParts), label: labelSchema, value: z.number(), percent: z.number().nullable() })).optional(),
});

export const progressChildSchema = figuresSchema.extend({ code: z.string(), name: z.string(), kind: unitKindSchema, schoolType: schoolTypeSchema.nullable() });

/** GET /api/units/{code}/progress */
export const progressPageSchema = z.object({
  unit: z.object({ code: z.string(), name: z.string(), kind: unitKindSchema, schoolType: schoolTypeSchema.nullable(), closedOn: z.string().nullable() }),
  /** Province down to the unit; `reachable` says whether the actor may open that level. */
  chain: z.array(z.object({ code: z.string(), name: z.string(), kind: unitKindSchema, reachable: z.boolean() })),
  totals: figuresSchema,
  funnel: z.array(funnelStageSchema),
  /** Lagging first. */
  children: z.array(progressChildSchema),
  asOf: z.string(),
});

export const trendPointSchema = z.object({ day: z.string(), entered: z.number(), confirmed: z.number(), approved: z.number() });
/** GET /api/units/{code}/progress/trend */
export const trendSchema = z.object({ expectedStaff: z.number(), startsOn: z.string(), endsOn: z.string(), days: z.array(trendPointSchema) });

export type Figures = z.infer<typeof figuresSchema>;
export type SchoolFigures = Figures['progress']['schools'];
export type StaffFigures = Figures['progress']['staff'];
export type ProgressChild = z.infer<typeof progressChildSchema>;
export type UnitProgress = z.infer<typeof progressPageSchema>;
export type TrendPoint = z.infer<typeof trendPointSchema>;
export type ProgressTrend = z.infer<typeof trendSchema>;
