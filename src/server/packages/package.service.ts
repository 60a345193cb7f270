import { createHash } from 'node:crypto';
import { fieldKeys } from '../../standard/types.ts';
import type { ConfirmedVia } from '../../contract/record-states.ts';
import { packageStatusesFor, packageStatusLabels, packageTransition, refusedWhileStale, standsSigned, type PackageActor, type PackageEvent } from '../../contract/package-states.ts';
import type { ReturnInput } from '../../contract/packages.schema.ts';
import type { Database, Executor } from '../db/client.ts';
import { isUniqueViolation } from '../db/sql-state.ts';
import { DomainError } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import { findUnit, type UnitRow } from '../org/units.repository.ts';
import { currentCampaign } from '../campaign/campaign.service.ts';
import { recordEvent } from '../staff/record-steps.repository.ts';
import { childReadiness } from './readiness.ts';
import {
  childPackageFigures,
  childUnits,
  findPackage,
  heldRecords,
  insertPackage,
  insertSignoff,
  latestPackages,
  latestSignoff,
  liveSchoolRecords,
  markChainStale,
  movePackage,
  returnPackageItem,
  staleChildPackage,
  type PackageRow,
} from './packages.repository.ts';
import { openConflictCount } from '../conflicts/conflicts.repository.ts';
import { notify } from '../notifications/notifications.service.ts';

type ActorContext = AuditContext & { actor: Actor };
export type { PackageRow };
export { standsSigned };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function requireCampaign(executor: Executor) {
  const campaign = await currentCampaign(executor);
  if (!campaign) throw new DomainError('conflict', { zh: '尚未创建采集工作', en: 'No campaign is running yet' });
  return campaign;
}

/** A school's record as it is frozen into a package: its values in `fieldKeys` order, hashed. */
export function frozenContent(row: Record<(typeof fieldKeys)[number], string | null>) {
  const content = fieldKeys.map((key) => row[key] ?? null);
  return { content, contentHash: sha256(JSON.stringify(content)) };
}

/** A school's package hash: its records in id order, each by id and content hash. */
export const schoolPackageHash = (items: { staffId: number; contentHash: string }[]) => sha256(items.map((item) => `${item.staffId}:${item.contentHash}`).join(','));

/** An area's package hash: its children in code order, each by code and package hash, so the top hash covers every record. */
export const areaPackageHash = (children: { code: string; contentHash: string }[]) => sha256(children.map((child) => `${child.code}:${child.contentHash}`).join(','));

type Blocker = { zh: string; en: string; link?: string };
type FrozenItem = { staffId: number; content: (string | null)[]; contentHash: string; confirmedVia: ConfirmedVia | null };
/** What a unit would submit now: a school's frozen records, or an area's approved child packages. */
type Snapshot = {
  items: FrozenItem[];
  children: number[];
  recordCount: number;
  expectedCount: number;
  phoneConfirmed: number;
  paperConfirmed: number;
  contentHash: string;
  blockers: Blocker[];
  missing: Awaited<ReturnType<typeof childReadiness>>;
};

/**
 * What a unit would submit now: for a school, its live records (each frozen with its content and hash); for
 * an area, the approved packages of the units reporting to it. `blockers` says why it cannot be submitted.
 */
