import { checkRecord, duplicateFinding } from '../../standard/index.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import { fieldKeys, type Finding, type RawRecord, type StaffValues } from '../../standard/types.ts';
import type { Database, Executor } from '../db/client.ts';
import { DomainError, staleVersion } from '../errors.ts';
import { isUniqueViolation } from '../db/sql-state.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import { currentCampaign } from '../campaign/campaign.service.ts';
import { fieldColumnsOf, findByIdNumber, insertStaff, updateStaffRecord, valuesOf, type StaffRow } from './staff.repository.ts';
import { transition } from '../../contract/record-states.ts';
import { assertUnlocked } from './record-lock.ts';
import { confirmedViaSet, transitionError } from './record-steps.ts';
import { recordEvent } from './record-steps.repository.ts';

type ActorContext = AuditContext & { actor: Actor };
type School = { code: string; name: string; schoolType: SchoolType };

/** Refuses a write whose record breaks the standard, with every finding (same codes and messages as the checker). */
function refuse(findings: Finding[]): never {
  const errors = findings.filter((finding) => finding.severity === 'error');
  throw new DomainError('unprocessable', {
    zh: `记录有 ${errors.length} 处错误，未保存：${errors.map((f) => f.message).join('；')}`,
    en: `The record has ${errors.length} errors and was not saved: ${errors.map((f) => f.messageEn).join('; ')}`,
  }, { findings });
}

async function requireCampaign(executor: Executor) {
  const campaign = await currentCampaign(executor);
  if (!campaign) {
    throw new DomainError('conflict', { zh: '尚未创建采集工作，暂不能录入教职工', en: 'No campaign is running yet; staff cannot be entered' });
  }
  return campaign;
}

/**
 * Runs the standard's rules on a record, then rule 12 against the database: an ID number already at this
 * school, or at another school of the province (named with its county), is refused.
 */
export async function checkForWrite(executor: Executor, campaignId: number, school: School, raw: RawRecord, exceptId?: number) {
  const { values, findings } = checkRecord(raw, { schoolType: school.schoolType, today: new Date() });
  if (findings.some((finding) => finding.severity === 'error')) refuse(findings);
  if (values.idNumber) {
    const holder = await findByIdNumber(executor, campaignId, values.idNumber, exceptId);
    if (holder) {
      const sameSchool = holder.schoolCode === school.code;
      refuse([
        ...findings,
        duplicateFinding(sameSchool ? 'school' : 'province', sameSchool ? holder.schoolName : `${holder.countyName ?? ''}${holder.schoolName}`),
      ]);
    }
  }
  return { values, warnings: findings };
}

/** Maps the database's unique-index refusal (two writers racing on one ID number) to rule 12's answer. */
async function guardUnique<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) refuse([duplicateFinding('province', '')]);
    throw error;
  }
}

/** 新增教职工: a school adds one record; it starts as a draft. */
export async function createStaff(db: Database, context: ActorContext, school: School, raw: RawRecord) {
  const campaign = await requireCampaign(db);
  await assertUnlocked(db, campaign.id, school.code);
  const { values, warnings } = await checkForWrite(db, campaign.id, school, raw);
  return guardUnique(() =>
    db.transaction(async (tx) => {
      const row = await insertStaff(tx, {
        campaignId: campaign.id,
        schoolCode: school.code,
        ...fieldColumnsOf(values),
        findings: warnings,
        createdBy: context.actor.id,
        updatedBy: context.actor.id,
      });
      await recordEvent(tx, { staffId: row.id, event: 'create', from: null, to: 'draft', actorKind: 'school', actorId: context.actor.id });
      await recordAudit(tx, context, { action: 'staff.created', targetType: 'staff', targetId: row.id, unitCode: school.code, after: values });
      return row;
    }),
  );
}

/** Only the fields that changed, as before/after pairs for the audit log and history. */
export function changedFields(before: StaffValues, after: StaffValues) {
  const diff: Record<string, { before: string | null; after: string | null }> = {};
  for (const key of fieldKeys) {
    if (before[key] !== after[key]) diff[key] = { before: before[key], after: after[key] };
  }
  return diff;
}

/** 修改教职工: the given fields replace the current ones; the whole record is checked again. */
export async function updateStaff(db: Database, context: ActorContext, school: School, row: StaffRow, input: { version: number; values: RawRecord }) {
  if (input.version !== row.version) throw staleVersion();
  await assertUnlocked(db, row.campaignId, row.schoolCode);
  const step = transition(row.status, 'edit', 'school');
  if (!step.ok) throw transitionError(step, 'edit');
  const before = valuesOf(row);
  const { values, warnings } = await checkForWrite(db, row.campaignId, school, { ...before, ...input.values }, row.id);
  const diff = changedFields(before, values);
  if (Object.keys(diff).length === 0) return row;
  return guardUnique(() =>
    db.transaction(async (tx) => {
      const updated = await updateStaffRecord(tx, row.id, { version: input.version, live: true }, {
        ...fieldColumnsOf(values),
        findings: warnings,
        status: step.to,
        ...confirmedViaSet('edit', step.to),
        updatedBy: context.actor.id,
        updatedAt: new Date(),
      });
      if (!updated) throw staleVersion();
      await recordEvent(tx, { staffId: row.id, event: 'edit', from: step.from, to: step.to, actorKind: 'school', actorId: context.actor.id, changes: diff });
      await recordAudit(tx, context, {
        action: 'staff.updated',
        targetType: 'staff',
        targetId: row.id,
        unitCode: school.code,
        before: Object.fromEntries(Object.entries(diff).map(([key, change]) => [key, change.before])),
        after: Object.fromEntries(Object.entries(diff).map(([key, change]) => [key, change.after])),
      });
      return updated;
    }),
  );
}

/** 删除教职工 (soft): the record leaves every list but stays in the audit trail. */
export async function deleteStaff(db: Database, context: ActorContext, row: StaffRow, input: { version: number; reason?: string }) {
  await assertUnlocked(db, row.campaignId, row.schoolCode);
  await db.transaction(async (tx) => {
    const deleted = await updateStaffRecord(tx, row.id, { version: input.version, live: true }, { deletedAt: new Date(), deletedBy: context.actor.id });
    if (!deleted) throw staleVersion();
    await recordAudit(tx, context, {
      action: 'staff.deleted',
      targetType: 'staff',
      targetId: row.id,
      unitCode: row.schoolCode,
      before: { name: row.name, idNumber: row.idNumber },
      reason: input.reason ?? null,
    });
  });
}

/** 查看完整证件号: returns the full ID number and the birth date it holds, and audits who saw them. */
export async function revealIdNumber(db: Database, context: ActorContext, row: StaffRow) {
  await recordAudit(db, context, {
    action: 'staff.id_revealed',
    targetType: 'staff',
    targetId: row.id,
    unitCode: row.schoolCode,
  });
  return { idNumber: row.idNumber, birthDate: row.birthDate };
}
