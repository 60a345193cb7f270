import { z } from 'zod';

/** The body of every error answer. */
export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    messages: z.object({ zh: z.string(), en: z.string() }),
    details: z.unknown().optional(),
  }),
});

/** The largest value of the database's integer columns (ids, versions): larger ones must not reach SQL. */
export const maxInteger = 2_147_483_647;

/** A row's version as a client sends it back for optimistic locking. */
export const versionSchema = z.number().int().min(1).max(maxInteger);

export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export const unitCodeParams = z.object({
  code: z.string().regex(/^\d{6}$|^\d{10}$/, 'unit code: 6 digits (division) or 10 digits (school)'),
});

export function pagedSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}

/** A bilingual label as answers carry it. */
export const labelSchema = z.object({ zh: z.string(), en: z.string() });