export async function snapshot(executor: Executor, campaignId: number, unit: UnitRow): Promise<Snapshot> {
  if (unit.kind === 'school') {
    const rows = await liveSchoolRecords(executor, campaignId, unit.code);
    const items: FrozenItem[] = rows.map((row) => ({ staffId: row.id, ...frozenContent(row), confirmedVia: row.confirmedVia }));
    const notApproved = rows.filter((row) => row.status !== 'approved').length;
    const conflicts = await openConflictCount(executor, campaignId, unit.code);
    const expectedCount = unit.expectedStaff ?? 0;
    const blockers: Blocker[] = [
      // Each names the page where it is dealt with.
      ...(unit.closedOn ? [{ zh: `本校已于 ${unit.closedOn} 撤销，不再报送`, en: `The school closed on ${unit.closedOn} and no longer submits` }] : []),
      ...(rows.length === 0 && expectedCount > 0 ? [{ zh: `应有 ${expectedCount} 人，尚无一条记录：不能报送空的报送包`, en: `${expectedCount} staff are expected and there are no records: an empty package cannot be submitted`, link: `/units/${unit.code}` }] : []),
      ...(notApproved > 0 ? [{ zh: `还有 ${notApproved} 条记录未审核通过`, en: `${notApproved} records are not approved yet`, link: `/units/${unit.code}` }] : []),
      ...(conflicts > 0 ? [{ zh: `还有 ${conflicts} 个身份证件号冲突未解决`, en: `${conflicts} ID number conflicts are unresolved`, link: `/units/${unit.code}/conflicts` }] : []),
    ];
    return {
      items,
      children: [],
      recordCount: rows.length,
      expectedCount,
      phoneConfirmed: items.filter((item) => item.confirmedVia === 'phone').length,
      paperConfirmed: items.filter((item) => item.confirmedVia === 'paper').length,
      contentHash: schoolPackageHash(items),
      blockers,
      missing: [],
    };
  }
  const children = await childReadiness(executor, campaignId, unit.code);
  const missing = children.filter((child) => child.state !== 'approved');
  const approvedIds = children.filter((child) => child.state === 'approved').map((child) => child.packageId!);
  const approved = await childPackageFigures(executor, approvedIds);
  const sum = (key: 'recordCount' | 'expectedCount' | 'phoneConfirmed' | 'paperConfirmed') => approved.reduce((total, child) => total + child[key], 0);
  const stale = missing.filter((child) => child.state === 'stale');
  return {
    items: [],
    children: approved.map((child) => child.id),
    recordCount: sum('recordCount'),
    expectedCount: sum('expectedCount'),
    phoneConfirmed: sum('phoneConfirmed'),
    paperConfirmed: sum('paperConfirmed'),
    contentHash: areaPackageHash(approved),
    blockers: [
      ...(missing.length > 0 ? [{ zh: `还有 ${missing.length} 个下级单位未通过审核`, en: `${missing.length} units reporting here are not approved yet`, link: `/units/${unit.code}/inbox` }] : []),
      ...stale.map((child) => ({ zh: `${child.name}（${child.code}）需重新审核：${child.staleCause ?? ''}`, en: `${child.name} (${child.code}) needs review again: ${child.staleCause ?? ''}`, link: `/units/${unit.code}/inbox` })),
    ],
    missing,
  };
}

function countGap(recordCount: number, expectedCount: number, explanation: string | undefined) {
  if (recordCount !== expectedCount && !explanation?.trim()) {
    return new DomainError('validation_failed', {
      zh: `实有 ${recordCount} 人，应有 ${expectedCount} 人，请说明差异原因后再签字`,
      en: `${recordCount} records against ${expectedCount} expected: explain the difference before signing`,
    }, [{ field: 'explanation', code: 'required' }]);
  }
  return null;
}

/** 负责人签字: the leader signs the unit's data as they stand; anything blocking the submission refuses it. */
export async function signOff(db: Database, context: ActorContext, unit: UnitRow, input: { explanation?: string }) {
  const campaign = await requireCampaign(db);
  const current = await snapshot(db, campaign.id, unit);
  if (current.blockers.length > 0) throw new DomainError('conflict', { zh: current.blockers.map((b) => b.zh).join('；'), en: current.blockers.map((b) => b.en).join('; ') }, { missing: current.missing });
  const gap = countGap(current.recordCount, current.expectedCount, input.explanation);
  if (gap) throw gap;
  return db.transaction(async (tx) => {
    const row = await insertSignoff(tx, { campaignId: campaign.id, unitCode: unit.code, contentHash: current.contentHash, recordCount: current.recordCount, explanation: input.explanation?.trim() || null, signedBy: context.actor.id });
    await recordAudit(tx, context, { action: 'unit.signed_off', targetType: 'unit', targetId: unit.code, unitCode: unit.code, after: { recordCount: current.recordCount, contentHash: current.contentHash } });
    return row;
  });
}

/** When the last word on a package was said: its submission, its return or reopening, or its stale mark. */
const lastWordOn = (pkg: PackageRow) => Math.max(pkg.submittedAt.getTime(), pkg.decidedAt?.getTime() ?? 0, pkg.staleAt?.getTime() ?? 0);

/**
 * Two submissions of one version at once (a double click, two people at two desks): the unique version index
 * lets one through, and the other is told it is already done.
 */
