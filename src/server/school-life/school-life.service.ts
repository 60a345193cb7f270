import type { Database, Executor } from '../db/client.ts';
import { DomainError, notFound, staleVersion } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import { authorize } from '../policy/can.ts';
import type { Actor } from '../policy/actor.ts';
import { currentCampaign } from '../campaign/campaign.service.ts';
import { markChainStale } from '../packages/packages.repository.ts';
import { notify } from '../notifications/notifications.service.ts';
import { countLiveStaff, moveSchoolStaff } from '../staff/staff.repository.ts';
import { insertStepsInPlace } from '../staff/record-steps.repository.ts';
import { openConflictCount } from '../conflicts/conflicts.repository.ts';
import { disableAccountsOfUnit } from '../accounts/accounts.repository.ts';
import { findUnit, updateUnit, type UnitRow } from '../org/units.repository.ts';
import { isWithin, unitRefOf } from '../../contract/unit-tree.ts';

type ActorContext = AuditContext & { actor: Actor };

/** The codes of a unit's chain, from the province down to the unit itself. */
const chainCodes = (path: string) => path.split('.').filter(Boolean);

/** The nearest unit holding both paths (for a move: the two counties' common parent). */
export function commonParentCode(a: string, b: string): string | undefined {
  const left = chainCodes(a);
  const right = chainCodes(b);
  let common: string | undefined;
  for (let index = 0; index < Math.min(left.length, right.length) && left[index] === right[index]; index += 1) common = left[index];
  return common;
}

/**
 * Marks every signed package above a school (and the school's own with `includeSelf`) as needing review
 * again, in the transaction of the change; nothing happens before a campaign runs.
 */
export async function schoolChanged(executor: Executor, unitCode: string, cause: string, options: { includeSelf?: boolean } = {}) {
  const campaign = await currentCampaign(executor);
  if (!campaign) return [];
  return markChainStale(executor, campaign.id, unitCode, cause, options);
}

/**
 * `schoolChanged` for many new schools (a school list): the campaign is looked up once, nothing happens before one
 * runs. Schools with one reporting unit share the chain above them, and the first marks it (later marks find it
 * marked already), so one school per reporting unit is marked: the same result in a few calls instead of 20,000.
 */
export async function schoolsChanged(executor: Executor, changes: { unitCode: string; parentCode: string | null; cause: string }[]) {
  if (changes.length === 0) return;
  const campaign = await currentCampaign(executor);
  if (!campaign) return;
  const firstOfParent = new Map<string | null, (typeof changes)[number]>();
  for (const change of changes) if (!firstOfParent.has(change.parentCode)) firstOfParent.set(change.parentCode, change);
  for (const change of firstOfParent.values()) await markChainStale(executor, campaign.id, change.unitCode, change.cause);
}

/** A school moved from one reporting unit to another: both chains need review again; both units and their common parent are told. */
export async function schoolMoved(executor: Executor, school: { code: string; name: string }, from: UnitRow, to: UnitRow) {
  const cause = `学校「${school.name}」（${school.code}）由 ${from.name} 移至 ${to.name}`;
  await schoolChanged(executor, from.code, cause, { includeSelf: true });
  await schoolChanged(executor, school.code, cause, { includeSelf: true });
  const common = commonParentCode(from.path, to.path);
  const told = [...new Set([from.code, to.code, ...(common ? [common] : [])])];
  await notify(executor, told.map((unitCode) => ({ unitCode, kind: 'school_moved' as const, title: cause, link: `/units/${school.code}` })));
}

async function liveRecords(executor: Executor, campaignId: number | undefined, schoolCode: string) {
  if (campaignId === undefined) return 0;
  return countLiveStaff(executor, campaignId, schoolCode);
}

function requireOpen(school: UnitRow) {
  if (school.kind !== 'school') throw notFound();
  if (school.closedOn) {
    throw new DomainError('conflict', { zh: `${school.name}已于 ${school.closedOn} 撤销`, en: `${school.name} closed on ${school.closedOn}` }, { closedOn: school.closedOn });
  }
}

export type CloseSchoolInput = { closedOn: string; reason: string; version: number };

/**
 * 撤销学校: a level above the school closes it on a day, with a reason. A school that still holds records is
 * merged instead (its staff would otherwise leave the census). The school leaves the expected set and the
 * missing lists; every signed package above it needs review again; its accounts are disabled. Audited.
 */
