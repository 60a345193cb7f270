import { and, eq, sql } from 'drizzle-orm';
import { fieldKeys } from '../../standard/types.ts';
import { resultRows, type Database } from '../db/client.ts';
import { columnName, imports } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import type { ImportCounts, ImportRow } from './imports.repository.ts';
import { assertUnlocked } from '../workflow/record-lock.ts';

type ActorContext = AuditContext & { actor: Actor };

const fieldList = sql.raw(fieldKeys.map(columnName).join(', '));
const valueList = sql.raw(fieldKeys.map((key) => `v.${columnName(key)}`).join(', '));
/** The record's fields as a JSON object keyed by field (the audit event's `after`), built in SQL. */
const recordJson = sql.raw(`jsonb_build_object(${fieldKeys.map((key) => `'${key}', ${columnName(key)}`).join(', ')})`);
const assignments = sql.raw(fieldKeys.map((key) => `${columnName(key)} = v.${columnName(key)}`).join(', '));

const stateError = (state: string) =>
  new DomainError('conflict', {
    zh: `该导入的状态是“${state === 'committed' ? '已提交' : state === 'failed' ? '读取失败' : state}”，不能再提交`,
    en: `This import is ${state} and cannot be committed`,
  });

/**
 * 提交导入: writes the preview's new and changed rows in one transaction — all of them or none. A record
 * changed by someone else since the preview, or an ID number entered elsewhere meanwhile, refuses the whole
 * commit (upload the file again to see the new state). Invalid and conflicting rows are never written;
 * in strict mode nothing is written while any remains.
 */
