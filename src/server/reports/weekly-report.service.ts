import type { Database, Executor } from '../db/client.ts';
import { notify } from '../notifications/notifications.service.ts';
import { DomainError, notFound } from '../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { Actor } from '../policy/actor.ts';
import { currentCampaign, type CampaignRow } from '../campaign/campaign.service.ts';
import type { UnitRow } from '../org/units.repository.ts';
import { buildSnapshot, loadFacts, loadFactsAt, type WeeklySnapshot } from './weekly-figures.ts';
import { isReportLevel, nextStep, signatureSteps, weeklyIssue, weeklyIssues, type IssueNo, type ReportLevel, type SignatureStep } from './weekly-issues.ts';
import {
  activeSignatures,
  areaUnitsOfLevel,
  childAreaUnits,
  findOrInsertReport,
  findProvince,
  findReport,
  insertSignature,
  moveReport,
  moveReportDeadline,
  reportsOfUnit,
  revokeSignatures,
  storeSnapshot,
  unitsAwaitingSnapshot,
  updateRemarks,
  type AreaUnit,
  type SignatureRow,
  type WeeklyReportRow,
} from './weekly-report.repository.ts';

type ActorContext = AuditContext & { actor: Actor };
export { activeSignatures, type SignatureRow, type WeeklyReportRow };

/** The level of a unit that files weekly reports; schools do not (404, as for anything that is not there). */
export function reportLevelOf(unit: Pick<UnitRow, 'kind'>): ReportLevel {
  if (!isReportLevel(unit.kind)) throw notFound({ zh: '学校不填报周报表，周报由县市区、市州和省填报', en: 'Schools file no weekly report; counties, prefectures and the province do' });
  return unit.kind;
}

/** The units whose lines a report shows: a prefecture's counties, the province's prefectures. */
async function childAreas(executor: Executor, unit: AreaUnit): Promise<AreaUnit[]> {
  if (unit.kind === 'county') return [];
  return childAreaUnits(executor, unit.code);
}

/** Computes a report's figures as of `asOf` (the whole snapshot, one pass over the unit's subtree). */
export async function computeSnapshot(executor: Executor, campaign: CampaignRow, unit: AreaUnit, asOf: Date, live: boolean): Promise<WeeklySnapshot> {
  const facts = await loadFacts(executor, { campaignId: campaign.id, plan: campaign.plan, scopePath: unit.path, asOf, live });
  return buildSnapshot(facts, { ...unit, kind: unit.kind }, await childAreas(executor, unit), asOf, live);
}

/**
 * The snapshots of every unit of each requested level as of its moment (its issue's cut-off), from one
 * load of the facts of the whole area above them (the province's when `within` is the province): all the
 * levels' cut-offs share one scan of the records, as `bench/weekly-report.bench.ts` times it.
 */
export async function snapshotsOfLevels(executor: Executor, campaign: CampaignRow, within: AreaUnit, requests: { level: ReportLevel; asOf: Date }[]): Promise<Map<string, WeeklySnapshot>[]> {
  if (requests.length === 0) return [];
  const moments = [...new Set(requests.map((request) => request.asOf.getTime()))].map((time) => new Date(time));
  const factsAt = await loadFactsAt(executor, { campaignId: campaign.id, plan: campaign.plan, scopePath: within.path, moments, live: false });
  const result: Map<string, WeeklySnapshot>[] = [];
  for (const request of requests) {
    const facts = factsAt[moments.findIndex((moment) => moment.getTime() === request.asOf.getTime())];
    const areas = await areaUnitsOfLevel(executor, request.level, within.path);
    const snapshots = new Map<string, WeeklySnapshot>();
    for (const area of areas) snapshots.set(area.code, buildSnapshot(facts, { ...area, kind: area.kind }, await childAreas(executor, area), request.asOf, false));
    result.push(snapshots);
  }
  return result;
}

/** The report row of a unit and issue, created on first use with its deadline. */
export async function ensureReport(executor: Executor, campaign: CampaignRow, unit: AreaUnit, issueNo: IssueNo): Promise<WeeklyReportRow> {
  const level = reportLevelOf(unit);
  const issue = weeklyIssue(campaign.plan, level, issueNo);
  const row = await findOrInsertReport(executor, { campaignId: campaign.id, unitCode: unit.code, issueNo, dueAt: issue.dueAt });
  // The plan's dates may have been moved since: a report not yet frozen follows its new deadline.
  if (!row.snapshot && row.status !== 'submitted' && row.dueAt.getTime() !== issue.dueAt.getTime()) {
    return (await moveReportDeadline(executor, row.id, issue.dueAt)) ?? row;
  }
  return row;
}

/** Stores the figures once; a report already frozen keeps its own (the update only touches a null snapshot). */
async function freeze(executor: Executor, report: WeeklyReportRow, snapshot: WeeklySnapshot, asOf: Date): Promise<WeeklyReportRow> {
  const row = await storeSnapshot(executor, report.id, snapshot, asOf);
  if (row) return row;
  const current = await findReport(executor, report.id);
  if (!current) throw notFound();
  return current;
}

