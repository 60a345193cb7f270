import { z } from 'zod';

/** 身份证件号冲突: open until one of the two schools resolves it. */
export const conflictStatuses = ['open', 'resolved'] as const;
export type ConflictStatus = (typeof conflictStatuses)[number];
/** How it was resolved: 调出 (the holder released the person) or 更正 (the claimant withdrew its claim). */
export const conflictResolutions = ['transfer', 'correction'] as const;
export type ConflictResolution = (typeof conflictResolutions)[number];

export const conflictStatusSchema = z.enum(conflictStatuses);

export const conflictListQuerySchema = z.object({ status: conflictStatusSchema.optional() });

/** Two schools claim one ID number; `abilities` say which side the caller may act for. */
export const conflictSchema = z.object({
  id: z.number(),
  idNumber: z.string(),
  status: conflictStatusSchema,
  resolution: z.enum(conflictResolutions).nullable(),
  note: z.string().nullable(),
  holder: z.object({ code: z.string(), name: z.string() }),
  claimant: z.object({ code: z.string(), name: z.string(), personName: z.string().nullable() }),
  createdAt: z.string(),
  abilities: z.object({ release: z.boolean(), withdraw: z.boolean() }),
});

export const conflictListSchema = z.object({ items: z.array(conflictSchema) });

/** 调出 or 撤回: the note says why. */
export const resolutionBodySchema = z.object({ note: z.string().trim().min(1, '请说明情况 / explain').max(500) });
export const resolvedSchema = z.object({ status: z.literal('resolved') });

export type Conflict = z.infer<typeof conflictSchema>;
export type ConflictList = z.infer<typeof conflictListSchema>;
