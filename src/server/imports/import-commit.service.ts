import type { Database } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { isUniqueViolation } from '../db/sql-state.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import { claimImport, updateImport, type ImportCounts, type ImportRow } from './imports.repository.ts';
import { writeChangedRecords, writeNewRecords } from './import-commit.repository.ts';
import { assertUnlocked } from '../staff/record-lock.ts';
import { insertImportConflicts, schoolsInImportConflicts } from '../conflicts/conflicts.repository.ts';
import { notify } from '../notifications/notifications.service.ts';

type ActorContext = AuditContext & { actor: Actor };

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
      if (!(await claimImport(tx, id, actor))) throw stateError('committed');
      // Each statement writes its records, their history steps and their audit events (one per record) together.
      const write = { importId: id, campaignId: importRow.campaignId, schoolCode: importRow.schoolCode, actorId: actor };
      const written = { new: await writeNewRecords(tx, context, write), changed: await writeChangedRecords(tx, context, write) };
      if (written.new !== counts.new || written.changed !== counts.changed) {
        throw new DomainError('stale_version', {
          zh: '预览之后有记录被修改或删除，本次导入未写入任何数据。请重新上传文件以查看最新情况。',
          en: 'Records changed or were deleted after the preview; nothing was written. Upload the file again to see the current state.',
        });
      }
      // Conflicting rows are not imported; each becomes a conflict both schools (and the units above) resolve.
      await insertImportConflicts(tx, { campaignId: importRow.campaignId, schoolCode: importRow.schoolCode, importId: id, createdBy: actor });
      if (counts.conflicts > 0) {
        const schools = await schoolsInImportConflicts(tx, id);
        await notify(tx, schools.map((unitCode) => ({ unitCode, kind: 'conflict_raised' as const, title: '有身份证件号冲突待处理：同一人员被两所学校申报', link: '/conflicts' })));
      }
      const committedCounts = { ...written, unchanged: counts.unchanged, invalid: counts.invalid, conflicts: counts.conflicts };
      await updateImport(tx, id, { committedCounts });
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
    if (isUniqueViolation(error)) {
      throw new DomainError('conflict', {
        zh: '预览之后，文件中的某个身份证件号已在本省其他学校录入，本次导入未写入任何数据。请重新上传以查看冲突。',
        en: 'After the preview, an ID number of the file was entered at another school; nothing was written. Upload again to see the conflict.',
      });
    }
    throw error;
  }
}