/**
 * Opens a unit's report of an issue. Past its cut-off the figures are frozen as of the cut-off the first
 * time (computed from the history, so the moment of opening does not change them) and never recomputed;
 * before it they are live (实时（截止前）).
 */
export async function openReport(db: Database, campaign: CampaignRow, unit: AreaUnit, issueNo: IssueNo, now = new Date()) {
  let report = await ensureReport(db, campaign, unit, issueNo);
  if (!report.snapshot && now >= report.dueAt) {
    report = await freeze(db, report, await computeSnapshot(db, campaign, unit, report.dueAt, false), report.dueAt);
  }
  const snapshot = report.snapshot ?? (await computeSnapshot(db, campaign, unit, now, true));
  return { report, snapshot, signatures: await activeSignatures(db, report.id) };
}

const submittedAlready = () => new DomainError('conflict', { zh: '周报已报送，不能再修改或签字', en: 'The weekly report is submitted; it can no longer change' });

/**
 * 备注: editable until submission. Every signer signed the remarks too, so changing them after a signature
 * revokes all signatures (kept in the history) and the report is signed again from the preparer.
 */
export async function setRemarks(db: Database, context: ActorContext, report: WeeklyReportRow, remarks: string) {
  if (report.status === 'submitted') throw submittedAlready();
  return db.transaction(async (tx) => {
    const revoked = await revokeSignatures(tx, report.id);
    const row = await updateRemarks(tx, report.id, report.version, remarks || null);
    if (!row) throw new DomainError('stale_version', { zh: '周报刚被他人修改，请刷新后再编辑', en: 'The report just changed; reload and edit again' });
    await recordAudit(tx, context, {
      action: 'weekly_report.remarks',
      targetType: 'weekly_report',
      targetId: report.id,
      unitCode: report.unitCode,
      before: { remarks: report.remarks, status: report.status },
      after: { remarks: row.remarks, revokedSignatures: revoked },
    });
    const revokedSteps = signatureSteps.filter((step) => revoked.includes(step));
    return { report: row, revoked: revokedSteps };
  });
}

/**
 * Signs the next step. The order is the attachment's (填表人 → 责任部门负责人 → 主管局领导); the route
 * checks the role of each step. The department head may use the preparer's account (small bureaus share one
 * admin) but must type a different name: the attachment wants three people. The first signature before the
 * cut-off freezes the figures as they stand, so all three sign the same numbers.
 */
export async function signReport(db: Database, context: ActorContext, campaign: CampaignRow, unit: AreaUnit, report: WeeklyReportRow, step: SignatureStep, signerName: string) {
  if (report.status === 'submitted') throw submittedAlready();
  const expected = nextStep(report.status);
  if (expected !== step) {
    throw new DomainError('conflict', {
      zh: expected ? `请按顺序签字：下一步应为“${stepZh[expected]}”` : '三方均已签字，请报送',
      en: expected ? `Sign in order: the next step is ${expected}` : 'All three have signed; submit it',
    }, { next: expected });
  }
  const signed = await activeSignatures(db, report.id);
  if (signed.some((signature) => signature.signerName === signerName)) {
    throw new DomainError('validation_failed', { zh: `“${signerName}”已在本周报上签字，每一步须由不同的人签字`, en: `${signerName} has already signed this report; each step needs a different person` }, [{ field: 'signerName', code: 'duplicate' }]);
  }
  const now = new Date();
  let current = report;
  if (!current.snapshot) {
    const asOf = now < current.dueAt ? now : current.dueAt;
    current = await freeze(db, current, await computeSnapshot(db, campaign, unit, asOf, false), asOf);
  }
  return db.transaction(async (tx) => {
    const row = await moveReport(tx, current.id, report.status, { status: step, updatedAt: now });
    if (!row) throw new DomainError('stale_version', { zh: '周报刚被他人签字或修改，请刷新', en: 'The report just changed; reload' });
    const signature = await insertSignature(tx, { reportId: current.id, step, accountId: context.actor.id, signerName, signedAt: now });
    await recordAudit(tx, context, { action: `weekly_report.signed.${step}`, targetType: 'weekly_report', targetId: current.id, unitCode: current.unitCode, after: { step, signerName, issueNo: current.issueNo } });
    return { report: row, signature };
  });
}

const stepZh: Record<SignatureStep, string> = { preparer: '填表人签字', department_head: '责任部门负责人审核签字', bureau_leader: '主管局领导签字' };

