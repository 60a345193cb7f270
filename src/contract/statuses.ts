/** 报送包状态: a package is submitted, then approved or returned (a returned one is followed by a new version). */
export { packageStatuses, type PackageStatus } from './package-states.ts';

/** Why a package was returned: the reviewer's categories, and `reopened` when a level above reopened it. */
export const packageReturnCategories = ['data_error', 'missing_people', 'count_mismatch', 'other', 'reopened'] as const;
export type ReturnCategory = (typeof packageReturnCategories)[number];

/** 导入状态: checking → previewed → committed, or failed (the file could not be read). */
export const importStatuses = ['checking', 'previewed', 'committed', 'failed'] as const;
export type ImportStatus = (typeof importStatuses)[number];

/** lenient: commit the valid rows; strict: commit nothing while any row has an error. */
export const importModes = ['lenient', 'strict'] as const;
export type ImportMode = (typeof importModes)[number];

/** 答疑 categories and states: open → answered | escalated → closed (by the asker). */
export { questionCategories, questionStatuses, type QuestionCategory, type QuestionStatus } from './helpdesk.schema.ts';
