import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { fieldKeys } from '../../standard/types.ts';
import type { Database, Executor } from '../db/client.ts';
import { isUniqueViolation } from '../db/sql-state.ts';
import { packageChildren, packageItems, packages, signoffs, staff, units } from '../db/schema.ts';
import { DomainError } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import type { UnitRow } from '../org/units.repository.ts';
import { currentCampaign } from '../campaign/campaign.service.ts';
import { recordEvent } from '../workflow/record-workflow.service.ts';
import { childReadiness, latestPackages } from './readiness.ts';
import type { ConfirmedVia } from '../../contract/record-states.ts';
import { markChainStale } from './chain.ts';
import { openConflictCount } from '../conflicts/conflicts.service.ts';
import { notify } from '../notifications/notifications.service.ts';

type ActorContext = AuditContext & { actor: Actor };
export type PackageRow = typeof packages.$inferSelect;

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

/**
 * What a unit would submit now: for a school, its live records (each frozen with its content and hash); for
 * an area, the approved packages of the units reporting to it. `blockers` says why it cannot be submitted.
 */
export async function snapshot(executor: Executor, campaignId: number, unit: UnitRow) {
  if (unit.kind === 'school') {
    const rows = await executor
      .select()
      .from(staff)
      .where(and(eq(staff.campaignId, campaignId), eq(staff.schoolCode, unit.code), isNull(staff.deletedAt)))
      .orderBy(asc(staff.id));
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
      children: [] as number[],
      recordCount: rows.length,
      expectedCount,
      phoneConfirmed: items.filter((item) => item.confirmedVia === 'phone').length,
      paperConfirmed: items.filter((item) => item.confirmedVia === 'paper').length,
      contentHash: schoolPackageHash(items),
      blockers,
      missing: [] as Awaited<ReturnType<typeof childReadiness>>,
    };
  }
  const children = await childReadiness(executor, campaignId, unit.code);
  const missing = children.filter((child) => child.state !== 'approved');
  const approvedIds = children.filter((child) => child.state === 'approved').map((child) => child.packageId!);
  const approved = approvedIds.length
    ? await executor
        .select({ id: packages.id, code: packages.unitCode, contentHash: packages.contentHash, recordCount: packages.recordCount, expectedCount: packages.expectedCount, phoneConfirmed: packages.phoneConfirmed, paperConfirmed: packages.paperConfirmed })
        .from(packages)
        .where(inArray(packages.id, approvedIds))
        .orderBy(asc(packages.unitCode))
    : [];
  const sum = (key: 'recordCount' | 'expectedCount' | 'phoneConfirmed' | 'paperConfirmed') => approved.reduce((total, child) => total + child[key], 0);
  const stale = missing.filter((child) => child.state === 'stale');
  return {
    items: [] as FrozenItem[],
    children: approved.map((child) => child.id),
    recordCount: sum('recordCount'),
    expectedCount: sum('expectedCount'),
    phoneConfirmed: sum('phoneConfirmed'),
    paperConfirmed: sum('paperConfirmed'),
    contentHash: areaPackageHash(approved),
    blockers: [
      ...(missing.length > 0 ? [{ zh: `还有 ${missing.length} 个下级单位未通过审核`, en: `${missing.length} units reporting here are not approved yet`, link: `/units/${unit.code}/inbox` }] : []),
      ...stale.map((child) => ({ zh: `${child.name}（${child.code}）需重新审核：${child.staleCause ?? ''}`, en: `${child.name} (${child.code}) needs review again: ${child.staleCause ?? ''}`, link: `/units/${unit.code}/inbox` })),
    ] as Blocker[],
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
    const [row] = await tx
      .insert(signoffs)
      .values({ campaignId: campaign.id, unitCode: unit.code, contentHash: current.contentHash, recordCount: current.recordCount, explanation: input.explanation?.trim() || null, signedBy: context.actor.id })
      .returning();
    await recordAudit(tx, context, { action: 'unit.signed_off', targetType: 'unit', targetId: unit.code, unitCode: unit.code, after: { recordCount: current.recordCount, contentHash: current.contentHash } });
    return row;
  });
}

