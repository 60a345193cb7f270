import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fieldKeys, maskIdNumber, maskPersonalText } from '../../standard/index.ts';
import { DomainError, forbidden, notFound } from '../errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, errorSchema, pageQuerySchema, unitCodeParams } from '../http/api-schemas.ts';
import { registerIdResolver } from '../http/auth-hooks.ts';
import { authorize, can } from '../policy/can.ts';
import type { Actor } from '../policy/actor.ts';
import { findUnit, findUnits, type UnitRow } from '../org/units.repository.ts';
import { isWithin, type UnitRef, unitRefOf } from '../../contract/unit-tree.ts';
import { packageTransition } from '../../contract/package-states.ts';
import { approveBodySchema, inboxSchema, packageChangesSchema, packageItemsSchema, packageSchema, reopenBodySchema, returnBodySchema, signOffBodySchema, signOffResultSchema, submissionSchema, type Package } from '../../contract/packages.schema.ts';
import { approvePackage, inbox, reopenPackage, requireCampaign, returnPackage, signOff, snapshot, standsSigned, submitPackage, type PackageRow } from './package.service.ts';
import { staleOf } from './chain.ts';
import { changesSincePrevious } from './package-changes.ts';
import { approvedChain, writeNationalExport } from './national-export.ts';
import { childStateLabels } from './readiness.ts';
import { findPackage, latestPackages, packageItemsPage } from './packages.repository.ts';
import { deadlineState, submissionDeadline } from '../campaign/deadlines.ts';

const nameAt = fieldKeys.indexOf('name');
const idAt = fieldKeys.indexOf('idNumber');

const packageIdParams = z.object({ packageId: z.coerce.number().int().positive() });
type ScopedPackage = { pkg: PackageRow; unit: UnitRow };

declare module '../http/context.ts' {
  interface ScopedResources {
    packageId: ScopedPackage;
  }
}

registerIdResolver('packageId', async (db, actor, id) => {
  const pkg = await findPackage(db, id);
  const unit = pkg && (await findUnit(db, pkg.unitCode));
  return pkg && unit && isWithin(unit, actor.unit) ? { pkg, unit } : undefined;
});

const receiverRef = async (context: AppContext, pkg: PackageRow): Promise<UnitRef | undefined> => {
  const receiver = pkg.receiverCode ? await findUnit(context.database.db, pkg.receiverCode) : undefined;
  return receiver && unitRefOf(receiver);
};

/** The units a list of packages names (senders and receivers), read in one query. */
async function unitsOf(context: AppContext, pkgs: PackageRow[]): Promise<Map<string, UnitRow>> {
  const codes = [...new Set(pkgs.flatMap((pkg) => (pkg.receiverCode ? [pkg.unitCode, pkg.receiverCode] : [pkg.unitCode])))];
  return new Map((await findUnits(context.database.db, codes)).map((unit) => [unit.code, unit]));
}

/** A package as the API shows it; `known` holds its units when a list has read them already. */
async function present(context: AppContext, actor: Actor, pkg: PackageRow, known?: Map<string, UnitRow>): Promise<Package> {
  const units = known ?? (await unitsOf(context, [pkg]));
  const receiverRow = pkg.receiverCode ? units.get(pkg.receiverCode) : undefined;
  const receiver = receiverRow && unitRefOf(receiverRow);
  const review = receiver !== undefined && can(actor, 'package.review', receiver);
  return {
    id: pkg.id,
    unitCode: pkg.unitCode,
    unitName: units.get(pkg.unitCode)?.name ?? pkg.unitCode,
    receiverCode: pkg.receiverCode,
    receiverName: receiverRow?.name ?? null,
    versionNo: pkg.versionNo,
    status: pkg.status,
    recordCount: pkg.recordCount,
    expectedCount: pkg.expectedCount,
    explanation: pkg.explanation,
    contentHash: pkg.contentHash,
    signedBy: pkg.signedBy,
    signedAt: pkg.signedAt.toISOString(),
    submittedBy: pkg.submittedBy,
    submittedAt: pkg.submittedAt.toISOString(),
    decidedAt: pkg.decidedAt?.toISOString() ?? null,
    returnCategory: pkg.returnCategory,
    returnReason: pkg.returnReason,
    stale: staleOf(pkg),
    shortfall: pkg.recordCount < pkg.expectedCount ? { count: pkg.expectedCount - pkg.recordCount, accepted: pkg.shortfallAcceptedBy !== null, acceptedBy: pkg.shortfallAcceptedBy, note: pkg.shortfallNote } : null,
    confirmations: { phone: pkg.phoneConfirmed, paper: pkg.paperConfirmed },
    abilities: {
      approve: review && packageTransition(pkg, 'approve', 'receiver').ok,
      return: review && packageTransition(pkg, 'return', 'receiver').ok,
      reopen: receiver !== undefined && isWithin(receiver, actor.unit) && can(actor, 'package.reopen', receiver) && packageTransition(pkg, 'reopen', 'above').ok,
    },
  };
}