export async function commitImport(db: Database, context: ActorContext, importRow: ImportRow) {
  if (importRow.status !== 'previewed') throw stateError(importRow.status);
  const counts = importRow.counts as ImportCounts;
  if (importRow.mode === 'strict' && counts.invalid + counts.conflicts > 0) {
    throw new DomainError('conflict', {
      zh: `严格模式：仍有 ${counts.invalid} 行错误、${counts.conflicts} 行冲突，未写入任何数据。请修改后重新上传。`,
      en: `Strict mode: ${counts.invalid} invalid and ${counts.conflicts} conflicting rows remain; nothing was written. Fix them and upload again.`,
    });
  }
  await assertUnlocked(db, importRow.campaignId, importRow.schoolCode);
  const actor = context.actor.id;
  const id = importRow.id;
  try {
    return await db.transaction(async (tx) => {
      // Claim the import first: a second commit racing this one waits here, then finds it committed.
      const claimed = await tx
        .update(imports)
        .set({ status: 'committed', committedBy: actor, committedAt: new Date() })
        .where(and(eq(imports.id, id), eq(imports.status, 'previewed')))
        .returning({ id: imports.id });
      if (claimed.length === 0) throw stateError('committed');
      // Each statement writes its records and their audit events together (one event per record).
      const auditColumns = sql.raw('actor_id, actor_username, actor_unit_code, unit_code, action, target_type, target_id, before, after, reason, ip');
      const who = sql`${actor}, ${context.actor.username}, ${context.actor.unit.code}, ${importRow.schoolCode}`;
      const reason = `import ${id}`;
      const inserted = await tx.execute(sql`
        with inserted as (
          insert into staff (campaign_id, school_code, status, ${fieldList}, findings, created_by, updated_by)
          select ${importRow.campaignId}, ${importRow.schoolCode}, 'draft', ${valueList}, coalesce(r.warnings, '[]'::jsonb), ${actor}, ${actor}
          from import_rows r, jsonb_populate_record(null::staff, r.values) v
          where r.import_id = ${id} and r.action = 'new'
          returning id, ${recordJson} as after
        ), audited as (
          insert into audit_events (${auditColumns})
          select ${who}, 'staff.created', 'staff', i.id::text, null, i.after, ${reason}, ${context.ip ?? null}
          from inserted i
          returning 1
        ), stepped as (
          insert into staff_events (staff_id, event, from_state, to_state, actor_kind, actor_id, reason)
          select i.id, 'create', null, 'draft', 'school', ${actor}, ${reason} from inserted i
          returning 1
        )
        select (select count(*) from inserted) as written, (select count(*) from audited) as audited`);
      const updated = await tx.execute(sql`
        with previous as (
          select s.id, s.status from staff s join import_rows r on r.import_id = ${id} and r.action = 'changed' and s.id = r.staff_id
        ), updated as (
          -- An edit sends a confirmed or approved record back to entry (see record-states.ts); a returned one stays
          -- returned. Either way it is no longer confirmed, so how it was confirmed is cleared.
          update staff s set ${assignments}, findings = coalesce(r.warnings, '[]'::jsonb), version = s.version + 1,
            status = case when s.status = 'returned' then 'returned' else 'draft' end, confirmed_via = null, updated_by = ${actor}, updated_at = now()
          from import_rows r, previous p, jsonb_populate_record(null::staff, r.values) v
          where r.import_id = ${id} and r.action = 'changed' and s.id = r.staff_id and p.id = s.id and s.version = r.staff_version and s.deleted_at is null
          returning s.id, r.changes, p.status as old_status, s.status as new_status
        ), stepped as (
          insert into staff_events (staff_id, event, from_state, to_state, actor_kind, actor_id, reason, changes)
          select u.id, 'edit', u.old_status, u.new_status, 'school', ${actor}, ${reason}, u.changes from updated u
          returning 1
        ), audited as (
          insert into audit_events (${auditColumns})
          select ${who}, 'staff.updated', 'staff', u.id::text,
            (select jsonb_object_agg(key, value -> 'before') from jsonb_each(u.changes)),
            (select jsonb_object_agg(key, value -> 'after') from jsonb_each(u.changes)), ${reason}, ${context.ip ?? null}
          from updated u
          returning 1
        )
        select (select count(*) from updated) as written, (select count(*) from audited) as audited`);
      const [insertCount] = resultRows<{ written: number | string }>(inserted);
      const [updateCount] = resultRows<{ written: number | string }>(updated);
      const written = { new: Number(insertCount.written), changed: Number(updateCount.written) };
      if (written.new !== counts.new || written.changed !== counts.changed) {
        throw new DomainError('stale_version', {
          zh: '预览之后有记录被修改或删除，本次导入未写入任何数据。请重新上传文件以查看最新情况。',
          en: 'Records changed or were deleted after the preview; nothing was written. Upload the file again to see the current state.',
        });
      }
      // Conflicting rows are not imported; each becomes a conflict both schools (and the units above) resolve.
      await tx.execute(sql`
        insert into id_conflicts (campaign_id, id_number, holder_staff_id, holder_school_code, claimant_school_code, claimant_name, import_id, created_by)
        select ${importRow.campaignId}, s.id_number, s.id, s.school_code, ${importRow.schoolCode}, r.values ->> 'name', ${id}, ${actor}
        from import_rows r join staff s on s.campaign_id = ${importRow.campaignId} and s.id_number = r.values ->> 'id_number' and s.deleted_at is null
        where r.import_id = ${id} and r.action = 'conflict' and s.school_code <> ${importRow.schoolCode}
        on conflict (campaign_id, id_number, claimant_school_code) where status = 'open' do nothing`);
      if (counts.conflicts > 0) {
        await tx.execute(sql`
          insert into notifications (unit_code, kind, title, link)
          select distinct unnest(array[c.holder_school_code, c.claimant_school_code]), 'conflict_raised', '有身份证件号冲突待处理：同一人员被两所学校申报', '/conflicts'
          from id_conflicts c where c.import_id = ${id}`);
      }
      const committedCounts = { ...written, unchanged: counts.unchanged, invalid: counts.invalid, conflicts: counts.conflicts };
      await tx.update(imports).set({ committedCounts }).where(eq(imports.id, id));
      await recordAudit(tx, context, {
        action: 'import.committed',
        targetType: 'import',
        targetId: id,
        unitCode: importRow.schoolCode,
        after: committedCounts,
      });
      return committedCounts;
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause ?? (error as { code?: string });
    if (cause?.code === '23505') {
      throw new DomainError('conflict', {
        zh: '预览之后，文件中的某个身份证件号已在本省其他学校录入，本次导入未写入任何数据。请重新上传以查看冲突。',
        en: 'After the preview, an ID number of the file was entered at another school; nothing was written. Upload again to see the conflict.',
      });
    }
    throw error;
  }
}
