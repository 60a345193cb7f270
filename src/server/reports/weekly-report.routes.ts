import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, errorSchema, unitCodeParams } from '../http/api-schemas.ts';
import { authorize, can, type Action } from '../policy/can.ts';
import type { Actor } from '../policy/actor.ts';
import type { UnitRow } from '../org/units.repository.ts';
import { unitRefOf } from '../../contract/unit-tree.ts';
import { recordAudit } from '../audit/audit.ts';
import { DomainError } from '../errors.ts';
import { requireCampaign } from '../packages/package.service.ts';
import type { WeeklySnapshot } from './weekly-figures.ts';
import { nextStep, signatureStepLabels, signatureSteps, weeklyIssue, type IssueNo, type SignatureStep, type WeeklyIssue } from './weekly-issues.ts';
import {
  issueParams,
  receivedReportsSchema,
  remarksBodySchema,
  remarksResultSchema,
  signatureBodySchema,
  weeklyReportListSchema,
  weeklyReportSchema,
  type ReportState,
  type WeeklyReport,
} from '../../contract/reports.schema.ts';
import { issueTable, subunitLabel, suggestedRemarks, summaryTable } from './weekly-layout.ts';
import { listReports, openReport, receivedReports, reportLevelOf, setRemarks, signReport, submitReport, type SignatureRow, type WeeklyReportRow } from './weekly-report.service.ts';
import { summaryWorkbook, weeklyReportWorkbook } from './weekly-report.xlsx.ts';

/** Who may sign each step (the order itself is checked by the service). */
const stepAction: Record<SignatureStep, Action> = { preparer: 'weeklyReport.prepare', department_head: 'weeklyReport.headSign', bureau_leader: 'weeklyReport.leaderSign' };

const presentIssue = (issue: WeeklyIssue) => ({ issueNo: issue.issueNo, content: issue.content, date: issue.date, dueAt: issue.dueAt.toISOString() });

function reportState(report: WeeklyReportRow | null, issue: WeeklyIssue, now: Date): ReportState {
  return {
    status: report?.status ?? 'draft',
    late: report?.late ?? null,
    submittedAt: report?.submittedAt?.toISOString() ?? null,
    frozen: Boolean(report?.snapshot),
    // 逾期未报: the deadline passed and nothing was submitted.
    overdue: report?.status !== 'submitted' && now > issue.dueAt,
  };
}

function present(actor: Actor, unit: UnitRow, issue: WeeklyIssue, opened: { report: WeeklyReportRow; snapshot: WeeklySnapshot; signatures: SignatureRow[] }): WeeklyReport {
  const { report, snapshot, signatures } = opened;
  const ref = unitRefOf(unit);
  const next = nextStep(report.status);
  const submitted = report.status === 'submitted';
  return {
    id: report.id,
    unit: { code: unit.code, name: unit.name, kind: unit.kind, parentCode: unit.parentCode },
    issue: presentIssue(issue),
    ...reportState(report, issue, new Date()),
    remarks: report.remarks,
    suggestedRemarks: suggestedRemarks(snapshot, issue.issueNo),
    version: report.version,
    figures: { asOf: snapshot.asOf, live: snapshot.live, subunitLabel: subunitLabel(unit.kind), subunitCount: snapshot.subunitCount },
    table: issueTable(snapshot, issue.issueNo),
    signatures: signatureSteps.map((step) => {
      const signature = signatures.find((row) => row.step === step);
      return { step, label: signatureStepLabels[step], signerName: signature?.signerName ?? null, signedAt: signature?.signedAt.toISOString() ?? null };
    }),
    abilities: {
      editRemarks: !submitted && can(actor, 'weeklyReport.prepare', ref),
      sign: next && can(actor, stepAction[next], ref) ? next : null,
      submit: report.status === 'bureau_leader' && can(actor, 'weeklyReport.prepare', ref),
    },
  };
}

function sendXlsx(reply: FastifyReply, name: string, buffer: Buffer) {
  return reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
    .send(buffer);
}