/** A package that needs no new review: approved or under review, and not marked stale. */
export const standsSigned = (pkg: PackageRow | undefined) => pkg !== undefined && (pkg.status === 'submitted' || pkg.status === 'approved') && !pkg.staleAt;

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
  const [signoff] = await db.select().from(signoffs).where(and(eq(signoffs.campaignId, campaign.id), eq(signoffs.unitCode, unit.code))).orderBy(desc(signoffs.id)).limit(1);
  const latest = (await latestPackages(db, campaign.id, [unit.code])).get(unit.code);
  if (!signoff || signoff.contentHash !== current.contentHash) {
    throw new DomainError('conflict', { zh: signoff ? '签字后数据有变化，请负责人重新签字后再报送' : '请先由负责人签字，再报送', en: signoff ? 'The data changed since the leader signed; sign again before submitting' : 'The leader must sign before the submission' });
  }
  if (standsSigned(latest)) {
    throw new DomainError('conflict', { zh: latest!.status === 'submitted' ? '已报送，正在等待上级审核' : '已审核通过，如需修改请上级重新打开', en: latest!.status === 'submitted' ? 'Already submitted, awaiting review' : 'Already approved; ask the level above to reopen it' });
  }
  if (latest && signoff.signedAt.getTime() <= lastWordOn(latest)) {
    const why = latest.staleAt ? '需重新审核' : latest.returnCategory === 'reopened' ? '被重新打开' : '被退回';
    throw new DomainError('conflict', {
      zh: `第 ${latest.versionNo} 版${why}后，须由负责人重新签字才能再次报送`,
      en: `Version ${latest.versionNo} was ${latest.staleAt ? 'marked for review again' : 'returned'}: the leader must sign again before it is submitted again`,
    }, { needsSignoff: true });
  }
  // The province reports to no unit here: its submission is the final review (终审), approved as it is made.
  const final = unit.parentCode === null;
  return db.transaction(async (tx) => {
    const [pkg] = await tx
      .insert(packages)
      .values({
        campaignId: campaign.id,
        unitCode: unit.code,
        receiverCode: unit.parentCode,
        versionNo: (latest?.versionNo ?? 0) + 1,
        status: final ? 'approved' : 'submitted',
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
      })
      .returning();
    for (let start = 0; start < current.items.length; start += 2000) {
      await tx.insert(packageItems).values(current.items.slice(start, start + 2000).map((item) => ({ packageId: pkg.id, ...item })));
    }
    if (current.children.length > 0) await tx.insert(packageChildren).values(current.children.map((childPackageId) => ({ packageId: pkg.id, childPackageId })));
    if (pkg.receiverCode) {
      await notify(tx, [{ unitCode: pkg.receiverCode, kind: 'package_received', title: `${unit.name} 已报送（第 ${pkg.versionNo} 版，${pkg.recordCount} 人），待审核`, link: `/packages/${pkg.id}` }]);
    }
    await recordAudit(tx, context, { action: final ? 'package.final_approved' : 'package.submitted', targetType: 'package', targetId: pkg.id, unitCode: unit.code, after: { versionNo: pkg.versionNo, recordCount: pkg.recordCount, receiver: pkg.receiverCode, contentHash: pkg.contentHash } });
    return pkg;
  }).catch((error: unknown) => {
    throw isUniqueViolation(error, 'packages_unit_version_idx') ? alreadySubmitted() : error;
  });
}

function requireState(pkg: PackageRow, wanted: string) {
  if (pkg.status !== wanted) {
    const labels: Record<string, string> = { submitted: '待审核', approved: '已通过', returned: '已退回' };
    throw new DomainError('conflict', { zh: `该报送包状态为“${labels[pkg.status] ?? pkg.status}”，不能执行此操作`, en: `The package is ${pkg.status}` }, { state: pkg.status });
  }
}

