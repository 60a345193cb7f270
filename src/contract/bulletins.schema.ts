import { z } from 'zod';
import { versionSchema } from './api.schema.ts';

/** 通报: a draft is recomputed on demand; publishing freezes it. */
export const bulletinStatuses = ['draft', 'published'] as const;
export type BulletinStatus = (typeof bulletinStatuses)[number];
/** The two groups ranked apart: prefectures (with their subtrees) and universities. */
export const bulletinGroups = ['prefecture', 'university'] as const;
export type BulletinGroup = (typeof bulletinGroups)[number];

/** The weights of the performance score (绩效考核), summing to 1. */
export const weightsSchema = z
  .object({ completion: z.number().min(0).max(1), timeliness: z.number().min(0).max(1), quality: z.number().min(0).max(1) })
  .refine((w) => Math.abs(w.completion + w.timeliness + w.quality - 1) < 0.001, '三项权重之和须为 1 / the weights must add up to 1');
export type Weights = z.infer<typeof weightsSchema>;

/** 约谈名单: the bottom N of each group by score, and anyone below a threshold (0–100). */
export const watchRuleSchema = z.object({ bottom: z.number().int().min(0).max(20), belowScore: z.number().min(0).max(100).nullable() });
export type WatchRule = z.infer<typeof watchRuleSchema>;

const changeSchema = z.object({ completion: z.number(), timeliness: z.number(), quality: z.number().nullable(), score: z.number(), rank: z.number().nullable() });

/** One ranked unit of a bulletin. */
export const bulletinRowSchema = z.object({
  code: z.string(),
  name: z.string(),
  group: z.enum(bulletinGroups),
  schools: z.number(),
  schoolsApproved: z.number(),
  schoolsApprovedShare: z.number(),
  expectedStaff: z.number(),
  liveStaff: z.number(),
  approvedStaff: z.number(),
  /** Records approved or returned by the date; null in bulletins computed before it was counted. */
  reviewedStaff: z.number().nullable(),
  /** People still missing, school by school (each school's expected − records, never below zero). */
  shortfall: z.number(),
  completion: z.number(),
  deadlines: z.number(),
  deadlinesMet: z.number(),
  timeliness: z.number(),
  returned: z.number(),
  withFindings: z.number(),
  withProblems: z.number(),
  returnedShare: z.number(),
  findingsShare: z.number(),
  /** Null (shown —) while the unit has reviewed nothing. */
  quality: z.number().nullable(),
  score: z.number(),
  ranks: z.object({ completion: z.number(), timeliness: z.number(), quality: z.number().nullable(), overall: z.number() }),
  change: changeSchema.nullable(),
  watch: z.boolean(),
  slowest: z.array(z.object({ code: z.string(), name: z.string(), completion: z.number() })),
});
export type BulletinRow = z.infer<typeof bulletinRowSchema>;
/** A row as `bulletins.rows` holds it: rows frozen before the shortfall and the reviewed count were kept lack them. */
export type StoredBulletinRow = Omit<BulletinRow, 'reviewedStaff' | 'shortfall'> & { reviewedStaff?: number; shortfall?: number };

export const bulletinSummarySchema = z.object({
  id: z.number(),
  title: z.string(),
  asOf: z.string(),
  status: z.enum(bulletinStatuses),
  computedAt: z.string(),
  publishedAt: z.string().nullable(),
  previousId: z.number().nullable(),
  version: z.number(),
});

/** A bulletin with its rows; `abilities` (edit, publish, delete) for the province's managers while it is a draft. */
export const bulletinSchema = bulletinSummarySchema.extend({
  weights: z.object({ completion: z.number(), timeliness: z.number(), quality: z.number() }),
  watchRule: z.object({ bottom: z.number(), belowScore: z.number().nullable() }),
  remarks: z.string().nullable(),
  previous: z.object({ id: z.number(), title: z.string(), asOf: z.string() }).nullable(),
  rows: z.array(bulletinRowSchema),
  abilities: z.object({ edit: z.boolean(), publish: z.boolean(), delete: z.boolean() }),
});

/** GET /api/bulletins; `abilities.draft` for the province's managers. */
export const bulletinListSchema = z.object({ items: z.array(bulletinSummarySchema), abilities: z.object({ draft: z.boolean() }) });

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 YYYY-MM-DD / dates are YYYY-MM-DD');
const settingsBody = {
  title: z.string().trim().min(2).max(200).optional(),
  weights: weightsSchema.optional(),
  watchRule: watchRuleSchema.optional(),
  remarks: z.string().trim().max(2000).nullable().optional(),
};

/** POST /api/bulletins: a draft for a date; unset settings come from the latest bulletin. */
export const draftBulletinBodySchema = z.object({ asOf: isoDay, ...settingsBody });
/** PATCH /api/bulletins/{id}: a draft's settings, at its version. */
export const updateBulletinBodySchema = z.object({ version: versionSchema, asOf: isoDay.optional(), ...settingsBody });
/** POST /api/bulletins/{id}/publish */
export const publishBulletinBodySchema = z.object({ version: versionSchema });

export type BulletinSummary = z.infer<typeof bulletinSummarySchema>;
export type Bulletin = z.infer<typeof bulletinSchema>;
export type BulletinList = z.infer<typeof bulletinListSchema>;
export type DraftBulletinBody = z.input<typeof draftBulletinBodySchema>;
export type UpdateBulletinBody = z.input<typeof updateBulletinBodySchema>;