export async function weeklyReportRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;

  /** Loads the unit's report of an issue, checking the unit files weekly reports. */
  async function open(unit: UnitRow, issueNo: IssueNo) {
    const level = reportLevelOf(unit);
    const campaign = await requireCampaign(db);
    const issue = weeklyIssue(campaign.plan, level, issueNo);
    return { campaign, issue, opened: await openReport(db, campaign, unit, issueNo) };
  }

  api.get('/api/units/:code/weekly-reports', {
    schema: {
      tags: ['weekly-reports'],
      summary: '本单位四期周报表及截止时间 / The unit\'s four weekly report issues and their deadlines',
      params: unitCodeParams,
      response: { 200: weeklyReportListSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', unitRefOf(unit));
    const level = reportLevelOf(unit);
    const campaign = await requireCampaign(db);
    const now = new Date();
    const items = await listReports(db, campaign, unit);
    return { level, items: items.map(({ issue, report }) => ({ issue: presentIssue(issue), ...reportState(report, issue, now) })) };
  });

  api.get('/api/units/:code/weekly-reports/:issue', {
    schema: {
      tags: ['weekly-reports'],
      summary: '一期周报表（截止后为截止时的数据快照）/ One issue of the weekly report, frozen at its cut-off',
      params: issueParams,
      response: { 200: weeklyReportSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', unitRefOf(unit));
    const { issue, opened } = await open(unit, request.params.issue);
    return present(actor, unit, issue, opened);
  });

  api.put('/api/units/:code/weekly-reports/:issue/remarks', {
    schema: {
      tags: ['weekly-reports'],
      summary: '填写备注（已签字的须重新签字）/ Write the remarks (signatures already given are revoked)',
      params: issueParams,
      body: remarksBodySchema,
      response: { 200: remarksResultSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'weeklyReport.prepare', unitRefOf(unit));
    const { campaign, issue, opened } = await open(unit, request.params.issue);
    const report = request.body.version === undefined ? opened.report : { ...opened.report, version: request.body.version };
    const { revoked } = await setRemarks(db, { ...auditContext(request), actor }, report, request.body.remarks);
    return { ...present(actor, unit, issue, await openReport(db, campaign, unit, issue.issueNo)), revoked };
  });

  api.post('/api/units/:code/weekly-reports/:issue/signatures', {
    schema: {
      tags: ['weekly-reports'],
      summary: '依次签字：填表人、责任部门负责人、主管局领导 / Sign the next step, in the attachment\'s order',
      params: issueParams,
      body: signatureBodySchema,
      response: { 200: weeklyReportSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, stepAction[request.body.step], unitRefOf(unit));
    const { campaign, issue, opened } = await open(unit, request.params.issue);
    await signReport(db, { ...auditContext(request), actor }, campaign, unit, opened.report, request.body.step, request.body.signerName);
    return present(actor, unit, issue, await openReport(db, campaign, unit, issue.issueNo));
  });

  api.post('/api/units/:code/weekly-reports/:issue/submit', {
    schema: {
      tags: ['weekly-reports'],
      summary: '报送周报表（三方签字后；逾期标记）/ Submit the weekly report to the level above',
      params: issueParams,
      response: { 200: weeklyReportSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'weeklyReport.prepare', unitRefOf(unit));
    const { campaign, issue, opened } = await open(unit, request.params.issue);
    await submitReport(db, { ...auditContext(request), actor }, unit, opened.report);
    return present(actor, unit, issue, await openReport(db, campaign, unit, issue.issueNo));
  });

  api.get('/api/units/:code/weekly-reports/:issue/export', {
    schema: { tags: ['weekly-reports'], summary: '导出周报表（.xlsx，附件3格式）/ Export the weekly report as .xlsx in the attachment\'s layout', params: issueParams },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', unitRefOf(unit));
    const { issue, opened } = await open(unit, request.params.issue);
    const presented = present(actor, unit, issue, opened);
    const buffer = await weeklyReportWorkbook({
      snapshot: opened.snapshot,
      issue,
      table: presented.table,
      remarks: opened.report.remarks,
      signatures: presented.signatures.map((signature) => ({ label: signature.label.zh, name: signature.signerName, at: signature.signedAt ? new Date(signature.signedAt) : null })),
      submittedAt: opened.report.submittedAt,
    });
    await recordAudit(db, { ...auditContext(request), actor }, { action: 'weekly_report.exported', targetType: 'weekly_report', targetId: opened.report.id, unitCode: unit.code });
    return sendXlsx(reply, `${unit.name}-周报表-第${issue.issueNo}期.xlsx`, buffer);
  });

  /** The reports of the units below for an issue, and their summary table. */
  async function received(unit: UnitRow, issueNo: IssueNo) {
    reportLevelOf(unit);
    const campaign = await requireCampaign(db);
    const result = await receivedReports(db, campaign, unit, issueNo);
    const now = new Date();
    // The province's own figures carry its universities' line.
    const own = unit.kind === 'province' ? (await openReport(db, campaign, unit, issueNo)).snapshot : undefined;
    return {
      issue: result.issue,
      table: summaryTable(result.items.map((item) => ({ label: item.unit.name, snapshot: item.snapshot })), issueNo, own),
      items: result.items.map((item) => ({
        unit: { code: item.unit.code, name: item.unit.name, kind: item.unit.kind },
        ...reportState(item.report, result.issue!, now),
        asOf: item.snapshot.asOf,
        live: item.snapshot.live,
      })),
    };
  }

  api.get('/api/units/:code/weekly-reports/:issue/received', {
    schema: {
      tags: ['weekly-reports'],
      summary: '下级单位本期周报汇总（省：全部市州）/ The reports of the units below for an issue, in one table',
      params: issueParams,
      response: { 200: receivedReportsSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', unitRefOf(unit));
    const result = await received(unit, request.params.issue);
    return { ...result, issue: result.issue ? presentIssue(result.issue) : null };
  });

  api.get('/api/units/:code/weekly-reports/:issue/received/export', {
    schema: { tags: ['weekly-reports'], summary: '导出下级周报汇总（省级报教育部）/ Export the summary of the reports below (the province\'s for the Ministry)', params: issueParams },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', unitRefOf(unit));
    const result = await received(unit, request.params.issue);
    if (!result.issue) throw new DomainError('conflict', { zh: '没有下级单位的周报', en: 'No units below file weekly reports' });
    const statuses = result.items.map((item) => (item.status === 'submitted' ? `已报送${item.late ? '（逾期）' : ''}` : item.overdue ? '逾期未报' : '未报送'));
    const buffer = await summaryWorkbook({ unitName: unit.name, issue: result.issue, table: result.table, statuses });
    await recordAudit(db, { ...auditContext(request), actor }, { action: 'weekly_report.summary_exported', targetType: 'unit', targetId: unit.code, unitCode: unit.code, after: { issueNo: request.params.issue } });
    return sendXlsx(reply, `${unit.name}-周报表汇总-第${request.params.issue}期.xlsx`, buffer);
  });
}

