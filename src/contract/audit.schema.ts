import { z } from 'zod';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD / dates are YYYY-MM-DD')
  .refine((text) => {
    const time = Date.parse(`${text}T00:00:00Z`);
    return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
  }, '不是有效日期 / not a calendar date');

/** What the audit log is filtered by: an action code, an actor's username, Beijing calendar days. */
export const auditFiltersSchema = z.object({
  action: z.string().trim().max(64).regex(/^[a-z_.]*$/, '操作代码只含小写字母、下划线和点 / an action code has lower-case letters, _ and . only').optional(),
  actor: z.string().trim().max(64).optional(),
  from: day.optional(),
  to: day.optional(),
});

/** GET /api/units/{code}/audit: the filters, and a cursor (the last id seen) with the page size. */
export const auditPageQuerySchema = auditFiltersSchema.extend({
  before: z.coerce.number().int().positive().optional(),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** One audit event; personal numbers arrive masked unless the reader may see them in full. */
export const auditEventSchema = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.object({ username: z.string().nullable(), unitCode: z.string().nullable() }),
  unit: z.object({ code: z.string(), name: z.string().nullable() }).nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
  ip: z.string().nullable(),
});

export const auditPageSchema = z.object({ items: z.array(auditEventSchema), nextBefore: z.number().nullable() });

export type AuditEvent = z.infer<typeof auditEventSchema>;
export type AuditFilters = z.input<typeof auditFiltersSchema>;
export type AuditPage = z.infer<typeof auditPageSchema>;