export async function closeSchool(db: Database, context: ActorContext, school: UnitRow, input: CloseSchoolInput) {
  requireOpen(school);
  authorize(context.actor, 'school.lifecycle', unitRefOf(school));
  const campaign = await currentCampaign(db);
  const records = await liveRecords(db, campaign?.id, school.code);
  if (records > 0) {
    throw new DomainError('conflict', {
      zh: `${school.name}还有 ${records} 条教职工记录，不能直接撤销：请先将其合并到接收的学校`,
      en: `${school.name} still holds ${records} staff records: merge it into the school that takes them instead`,
    }, { records });
  }
  return db.transaction(async (tx) => {
    const row = await updateUnit(tx, school.code, { version: input.version, open: true }, { closedOn: input.closedOn, closedReason: input.reason, updatedBy: context.actor.id, updatedAt: new Date() });
    if (!row) throw staleVersion();
    await disableAccountsOfUnit(tx, school.code);
    await schoolChanged(tx, school.code, `学校「${school.name}」（${school.code}）于 ${input.closedOn} 撤销：${input.reason}`);
    await recordAudit(tx, context, { action: 'school.closed', targetType: 'unit', targetId: school.code, unitCode: school.code, before: { closedOn: null }, after: { closedOn: input.closedOn }, reason: input.reason });
    return row;
  });
}

export type MergeSchoolInput = CloseSchoolInput & { into: string };

/**
 * 合并学校: a school is merged into another (both in the actor's subtree). Its live records move to the
 * receiving school with their history (each gets a history step saying so), the school closes with the
 * receiver named, and the signed packages above both schools — and the receiver's own — need review again.
 */
export async function mergeSchool(db: Database, context: ActorContext, school: UnitRow, input: MergeSchoolInput) {
  requireOpen(school);
  authorize(context.actor, 'school.lifecycle', unitRefOf(school));
  const target = await findUnit(db, input.into);
  if (!target || target.kind !== 'school' || !isWithin(target, context.actor.unit)) {
    throw notFound({ zh: `接收学校 ${input.into} 不存在或不在您的管辖范围内`, en: `School ${input.into} not found or outside your scope` });
  }
  if (target.code === school.code) throw new DomainError('validation_failed', { zh: '不能合并到本校自身', en: 'A school cannot be merged into itself' }, [{ field: 'into', code: 'same' }]);
  requireOpen(target);
  const campaign = await currentCampaign(db);
  if (campaign) {
    const open = await openConflictCount(db, campaign.id, school.code);
    if (open > 0) {
      throw new DomainError('conflict', { zh: `${school.name}还有 ${open} 个身份证件号冲突未解决，请先处理后再合并`, en: `${school.name} has ${open} open ID conflicts: resolve them before the merge` }, { conflicts: open });
    }
  }
  const cause = `学校「${school.name}」（${school.code}）于 ${input.closedOn} 合并至「${target.name}」（${target.code}）：${input.reason}`;
  return db.transaction(async (tx) => {
    const row = await updateUnit(tx, school.code, { version: input.version, open: true }, {
      closedOn: input.closedOn,
      closedReason: input.reason,
      mergedInto: target.code,
      updatedBy: context.actor.id,
      updatedAt: new Date(),
    });
    if (!row) throw staleVersion();
    // The marks come first, so they carry the merge as their cause (the records' move would mark them too).
    await schoolChanged(tx, school.code, cause);
    await schoolChanged(tx, target.code, cause, { includeSelf: true });
    let moved = 0;
    if (campaign) {
      const movedRows = await moveSchoolStaff(tx, campaign.id, school.code, target.code, context.actor.id);
      moved = movedRows.length;
      await insertStepsInPlace(tx, movedRows.map((r) => r.id), {
        event: 'school_merged',
        actorKind: 'school',
        actorId: context.actor.id,
        reason: cause,
        changes: { schoolCode: { before: school.code, after: target.code } },
      });
    }
    await disableAccountsOfUnit(tx, school.code);
    await notify(tx, [{ unitCode: target.code, kind: 'school_moved', title: cause, body: `${moved} 名教职工的记录已转入本校`, link: `/units/${target.code}` }]);
    await recordAudit(tx, context, { action: 'school.merged', targetType: 'unit', targetId: school.code, unitCode: school.code, before: { closedOn: null }, after: { closedOn: input.closedOn, into: target.code, moved }, reason: input.reason });
    return { school: row, into: target, moved };
  });
}