const alreadySubmitted = () =>
  new DomainError('conflict', {
    zh: '本单位刚刚已报送（他人同时报送或重复点击），请刷新页面查看',
    en: 'This unit has just been submitted (by someone else at the same time, or by a second click); reload the page to see it',
  }, { alreadySubmitted: true });

/**
 * 报送: freezes the signed data as a new package version for the reporting unit above — a school's records
 * with their content, an area's approved child packages. Refused while anything blocks it, while a package
 * is under review or approved (unless it was marked stale), when the data changed since the leader signed,
 * or when the leader signed before the last package was returned, reopened or marked stale (sign again).
 */
export async function submitPackage(db: Database, context: ActorContext, unit: UnitRow) {
  const campaign = await requireCampaign(db);
  const current = await snapshot(db, campaign.id, unit);
  if (current.blockers.length > 0) throw new DomainError('conflict', { zh: current.blockers.map((b) => b.zh).join('；'), en: current.blockers.map((b) => b.en).join('; ') }, { missing: current.missing });
  const signoff = await latestSignoff(db, campaign.id, unit.code);
  const latest = (await latestPackages(db, campaign.id, [unit.code])).get(unit.code);
  if (!signoff || signoff.contentHash !== current.contentHash) {
    throw new DomainError('conflict', { zh: signoff ? '签字后数据有变化，请负责人重新签字后再报送' : '请先由负责人签字，再报送', en: signoff ? 'The data changed since the leader signed; sign again before submitting' : 'The leader must sign before the submission' });
  }
  // The province reports to no unit here: its submission is the final review (终审), approved as it is made.
  const final = unit.parentCode === null;
  const step = packageTransition(latest, final ? 'submit_final' : 'submit', 'unit');
  if (!step.ok) {
    throw new DomainError('conflict', { zh: latest!.status === 'submitted' ? '已报送，正在等待上级审核' : '已审核通过，如需修改请上级重新打开', en: latest!.status === 'submitted' ? 'Already submitted, awaiting review' : 'Already approved; ask the level above to reopen it' });
  }
  if (latest && signoff.signedAt.getTime() <= lastWordOn(latest)) {
    const why = latest.staleAt ? '需重新审核' : latest.returnCategory === 'reopened' ? '被重新打开' : '被退回';
    throw new DomainError('conflict', {
      zh: `第 ${latest.versionNo} 版${why}后，须由负责人重新签字才能再次报送`,
      en: `Version ${latest.versionNo} was ${latest.staleAt ? 'marked for review again' : 'returned'}: the leader must sign again before it is submitted again`,
    }, { needsSignoff: true });
  }
  return db.transaction(async (tx) => {
    const pkg = await insertPackage(
      tx,
      {
        campaignId: campaign.id,
        unitCode: unit.code,
        receiverCode: unit.parentCode,
        versionNo: (latest?.versionNo ?? 0) + 1,
        status: step.to,
        ...(final ? { decidedBy: context.actor.id, decidedAt: new Date(), approvedAt: new Date() } : {}),
        recordCount: current.recordCount,
        expectedCount: current.expectedCount,
        phoneConfirmed: current.phoneConfirmed,
        paperConfirmed: current.paperConfirmed,
        explanation: signoff.explanation,
        contentHash: current.contentHash,
        signedBy: signoff.signedBy,
        signedAt: signoff.signedAt,
        submittedBy: context.actor.id,
      },
      current.items,
      current.children,
    );
    if (pkg.receiverCode) {
      await notify(tx, [{ unitCode: pkg.receiverCode, kind: 'package_received', title: `${unit.name} 已报送（第 ${pkg.versionNo} 版，${pkg.recordCount} 人），待审核`, link: `/packages/${pkg.id}` }]);
    }
    await recordAudit(tx, context, { action: final ? 'package.final_approved' : 'package.submitted', targetType: 'package', targetId: pkg.id, unitCode: unit.code, after: { versionNo: pkg.versionNo, recordCount: pkg.recordCount, receiver: pkg.receiverCode, contentHash: pkg.contentHash } });
    return pkg;
  }).catch((error: unknown) => {
    throw isUniqueViolation(error, 'packages_unit_version_idx') ? alreadySubmitted() : error;
  });
}

/**
 * Refuses `event` when the package's status does not allow it. A stale mark is left to the caller, which
 * says why it refuses (`approvalRefusal`).
 */