export async function packageRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;

  api.get('/api/units/:code/submission', {
    schema: {
      tags: ['packages'],
      summary: '本单位报送情况：可否报送、缺哪些下级、最新报送包 / Where the unit\'s submission stands',
      params: unitCodeParams,
      response: { 200: submissionSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', unitRefOf(unit));
    const campaign = await requireCampaign(db);
    const current = await snapshot(db, campaign.id, unit);
    const latest = (await latestPackages(db, campaign.id, [unit.code])).get(unit.code);
    const pendingOrApproved = standsSigned(latest);
    return {
      recordCount: current.recordCount,
      expectedCount: current.expectedCount,
      blockers: current.blockers,
      missing: current.missing.map(({ code, name, kind, state, packageId, staleCause }) => ({ code, name, kind, state, stateLabel: childStateLabels[state], packageId, staleCause })),
      latest: latest ? await present(context, actor, latest) : null,
      deadline: (() => {
        const due = submissionDeadline(campaign.plan, unit.kind, unit.schoolType);
        return { due, state: deadlineState(due, new Date()) };
      })(),
      abilities: {
        // Offered only when the step can succeed now: nothing blocks it and no package is under review or approved.
        signOff: can(actor, 'package.signoff', unitRefOf(unit)) && current.blockers.length === 0 && !pendingOrApproved,
        submit: can(actor, 'package.submit', unitRefOf(unit)) && current.blockers.length === 0 && !pendingOrApproved,
        // The province exports the national dataset; an unlock is asked by the unit that submits.
        nationalExport: unit.kind === 'province' && can(actor, 'package.submit', unitRefOf(unit)),
        requestUnlock: can(actor, 'package.submit', unitRefOf(unit)),
      },
    };
  });

  api.post('/api/units/:code/signoff', {
    schema: {
      tags: ['packages'],
      summary: '负责人签字（人数与应有人数不符时须说明）/ The leader signs the unit\'s data',
      params: unitCodeParams,
      body: signOffBodySchema,
      response: { 200: signOffResultSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'package.signoff', unitRefOf(unit));
    const row = await signOff(db, { ...auditContext(request), actor }, unit, request.body);
    return { id: row.id, recordCount: row.recordCount, signedAt: row.signedAt.toISOString() };
  });

  api.post('/api/units/:code/packages', {
    schema: { tags: ['packages'], summary: '报送（冻结为新版本）/ Submit: freeze the signed data as a new package', params: unitCodeParams, response: { 201: packageSchema, ...errorResponses, 409: errorSchema } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'package.submit', unitRefOf(unit));
    const pkg = await submitPackage(db, { ...auditContext(request), actor }, unit);
    return reply.code(201).send(await present(context, actor, pkg));
  });

  api.get('/api/units/:code/inbox', {
    schema: {
      tags: ['packages'],
      summary: '收到的下级报送包 / Packages received from the units reporting here',
      params: unitCodeParams,
      response: { 200: inboxSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', unitRefOf(unit));
    const campaign = await requireCampaign(db);
    const items = await inbox(db, campaign.id, unit.code);
    const units = await unitsOf(context, items.map((item) => item.pkg));
    return { items: await Promise.all(items.map(async ({ unit: child, pkg }) => ({ unit: child, package: await present(context, actor, pkg, units) }))) };
  });

  api.get('/api/packages/:packageId', {
    schema: { tags: ['packages'], summary: '报送包 / A package', params: packageIdParams, response: { 200: packageSchema, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request);
    const { pkg } = scoped(request, 'packageId');
    return present(context, actor, pkg);
  });

  api.get('/api/packages/:packageId/items', {
    schema: {
      tags: ['packages'],
      summary: '报送包中的记录（上级看到的证件号已遮蔽）/ The records of a school\'s package',
      params: packageIdParams,
      querystring: pageQuerySchema,
      response: { 200: packageItemsSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { pkg, unit } = scoped(request, 'packageId');
    const fullIds = can(actor, 'staff.seeFullId', unitRefOf(unit));
    // The name and ID number as submitted (the frozen content); the state is the record's now.
    const rows = await packageItemsPage(db, pkg.id, request.query);
    return {
      total: pkg.recordCount,
      items: rows.map(({ content, ...row }) => {
        const values = (content ?? []) as (string | null)[];
        const idNumber = values[idAt] ?? null;
        const returnReason = row.returnReason && !fullIds ? maskPersonalText(row.returnReason) : row.returnReason;
        return { ...row, status: row.status, confirmedVia: row.confirmedVia, name: values[nameAt] ?? null, idNumber: idNumber && !fullIds ? maskIdNumber(idNumber) : idNumber, returnReason };
      }),
    };
  });

  api.post('/api/packages/:packageId/approve', {
    schema: {
      tags: ['packages'],
      summary: '审核通过（人数少于应有人数时须确认接受差异）/ Approve a package (a shortfall must be accepted explicitly)',
      params: packageIdParams,
      body: approveBodySchema.default({}),
      response: { 200: packageSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { pkg } = scoped(request, 'packageId');
    const receiver = await receiverRef(context, pkg);
    if (!receiver) throw notFound();
    // The package is visible (its resolver): a caller who may not review it, the school itself, hears 403.
    if (!can(actor, 'package.review', receiver)) throw forbidden();
    return present(context, actor, await approvePackage(db, { ...auditContext(request), actor }, pkg, request.body ?? {}));
  });

  api.post('/api/packages/:packageId/return', {
    schema: {
      tags: ['packages'],
      summary: '退回（整包或逐条，须选原因类别并填写原因）/ Return a package, whole or row by row, with a reason',
      params: packageIdParams,
      body: returnBodySchema,
      response: { 200: packageSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { pkg } = scoped(request, 'packageId');
    const receiver = await receiverRef(context, pkg);
    if (!receiver) throw notFound();
    if (!can(actor, 'package.review', receiver)) throw forbidden();
    return present(context, actor, await returnPackage(db, { ...auditContext(request), actor }, pkg, request.body));
  });

  api.post('/api/packages/:packageId/reopen', {
    schema: {
      tags: ['packages'],
      summary: '重新打开已通过的报送包（须填原因）/ Reopen an approved package, with a reason',
      params: packageIdParams,
      body: reopenBodySchema,
      response: { 200: packageSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { pkg } = scoped(request, 'packageId');
    const receiver = await receiverRef(context, pkg);
    if (!receiver) throw notFound();
    if (!can(actor, 'package.reopen', receiver)) throw forbidden();
    return present(context, actor, await reopenPackage(db, { ...auditContext(request), actor }, pkg, request.body.reason));
  });

  api.get('/api/packages/:packageId/changes', {
    schema: {
      tags: ['packages'],
      summary: '与上一版相比的变化（新增、删除、修改的记录或下级报送包）/ What changed since the previous version',
      params: packageIdParams,
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) }),
      response: { 200: packageChangesSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { pkg, unit } = scoped(request, 'packageId');
    return changesSincePrevious(db, pkg, { fullIds: can(actor, 'staff.seeFullId', unitRefOf(unit)), limit: request.query.limit });
  });

  api.get('/api/units/:code/national-export', {
    schema: {
      tags: ['packages'],
      summary: '全省终审后导出国家数据集：审核通过的报送内容（.xlsx，每类学校一表，流式）/ The national dataset: the approved content, once the province has approved',
      params: unitCodeParams,
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    if (unit.kind !== 'province') throw notFound({ zh: '只有省级可以导出国家数据集', en: 'Only the province exports the national dataset' });
    authorize(actor, 'package.submit', unitRefOf(unit));
    const campaign = await requireCampaign(db);
    const latest = (await latestPackages(db, campaign.id, [unit.code])).get(unit.code);
    if (!latest || latest.status !== 'approved') {
      throw new DomainError('conflict', {
        zh: '全省数据尚未终审：须所有市州和高校审核通过，并由省级签字报送后才能导出',
        en: 'The province has not approved its data yet: every prefecture and university must be approved and the province must sign and submit',
      });
    }
    if (latest.staleAt) {
      throw new DomainError('conflict', {
        zh: `全省数据需重新审核：${latest.staleCause ?? ''}。须逐级重新审核通过、由省级重新签字终审后才能导出`,
        en: `The province's data need review again: ${latest.staleCause ?? ''}. Approve again level by level and sign the final review again before exporting`,
      }, { stale: true, cause: latest.staleCause, unitCode: latest.staleUnitCode });
    }
    const chain = await approvedChain(db, latest.id);
    const stale = chain.find((pkg) => pkg.stale);
    if (stale) {
      throw new DomainError('conflict', { zh: `${stale.unitName}（${stale.unitCode}）的报送需重新审核，须逐级重新审核后才能导出`, en: `${stale.unitCode}'s package needs review again` }, { stale: true, unitCode: stale.unitCode });
    }
    const audit = { ...auditContext(request), actor };
    const stream = new PassThrough();
    writeNationalExport(db, stream, chain, async (result) => {
      await recordAudit(db, audit, {
        action: 'staff.national_export',
        targetType: 'package',
        targetId: latest.id,
        unitCode: unit.code,
        after: { records: result.rows, expectedRecords: result.expectedRows, contentHash: result.contentHash, matchesFinalPackage: result.contentHash === result.expectedHash && result.rows === result.expectedRows },
      });
    }).catch(async (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      await recordAudit(db, audit, { action: 'staff.national_export_failed', targetType: 'package', targetId: latest.id, unitCode: unit.code, reason: failure.message }).catch(() => undefined);
      stream.destroy(failure);
    });
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${unit.name}-教职工基础信息-国家数据集.xlsx`)}`)
      .send(stream);
  });
}
