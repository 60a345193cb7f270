import { z } from 'zod';
import { schoolTypeSchema } from '../standard/school-types.ts';

export const schoolCodeSchema = z.string().regex(/^\d{10}$/, '学校标识码应为 10 位数字 / the school code has 10 digits');
export const countyCodeSchema = z.string().regex(/^\d{6}$/, '县市区代码应为 6 位数字 / the county code has 6 digits');

export const schoolFieldsSchema = z.object({
  name: z.string().trim().min(1, '请填写学校名称 / name required').max(100, '学校名称最多 100 字 / at most 100 characters'),
  schoolType: schoolTypeSchema,
  countyCode: countyCodeSchema,
  expectedStaff: z.number().int().min(0).max(100_000),
});

export const createSchoolSchema = schoolFieldsSchema.extend({ code: schoolCodeSchema });
// The version is bounded by the database's integer column (a larger one would fail in SQL, not be stale).
export const updateSchoolSchema = schoolFieldsSchema.partial().extend({ version: z.number().int().positive().max(2_147_483_647) });

/** A bad cell of a rejected school list; the 422 answer lists them all in `details.errors` (nothing was written). */
export const schoolListRowErrorSchema = z.object({ row: z.number(), column: z.string().nullable(), field: z.string().nullable(), message: z.string(), messageEn: z.string() });
export const schoolListRejectionSchema = z.object({ errors: z.array(schoolListRowErrorSchema) });

export type SchoolListRowError = z.infer<typeof schoolListRowErrorSchema>;
export type CreateSchoolInput = z.infer<typeof createSchoolSchema>;
export type UpdateSchoolInput = z.infer<typeof updateSchoolSchema>;

/**
 * POST /api/schools/import: how many schools were added, changed or left as they were, and how many accounts
 * were made for the added ones (form field `createAccounts=true`: an admin, an operator and a leader each).
 */
export const schoolImportResultSchema = z.object({ created: z.number(), updated: z.number(), unchanged: z.number(), accountsCreated: z.number() });
export type SchoolImportResult = z.infer<typeof schoolImportResultSchema>;