function requireState(pkg: PackageRow, event: PackageEvent, by: PackageActor) {
  const step = packageTransition(pkg, event, by);
  if (!step.ok && step.reason !== 'stale') {
    const label = packageStatusLabels[pkg.status]?.zh ?? pkg.status;
    throw new DomainError('conflict', { zh: `该报送包状态为“${label}”，不能执行此操作`, en: `The package is ${pkg.status}` }, { state: pkg.status });
  }
}

/** The guard of the update that fires `event`: the statuses it moves from, and no stale mark where one refuses it. */
const guardOf = (event: PackageEvent) => ({ from: packageStatusesFor(event), notStale: refusedWhileStale(event) });

/** The package as another decision just left it (that decision won the race; say what state it is in now). */
async function reread(executor: Executor, pkg: PackageRow): Promise<PackageRow> {
  return (await findPackage(executor, pkg.id)) ?? pkg;
}

/**
 * Why a package cannot be approved as it stands: it (or a child package it froze) was marked stale after it
 * was submitted, or it holds fewer records than expected and the receiver has not accepted the shortfall.
 */
async function approvalRefusal(executor: Executor, pkg: PackageRow, unitName: string, input: { acceptShortfall?: boolean }) {
  if (pkg.staleAt) {
    return new DomainError('conflict', {
      zh: `${unitName}的第 ${pkg.versionNo} 版报送提交后下级数据有变化，需重新审核：${pkg.staleCause ?? ''}。请退回，由其重新签字报送`,
      en: `${unitName}'s version ${pkg.versionNo} changed below after it was submitted (${pkg.staleCause ?? ''}): return it to be signed and submitted again`,
    }, { stale: true });
  }
  const staleChild = await staleChildPackage(executor, pkg.id);
  if (staleChild) {
    return new DomainError('conflict', {
      zh: `下级单位 ${staleChild.unitCode} 的报送需重新审核（${staleChild.cause ?? ''}），不能通过${unitName}的报送`,
      en: `${staleChild.unitCode}'s package needs review again (${staleChild.cause ?? ''}): ${unitName}'s package cannot be approved`,
    }, { stale: true, unitCode: staleChild.unitCode });
  }
  if (pkg.recordCount < pkg.expectedCount && !input.acceptShortfall) {
    return new DomainError('validation_failed', {
      zh: `${unitName}报送 ${pkg.recordCount} 人，应有 ${pkg.expectedCount} 人，少 ${pkg.expectedCount - pkg.recordCount} 人：须确认接受人数差异（说明：${pkg.explanation ?? '无'}）后才能通过`,
      en: `${unitName} submitted ${pkg.recordCount} of ${pkg.expectedCount} expected staff: accept the shortfall explicitly to approve`,
    }, [{ field: 'acceptShortfall', code: 'required' }]);
  }
  return null;
}

/**
 * 审核通过: the receiving unit approves; the data stay locked. A short package needs the receiver's explicit
 * acceptance of the shortfall, recorded with the approval; a package marked stale is returned, not approved.
 */
export async function approvePackage(db: Database, context: ActorContext, pkg: PackageRow, input: { acceptShortfall?: boolean; shortfallNote?: string } = {}) {
  requireState(pkg, 'approve', 'receiver');
  const unit = await findUnit(db, pkg.unitCode);
  const refusal = await approvalRefusal(db, pkg, unit?.name ?? pkg.unitCode, input);
  if (refusal) throw refusal;
  const short = pkg.recordCount < pkg.expectedCount;
  return db.transaction(async (tx) => {
    const row = await movePackage(tx, pkg.id, guardOf('approve'), {
      status: 'approved',
      decidedBy: context.actor.id,
      decidedAt: new Date(),
      approvedAt: new Date(),
      ...(short ? { shortfallAcceptedBy: context.actor.id, shortfallNote: input.shortfallNote?.trim() || null } : {}),
    });
    if (!row) {
      const now = await reread(tx, pkg);
      requireState(now, 'approve', 'receiver');
      throw (await approvalRefusal(tx, now, unit?.name ?? pkg.unitCode, input))!;
    }
    await notify(tx, [{ unitCode: pkg.unitCode, kind: 'package_approved', title: `第 ${pkg.versionNo} 版报送已审核通过${short ? `（接受人数差异 ${pkg.expectedCount - pkg.recordCount} 人）` : ''}`, link: `/packages/${pkg.id}` }]);
    await recordAudit(tx, context, {
      action: 'package.approved',
      targetType: 'package',
      targetId: pkg.id,
      unitCode: pkg.unitCode,
      after: short ? { shortfall: pkg.expectedCount - pkg.recordCount, recordCount: pkg.recordCount, expectedCount: pkg.expectedCount, shortfallAccepted: true, note: input.shortfallNote?.trim() || null } : { recordCount: pkg.recordCount },
    });
    return row;
  });
}