/** 报送: after the three signatures; late when after the level's Friday deadline; the parent is told. */
export async function submitReport(db: Database, context: ActorContext, unit: AreaUnit, report: WeeklyReportRow) {
  if (report.status === 'submitted') throw new DomainError('conflict', { zh: '周报已报送', en: 'The weekly report is already submitted' });
  if (report.status !== 'bureau_leader') {
    throw new DomainError('conflict', { zh: '须填表人、责任部门负责人和主管局领导依次签字后才能报送', en: 'The preparer, the department head and the bureau leader must sign before submitting' }, { next: nextStep(report.status) });
  }
  const now = new Date();
  const late = now > report.dueAt;
  return db.transaction(async (tx) => {
    const row = await moveReport(tx, report.id, 'bureau_leader', { status: 'submitted', submittedBy: context.actor.id, submittedAt: now, late, updatedAt: now });
    if (!row) throw new DomainError('stale_version', { zh: '周报刚被他人修改，请刷新', en: 'The report just changed; reload' });
    if (unit.parentCode) {
      await notify(tx, [{
        unitCode: unit.parentCode,
        kind: 'weekly_report_submitted',
        title: `${unit.name} 已报送第 ${report.issueNo} 期周报表${late ? '（逾期）' : ''}`,
        link: `/units/${unit.code}/weekly-reports/${report.issueNo}`,
      }]);
    }
    await recordAudit(tx, context, { action: 'weekly_report.submitted', targetType: 'weekly_report', targetId: report.id, unitCode: report.unitCode, after: { issueNo: report.issueNo, late, to: unit.parentCode ?? 'ministry' } });
    return row;
  });
}

/**
 * The reports of the units below `unit` for one issue, one line each (the province's table of all
 * prefectures for a week, a prefecture's of its counties). Past the cut-off, reports not yet frozen are
 * frozen here from one load of the facts; before it their figures are live.
 */
export async function receivedReports(db: Database, campaign: CampaignRow, unit: AreaUnit, issueNo: IssueNo, now = new Date()) {
  const children = await childAreas(db, unit);
  if (children.length === 0) return { issue: null, items: [] };
  const childLevel = children[0].kind;
  if (!isReportLevel(childLevel)) throw new Error(`no weekly report at level ${childLevel}`);
  const issue = weeklyIssue(campaign.plan, childLevel, issueNo);
  const reports = new Map<string, WeeklyReportRow>();
  for (const child of children) reports.set(child.code, await ensureReport(db, campaign, child, issueNo));
  const past = now >= issue.dueAt;
  const unfrozen = children.filter((child) => !reports.get(child.code)!.snapshot);
  let computed = new Map<string, WeeklySnapshot>();
  if (unfrozen.length > 0) {
    const facts = await loadFacts(db, { campaignId: campaign.id, plan: campaign.plan, scopePath: unit.path, asOf: past ? issue.dueAt : now, live: !past });
    computed = new Map(await Promise.all(unfrozen.map(async (child) => [child.code, buildSnapshot(facts, { ...child, kind: child.kind }, await childAreas(db, child), past ? issue.dueAt : now, !past)] as const)));
    if (past) {
      for (const child of unfrozen) reports.set(child.code, await freeze(db, reports.get(child.code)!, computed.get(child.code)!, issue.dueAt));
    }
  }
  return {
    issue,
    items: children.map((child) => {
      const report = reports.get(child.code)!;
      return { unit: child, report, snapshot: report.snapshot ?? computed.get(child.code)! };
    }),
  };
}

/** The four issues of a unit with where each stands (list page). */
export async function listReports(executor: Executor, campaign: CampaignRow, unit: AreaUnit) {
  const level = reportLevelOf(unit);
  const rows = await reportsOfUnit(executor, campaign.id, unit.code);
  const byIssue = new Map(rows.map((row) => [row.issueNo, row]));
  return weeklyIssues(campaign.plan, level).map((issue) => ({ issue, report: byIssue.get(issue.issueNo) ?? null }));
}

/**
 * The periodic pass (hourly, with the deadline reminders): every report whose Friday cut-off has passed and
 * that nobody opened yet is frozen, a whole level from one load of the province's facts. Returns how many
 * reports it froze; once all are frozen it costs one small query per level and issue.
 */
export async function freezeDueReports(db: Database, now = new Date()): Promise<number> {
  const campaign = await currentCampaign(db);
  if (!campaign) return 0;
  const province = await findProvince(db);
  if (!province) return 0;
  const due: { level: ReportLevel; issueNo: IssueNo; asOf: Date; waiting: Set<string> }[] = [];
  for (const level of ['county', 'prefecture', 'province'] as const) {
    for (const issue of weeklyIssues(campaign.plan, level)) {
      if (issue.dueAt > now) continue;
      const open = await unitsAwaitingSnapshot(db, campaign.id, level, issue.issueNo);
      if (open.length > 0) due.push({ level, issueNo: issue.issueNo, asOf: issue.dueAt, waiting: new Set(open) });
    }
  }
  const snapshots = await snapshotsOfLevels(db, campaign, province, due);
  let frozen = 0;
  for (const [index, request] of due.entries()) {
    for (const [code, snapshot] of snapshots[index]) {
      if (!request.waiting.has(code)) continue;
      const report = await ensureReport(db, campaign, { ...snapshot.unit, path: '', parentCode: null }, request.issueNo);
      if (!report.snapshot) {
        await freeze(db, report, snapshot, request.asOf);
        frozen += 1;
      }
    }
  }
  return frozen;
}
