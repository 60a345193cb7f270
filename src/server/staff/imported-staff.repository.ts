import { sql, type SQL } from 'drizzle-orm';
import { fieldKeys } from '../../standard/types.ts';
import { columnName } from '../db/schema.ts';
import { confirmedViaAfter, recordStates, transition, type RecordState } from '../../contract/record-states.ts';

/** An import's staged rows written as records: which import, into which school and campaign, by whom. */
export type ImportedRecords = { importId: number; campaignId: number; schoolCode: string; actorId: number };

const fieldList = sql.raw(fieldKeys.map(columnName).join(', '));
const valueList = sql.raw(fieldKeys.map((key) => `v.${columnName(key)}`).join(', '));
/** The record's fields as a JSON object keyed by field (the audit event's `after`), built in SQL. */
const recordJson = sql.raw(`jsonb_build_object(${fieldKeys.map((key) => `'${key}', ${columnName(key)}`).join(', ')})`);
const assignments = sql.raw(fieldKeys.map((key) => `${columnName(key)} = v.${columnName(key)}`).join(', '));

/** The record state machine's `edit` by the school, state by state: where it may start and where it leads. */
const edits = recordStates.flatMap((from) => {
  const step = transition(from, 'edit', 'school');
  return step.ok ? [{ from, to: step.to }] : [];
});
const literal = (state: RecordState | null) => (state === null ? 'null' : `'${state}'`);
const editableStates = sql.raw(edits.map((edit) => literal(edit.from)).join(', '));
const statusAfterEdit = sql.raw(`case s.status ${edits.map((edit) => `when ${literal(edit.from)} then ${literal(edit.to)}`).join(' ')} end`);
/** How the record was confirmed after the edit: kept where the edit leads to confirmed or approved, else cleared. */
const confirmedViaAfterEdit = sql.raw(
  `case s.status ${edits
    .map((edit) => {
      const kept = confirmedViaAfter('edit', edit.to, 'phone') === 'phone' && confirmedViaAfter('edit', edit.to, 'paper') === 'paper';
      return `when ${literal(edit.from)} then ${kept ? 's.confirmed_via' : 'null'}`;
    })
    .join(' ')} end`,
);

/**
 * An import's new rows as draft records (one statement for any number of rows), as SQL for a CTE: it returns
 * each record's `id` and its values as JSON (`after`) for the history and audit statements that follow it.
 */
export function insertImportedStaffSql(write: ImportedRecords): SQL {
  return sql`insert into staff (campaign_id, school_code, status, ${fieldList}, findings, created_by, updated_by)
    select ${write.campaignId}, ${write.schoolCode}, 'draft', ${valueList}, coalesce(r.warnings, '[]'::jsonb), ${write.actorId}, ${write.actorId}
    from import_rows r, jsonb_populate_record(null::staff, r.values) v
    where r.import_id = ${write.importId} and r.action = 'new'
    returning id, ${recordJson} as after`;
}

/**
 * An import's changed rows written over their records, each only at the version the preview read, as SQL for
 * a CTE. An edit moves the record as the state machine's `edit` says (a confirmed or approved record goes back
 * to entry; a returned one stays returned). Returns `id`, the row's `changes`, `old_status` and `new_status`.
 */
export function updateImportedStaffSql(write: Pick<ImportedRecords, 'importId' | 'actorId'>): SQL {
  return sql`update staff s set ${assignments}, findings = coalesce(r.warnings, '[]'::jsonb), version = s.version + 1,
      status = ${statusAfterEdit}, confirmed_via = ${confirmedViaAfterEdit}, updated_by = ${write.actorId}, updated_at = now()
    from import_rows r,
      (select p.id, p.status from staff p join import_rows pr on pr.import_id = ${write.importId} and pr.action = 'changed' and p.id = pr.staff_id) p,
      jsonb_populate_record(null::staff, r.values) v
    where r.import_id = ${write.importId} and r.action = 'changed' and s.id = r.staff_id and p.id = s.id and s.version = r.staff_version
      and s.deleted_at is null and s.status in (${editableStates})
    returning s.id, r.changes, p.status as old_status, s.status as new_status`;
}
