import { z } from 'zod';
import { schoolTypeSchema } from '../standard/school-types.ts';
import { labelSchema, unitCodeParams, versionSchema } from './api.schema.ts';
import { unitKindSchema } from './auth.schema.ts';

/** The levels that file a weekly report (周报表): each to the level above, by its Friday deadline. */
export const reportLevels = ['province', 'prefecture', 'county'] as const;
export type ReportLevel = (typeof reportLevels)[number];

export const issueNumbers = [1, 2, 3, 4] as const;
export type IssueNo = (typeof issueNumbers)[number];

/** The signature steps in the attachment's order: 填表人, 责任部门负责人, 主管局领导. */
export const signatureSteps = ['preparer', 'department_head', 'bureau_leader'] as const;
export type SignatureStep = (typeof signatureSteps)[number];

/** A report's status: draft, then the last step signed, then submitted to the level above. */
export const reportStatuses = ['draft', ...signatureSteps, 'submitted'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

export const signatureStepSchema = z.enum(signatureSteps);
export const reportStatusSchema = z.enum(reportStatuses);

/** One school type's line of issues 2 and 3 (各类学校教职工数据与报送情况). */
const schoolTypeFiguresSchema = z.object({
  schoolType: schoolTypeSchema,
  schools: z.number(),
  /** Schools that recorded their 培训 as done. */
  trained: z.number(),
  /** Of `trained`: schools whose 培训 the unit they report to marked on their behalf (代为标记). */
  trainedOnBehalf: z.number(),
  /** Schools with at least one record. */
  started: z.number(),
  /** Schools whose package is with the reporting unit or approved by it. */
  submitted: z.number(),
  /** Schools whose package the reporting unit approved. */
  approved: z.number(),
  staffExpected: z.number(),
  staffEntered: z.number(),
  staffConfirmed: z.number(),
  /** Of `staffConfirmed`: by the person on the phone (本人手机确认), and on paper registered by the school. */
  staffConfirmedPhone: z.number(),
  staffConfirmedPaper: z.number(),
  staffApproved: z.number(),
});
export type SchoolTypeFigures = z.infer<typeof schoolTypeFiguresSchema>;

/** The figures of one area (the report's unit, or one of the units below it). */
const areaFiguresSchema = z.object({
  counties: z.object({ total: z.number(), planDone: z.number(), trainingDone: z.number(), submitted: z.number(), approved: z.number() }),
  schoolTypes: z.array(schoolTypeFiguresSchema),
});
export type AreaFigures = z.infer<typeof areaFiguresSchema>;

/** A report's figures as of a moment: what a report stores once frozen (`weekly_reports.snapshot`). */
export const weeklySnapshotSchema = z.object({
  /** The moment the figures describe. */
  asOf: z.string(),
  live: z.boolean(),
  unit: z.object({ code: z.string(), name: z.string(), kind: unitKindSchema }),
  /** 所辖区县数 (a prefecture), 所辖学校数 (a county), 所辖市州数 (the province). */
  subunitCount: z.number(),
  totals: areaFiguresSchema,
  /** The units below, one line each: a prefecture's counties, the province's prefectures; none for a county. */
  rows: z.array(z.object({ code: z.string(), name: z.string(), figures: areaFiguresSchema })),
});
export type WeeklySnapshot = z.infer<typeof weeklySnapshotSchema>;

export const issueParams = unitCodeParams.extend({ issue: z.coerce.number().int().min(1).max(4).pipe(z.literal(issueNumbers)) });

/** A table in the attachment's layout: bilingual column heads, one line per row. */
export const issueTableSchema = z.object({ columns: z.array(labelSchema), rows: z.array(z.object({ label: z.string(), values: z.array(z.number()), total: z.boolean().optional() })) });
export const weeklyIssueSchema = z.object({ issueNo: z.number(), content: z.string(), date: z.string(), dueAt: z.string() });
/** Where a report stands; `overdue` (逾期未报): the deadline passed and nothing was submitted. */
export const reportStateSchema = z.object({ status: reportStatusSchema, late: z.boolean().nullable(), submittedAt: z.string().nullable(), frozen: z.boolean(), overdue: z.boolean() });

/** GET /api/units/{code}/weekly-reports: the unit's four issues. */
export const weeklyReportListSchema = z.object({ level: z.enum(reportLevels), items: z.array(z.object({ issue: weeklyIssueSchema, ...reportStateSchema.shape })) });

/** GET /api/units/{code}/weekly-reports/{issue}: one issue in the attachment's layout. */
export const weeklyReportSchema = z.object({
  id: z.number(),
  unit: z.object({ code: z.string(), name: z.string(), kind: unitKindSchema, parentCode: z.string().nullable() }),
  issue: weeklyIssueSchema,
  ...reportStateSchema.shape,
  remarks: z.string().nullable(),
  /** A draft of 备注 from the figures. */
  suggestedRemarks: z.string(),
  version: z.number(),
  figures: z.object({ asOf: z.string(), live: z.boolean(), subunitLabel: z.string(), subunitCount: z.number() }),
  table: issueTableSchema,
  signatures: z.array(z.object({ step: signatureStepSchema, label: labelSchema, signerName: z.string().nullable(), signedAt: z.string().nullable() })),
  /** `sign`: the step the caller may sign next, if any. */
  abilities: z.object({ editRemarks: z.boolean(), sign: signatureStepSchema.nullable(), submit: z.boolean() }),
});

export const remarksBodySchema = z.object({ remarks: z.string().trim().max(2000), version: versionSchema.optional() });
/** The report after a remarks edit, with the signatures it revoked. */
export const remarksResultSchema = weeklyReportSchema.extend({ revoked: z.array(signatureStepSchema) });

export const signatureBodySchema = z.object({ step: signatureStepSchema, signerName: z.string().trim().min(1, '请填写签字人姓名 / type the signer\'s name').max(40) });

/** GET /api/units/{code}/weekly-reports/{issue}/received: the reports of the units below, and their summary. */
export const receivedReportsSchema = z.object({
  issue: weeklyIssueSchema.nullable(),
  table: issueTableSchema,
  items: z.array(z.object({ unit: z.object({ code: z.string(), name: z.string(), kind: unitKindSchema }), ...reportStateSchema.shape, asOf: z.string(), live: z.boolean() })),
});

export type WeeklyIssue = z.infer<typeof weeklyIssueSchema>;
export type ReportState = z.infer<typeof reportStateSchema>;
export type IssueTable = z.infer<typeof issueTableSchema>;
export type WeeklyReportList = z.infer<typeof weeklyReportListSchema>;
export type WeeklyReport = z.infer<typeof weeklyReportSchema>;
export type RemarksResult = z.infer<typeof remarksResultSchema>;
export type SignatureBody = z.infer<typeof signatureBodySchema>;
export type ReceivedReports = z.infer<typeof receivedReportsSchema>;