/**
 * 退回: whole, or row by row for a school's package — each returned record goes back to the school marked
 * 已退回 with its reason. A reason category and text are required. The unit's data unlock.
 */
export async function returnPackage(
  db: Database,
  context: ActorContext,
  pkg: PackageRow,
  input: { category: ReturnInput['category']; reason: string; items?: { staffId: number; reason: string }[] },
) {
  requireState(pkg, 'return', 'receiver');
  const items = input.items ?? [];
  if (items.length > 0) {
    const held = await heldRecords(db, pkg.id, items.map((i) => i.staffId));
    const foreign = items.filter((item) => !held.has(item.staffId));
    if (foreign.length > 0) throw new DomainError('validation_failed', { zh: `记录 ${foreign.map((f) => f.staffId).join('、')} 不在该报送包中`, en: `Records ${foreign.map((f) => f.staffId).join(', ')} are not in this package` });
  }
  return db.transaction(async (tx) => {
    const row = await movePackage(tx, pkg.id, guardOf('return'), { status: 'returned', decidedBy: context.actor.id, decidedAt: new Date(), returnCategory: input.category, returnReason: input.reason });
    if (!row) requireState(await reread(tx, pkg), 'return', 'receiver');
    for (const item of items) {
      const moved = await returnPackageItem(tx, pkg.id, item.staffId, item.reason);
      if (moved) await recordEvent(tx, { staffId: item.staffId, event: 'return', from: 'approved', to: 'returned', actorKind: 'school', actorId: context.actor.id, reason: `${pkg.receiverCode ?? ''}：${item.reason}` });
    }
    await notify(tx, [{ unitCode: pkg.unitCode, kind: 'package_returned', title: `第 ${pkg.versionNo} 版报送被退回${items.length ? `（${items.length} 条记录）` : ''}`, body: input.reason, link: `/packages/${pkg.id}` }]);
    await recordAudit(tx, context, { action: 'package.returned', targetType: 'package', targetId: pkg.id, unitCode: pkg.unitCode, reason: input.reason, after: { category: input.category, items: items.length } });
    return row;
  });
}

/** 重新打开: a level above reopens an approved package with a reason; the unit may change and resubmit. */
export async function reopenPackage(db: Database, context: ActorContext, pkg: PackageRow, reason: string) {
  requireState(pkg, 'reopen', 'above');
  return db.transaction(async (tx) => {
    const row = await movePackage(tx, pkg.id, guardOf('reopen'), { status: 'returned', returnCategory: 'reopened', returnReason: reason, decidedBy: context.actor.id, decidedAt: new Date() });
    if (!row) requireState(await reread(tx, pkg), 'reopen', 'above');
    await notify(tx, [{ unitCode: pkg.unitCode, kind: 'package_returned', title: `已通过的第 ${pkg.versionNo} 版报送被上级重新打开`, body: reason, link: `/packages/${pkg.id}` }]);
    // Everything signed above it was built on it.
    const unit = await findUnit(tx, pkg.unitCode);
    await markChainStale(tx, pkg.campaignId, pkg.unitCode, `${unit?.name ?? pkg.unitCode}（${pkg.unitCode}）已通过的第 ${pkg.versionNo} 版报送被重新打开：${reason}`);
    await recordAudit(tx, context, { action: 'package.reopened', targetType: 'package', targetId: pkg.id, unitCode: pkg.unitCode, reason });
    return row;
  });
}

/** The packages a unit receives: the latest of each unit reporting to it. */
export async function inbox(executor: Executor, campaignId: number, unitCode: string) {
  const children = await childUnits(executor, unitCode, { openOnly: false });
  const latest = await latestPackages(executor, campaignId, children.map((child) => child.code));
  return children.flatMap((child) => {
    const pkg = latest.get(child.code);
    return pkg ? [{ unit: child, pkg }] : [];
  });
}
