import { z } from 'zod';
import { schoolTypeSchema } from '../standard/school-types.ts';
import { pageQuerySchema, versionSchema } from './api.schema.ts';
import { unitKindSchema, unitRefSchema } from './auth.schema.ts';
import { schoolCodePattern } from './unit-tree.ts';

/** What a unit is and whom it reports to, in a list row and on its own page alike. */
const unitFieldsSchema = z.object({
  code: z.string(),
  name: z.string(),
  kind: unitKindSchema,
  parentCode: z.string().nullable(),
  schoolType: schoolTypeSchema.nullable(),
  countyCode: z.string().nullable(),
  countyName: z.string().nullable(),
  reportingUnitCode: z.string().nullable(),
  reportingUnitName: z.string().nullable(),
  expectedStaff: z.number().nullable(),
});

/** A row of a unit list (a unit's children or the schools below it). */
export const unitListItemSchema = unitFieldsSchema.extend({
  counts: z.object({ schools: z.number(), expectedStaff: z.number() }),
  hasChildren: z.boolean(),
});

/** A unit as GET /api/units/{code} presents it. */
export const unitSchema = unitFieldsSchema.extend({
  /** 撤销 / 合并: the day the school closed, why, and the school it was merged into. */
  closed: z.object({ on: z.string(), reason: z.string().nullable(), mergedInto: z.string().nullable() }).nullable(),
  version: z.number(),
  chain: z.array(unitRefSchema),
  counts: z.object({ prefectures: z.number(), counties: z.number(), schools: z.number(), expectedStaff: z.number() }),
  abilities: z.object({ createSchool: z.boolean(), updateSchool: z.boolean(), closeSchool: z.boolean(), manageAccounts: z.boolean(), writeStaff: z.boolean() }),
});

export const unitListQuerySchema = pageQuerySchema.extend({
  kind: unitKindSchema.optional(),
  schoolType: schoolTypeSchema.optional(),
  q: z.string().max(100).optional(),
});

/** 撤销学校. */
export const closeSchoolSchema = z.object({
  closedOn: z.iso.date('请填写撤销日期（YYYY-MM-DD）/ the closing day, YYYY-MM-DD'),
  reason: z.string().trim().min(1, '请填写原因 / give a reason').max(500),
  version: versionSchema,
});

/** 合并学校: closing, and the school that receives the records. */
export const mergeSchoolSchema = closeSchoolSchema.extend({ into: z.string().regex(schoolCodePattern, '接收学校的标识码应为 10 位数字 / the receiving school code has 10 digits') });

export type Unit = z.infer<typeof unitSchema>;
export type UnitListItem = z.infer<typeof unitListItemSchema>;
export type CloseSchoolInput = z.infer<typeof closeSchoolSchema>;
