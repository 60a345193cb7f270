/**
 * The database schema, one file per area under tables/: the unit tree and accounts, staff records and their
 * life, imports, and the workflow above the school (packages, conflicts, notifications, unlocks).
 */
export * from './tables/common.ts';
export * from './tables/org.ts';
export * from './tables/staff.ts';
export * from './tables/imports.ts';
export * from './tables/workflow.ts';
export * from './tables/campaign.ts';
export * from './tables/reports.ts';
export * from './tables/progress.ts';
export * from './tables/coordination.ts';
export * from './tables/helpdesk.ts';