/** The package as another decision just left it (that decision won the race; say what state it is in now). */
async function reread(executor: Executor, pkg: PackageRow): Promise<PackageRow> {
  const [current] = await executor.select().from(packages).where(eq(packages.id, pkg.id)).limit(1);
  return current ?? pkg;
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
  const [staleChild] = await executor
    .select({ unitCode: packages.unitCode, cause: packages.staleCause })
    .from(packageChildren)
    .innerJoin(packages, eq(packages.id, packageChildren.childPackageId))
    .where(and(eq(packageChildren.packageId, pkg.id), isNotNull(packages.staleAt)))
    .limit(1);
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
  requireState(pkg, 'submitted');
  const [unit] = await db.select({ name: units.name }).from(units).where(eq(units.code, pkg.unitCode)).limit(1);
  const refusal = await approvalRefusal(db, pkg, unit?.name ?? pkg.unitCode, input);
  if (refusal) throw refusal;
  const short = pkg.recordCount < pkg.expectedCount;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(packages)
      .set({
        status: 'approved',
        decidedBy: context.actor.id,
        decidedAt: new Date(),
        approvedAt: new Date(),
        ...(short ? { shortfallAcceptedBy: context.actor.id, shortfallNote: input.shortfallNote?.trim() || null } : {}),
        version: sql`${packages.version} + 1`,
      })
      .where(and(eq(packages.id, pkg.id), eq(packages.status, 'submitted'), isNull(packages.staleAt)))
      .returning();
    if (!row) {
      const now = await reread(tx, pkg);
      requireState(now, 'submitted');
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

export const returnCategories = ['data_error', 'missing_people', 'count_mismatch', 'other'] as const;

/**
 * 退回: whole, or row by row for a school's package — each returned record goes back to the school marked
 * 已退回 with its reason. A reason category and text are required. The unit's data unlock.
 */
export async function returnPackage(
  db: Database,
  context: ActorContext,
  pkg: PackageRow,
  input: { category: (typeof returnCategories)[number]; reason: string; items?: { staffId: number; reason: string }[] },
) {
  requireState(pkg, 'submitted');
  const items = input.items ?? [];
  if (items.length > 0) {
    const held = new Set((await db.select({ id: packageItems.staffId }).from(packageItems).where(and(eq(packageItems.packageId, pkg.id), inArray(packageItems.staffId, items.map((i) => i.staffId))))).map((r) => r.id));
    const foreign = items.filter((item) => !held.has(item.staffId));
    if (foreign.length > 0) throw new DomainError('validation_failed', { zh: `记录 ${foreign.map((f) => f.staffId).join('、')} 不在该报送包中`, en: `Records ${foreign.map((f) => f.staffId).join(', ')} are not in this package` });
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(packages)
      .set({ status: 'returned', decidedBy: context.actor.id, decidedAt: new Date(), returnCategory: input.category, returnReason: input.reason, version: sql`${packages.version} + 1` })
      .where(and(eq(packages.id, pkg.id), eq(packages.status, 'submitted')))
      .returning();
    if (!row) requireState(await reread(tx, pkg), 'submitted');
    for (const item of items) {
      await tx.update(packageItems).set({ returnReason: item.reason }).where(and(eq(packageItems.packageId, pkg.id), eq(packageItems.staffId, item.staffId)));
      const [moved] = await tx.update(staff).set({ status: 'returned', confirmedVia: null, version: sql`${staff.version} + 1`, updatedAt: new Date() }).where(eq(staff.id, item.staffId)).returning({ id: staff.id });
      if (moved) await recordEvent(tx, { staffId: item.staffId, event: 'return', from: 'approved', to: 'returned', actorKind: 'school', actorId: context.actor.id, reason: `${pkg.receiverCode ?? ''}：${item.reason}` });
    }
    await notify(tx, [{ unitCode: pkg.unitCode, kind: 'package_returned', title: `第 ${pkg.versionNo} 版报送被退回${items.length ? `（${items.length} 条记录）` : ''}`, body: input.reason, link: `/packages/${pkg.id}` }]);
    await recordAudit(tx, context, { action: 'package.returned', targetType: 'package', targetId: pkg.id, unitCode: pkg.unitCode, reason: input.reason, after: { category: input.category, items: items.length } });
    return row;
  });
}

/** 重新打开: a level above reopens an approved package with a reason; the unit may change and resubmit. */
export async function reopenPackage(db: Database, context: ActorContext, pkg: PackageRow, reason: string) {
  requireState(pkg, 'approved');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(packages)
      .set({ status: 'returned', returnCategory: 'reopened', returnReason: reason, decidedBy: context.actor.id, decidedAt: new Date(), version: sql`${packages.version} + 1` })
      .where(and(eq(packages.id, pkg.id), eq(packages.status, 'approved')))
      .returning();
    if (!row) requireState(await reread(tx, pkg), 'approved');
    await notify(tx, [{ unitCode: pkg.unitCode, kind: 'package_returned', title: `已通过的第 ${pkg.versionNo} 版报送被上级重新打开`, body: reason, link: `/packages/${pkg.id}` }]);
    // Everything signed above it was built on it.
    const [unit] = await tx.select({ name: units.name }).from(units).where(eq(units.code, pkg.unitCode)).limit(1);
    await markChainStale(tx, pkg.campaignId, pkg.unitCode, `${unit?.name ?? pkg.unitCode}（${pkg.unitCode}）已通过的第 ${pkg.versionNo} 版报送被重新打开：${reason}`);
    await recordAudit(tx, context, { action: 'package.reopened', targetType: 'package', targetId: pkg.id, unitCode: pkg.unitCode, reason });
    return row;
  });
}

/** The packages a unit receives: the latest of each unit reporting to it. */
export async function inbox(executor: Executor, campaignId: number, unitCode: string) {
  const children = await executor.select({ code: units.code, name: units.name, kind: units.kind }).from(units).where(eq(units.parentCode, unitCode)).orderBy(units.code);
  const latest = await latestPackages(executor, campaignId, children.map((child) => child.code));
  return children.flatMap((child) => {
    const pkg = latest.get(child.code);
    return pkg ? [{ unit: child, pkg }] : [];
  });
}
