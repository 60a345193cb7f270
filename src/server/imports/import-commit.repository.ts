import { sql } from 'drizzle-orm';
import { resultRows, type Executor } from '../db/client.ts';
import { auditEventsFromSql, type AuditContext } from '../audit/audit.ts';
import { insertImportedStaffSql, updateImportedStaffSql, type ImportedRecords } from '../staff/imported-staff.repository.ts';
import { eventsFromSql } from '../staff/record-steps.repository.ts';

/**
 * The writes of a commit, each composed of the statements the owning domains give (staff, their history,
 * audit): one statement writes the records and, for each, its history step and audit event together.
 */

const countOf = (result: unknown) => Number(resultRows<{ written: number | string }>(result)[0].written);

/** Writes an import's new rows as records, with a `create` step and a `staff.created` event each; returns how many. */
export async function writeNewRecords(executor: Executor, context: AuditContext, write: ImportedRecords) {
  const reason = `import ${write.importId}`;
  const result = await executor.execute(sql`
    with inserted as (
      ${insertImportedStaffSql(write)}
    ), audited as (
      ${auditEventsFromSql(context, sql`inserted i`, { action: 'staff.created', targetType: 'staff', targetId: sql`i.id::text`, unitCode: write.schoolCode, after: sql`i.after`, reason })}
      returning 1
    ), stepped as (
      ${eventsFromSql(sql`inserted i`, { staffId: sql`i.id`, event: 'create', from: null, to: sql`'draft'`, actorKind: 'school', actorId: write.actorId, reason })}
      returning 1
    )
    select (select count(*) from inserted) as written, (select count(*) from audited) as audited`);
  return countOf(result);
}

/** Writes an import's changed rows over their records, with an `edit` step and a `staff.updated` event each; returns how many. */
export async function writeChangedRecords(executor: Executor, context: AuditContext, write: ImportedRecords) {
  const reason = `import ${write.importId}`;
  const result = await executor.execute(sql`
    with updated as (
      ${updateImportedStaffSql(write)}
    ), stepped as (
      ${eventsFromSql(sql`updated u`, { staffId: sql`u.id`, event: 'edit', from: sql`u.old_status`, to: sql`u.new_status`, actorKind: 'school', actorId: write.actorId, reason, changes: sql`u.changes` })}
      returning 1
    ), audited as (
      ${auditEventsFromSql(context, sql`updated u`, {
        action: 'staff.updated',
        targetType: 'staff',
        targetId: sql`u.id::text`,
        unitCode: write.schoolCode,
        before: sql`(select jsonb_object_agg(key, value -> 'before') from jsonb_each(u.changes))`,
        after: sql`(select jsonb_object_agg(key, value -> 'after') from jsonb_each(u.changes))`,
        reason,
      })}
      returning 1
    )
    select (select count(*) from updated) as written, (select count(*) from audited) as audited`);
  return countOf(result);
}
