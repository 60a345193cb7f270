import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { maskFieldValue, maskPersonalText } from '../../standard/index.ts';
import { DomainError, notFound } from '../errors.ts';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, errorSchema, unitCodeParams } from '../http/api-schemas.ts';
import { registerIdResolver } from '../http/auth-hooks.ts';
import { authorize, can } from '../policy/can.ts';
import { findStaff } from '../staff/staff.repository.ts';
import { isWithin, type UnitRef } from '../../contract/unit-tree.ts';
import { confirmOwnRecord, issueCodes, openSession, presentOwnRecord, requestCorrection, sessionRecord } from './confirmation.service.ts';
import { acceptCorrection, rejectCorrection } from './corrections.service.ts';
import { confirmSessionBodySchema, confirmSessionSchema, correctionDecisionSchema, correctionRequestBodySchema, correctionSchema, issuedCodesSchema, ownRecordSchema, type Correction } from '../../contract/confirmation.schema.ts';
import { findCorrection, listCorrections } from './confirmation.repository.ts';

const correctionIdParams = z.object({ correctionId: z.coerce.number().int().positive() });
const staffIdParams = z.object({ staffId: z.coerce.number().int().positive() });
const publicErrors = { 400: errorSchema, 401: errorSchema, 409: errorSchema, 422: errorSchema, 429: errorSchema };
type ScopedCorrection = { correction: NonNullable<Awaited<ReturnType<typeof findCorrection>>>; found: NonNullable<Awaited<ReturnType<typeof findStaff>>> };

declare module '../http/context.ts' {
  interface ScopedResources {
    correctionId: ScopedCorrection;
  }
}

/** `correctionId` resolves only to requests on records of the actor's subtree. */
registerIdResolver('correctionId', async (db, actor, id) => {
  const correction = await findCorrection(db, id);
  const found = correction && (await findStaff(db, correction.staffId));
  return correction && found && isWithin(found.school, actor.unit) ? { correction, found } : undefined;
});

const schoolRef = (school: { code: string; path: string }): UnitRef => ({ code: school.code, kind: 'school', path: school.path });

type CorrectionField = z.infer<typeof correctionSchema>['fields'][number];

/** A correction request; above the school its values, note and reason are masked as the record is. */
function presentCorrection(row: Awaited<ReturnType<typeof listCorrections>>[number], masked: boolean): Correction {
  const text = (value: string | null) => (masked && value ? maskPersonalText(value) : value);
  const maskField = (field: CorrectionField) => ({
    ...field,
    before: maskFieldValue(field.field, field.before),
    after: maskFieldValue(field.field, field.after),
    note: text(field.note),
  });
  const fields = row.fields as CorrectionField[];
  return {
    id: row.id,
    staffId: row.staffId,
    status: row.status,
    reason: text(row.reason),
    fields: masked ? fields.map(maskField) : fields,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
  };
}

/** The person's session token, sent as `Authorization: Bearer …` by the confirmation page. */
function bearer(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (!token) throw new DomainError('unauthenticated', { zh: '请先输入确认码', en: 'Enter your code first' });
  return token;
}

export async function confirmationRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;

  api.post('/api/schools/:code/confirmation-codes', {
    schema: {
      tags: ['confirmation'],
      summary: '发放确认码（用于打印确认单；草稿/退回的记录同时发送本人确认）/ Issue one-time codes for the slips',
      params: unitCodeParams,
      body: z.object({ ids: z.array(z.number().int().positive()).min(1).max(5000) }),
      response: { 200: issuedCodesSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const school = scoped(request, 'code');
    if (school.kind !== 'school') throw notFound();
    authorize(actor, 'staff.write', schoolRef(school));
    return issueCodes(db, { ...auditContext(request), actor }, school.code, request.body.ids);
  });

  api.get('/api/staff/:staffId/corrections', {
    schema: { tags: ['confirmation'], summary: '本人更正申请 / A record\'s correction requests', params: staffIdParams, response: { 200: z.object({ items: z.array(correctionSchema) }), ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request);
    const found = scoped(request, 'staffId');
    authorize(actor, 'staff.read', schoolRef(found.school));
    const masked = !can(actor, 'staff.seeFullId', schoolRef(found.school));
    return { items: (await listCorrections(db, found.record.id)).map((row) => presentCorrection(row, masked)) };
  });

  api.post('/api/corrections/:correctionId/accept', {
    schema: { tags: ['confirmation'], summary: '接受更正（应用并重新校验）/ Accept a correction: applied and checked again', params: correctionIdParams, response: { 200: correctionDecisionSchema, ...errorResponses, 409: errorSchema, 422: errorSchema } },
  }, async (request) => {
    const actor = requireActor(request);
    const { correction, found } = scoped(request, 'correctionId');
    authorize(actor, 'staff.write', schoolRef(found.school));
    const school = { code: found.school.code, name: found.school.name, schoolType: found.school.schoolType };
    const row = await acceptCorrection(db, { ...auditContext(request), actor }, correction, found.record, school);
    return { status: row.status, version: row.version };
  });

  api.post('/api/corrections/:correctionId/reject', {
    schema: {
      tags: ['confirmation'],
      summary: '驳回更正（须填原因，本人可见）/ Reject a correction with a reason the person sees',
      params: correctionIdParams,
      body: z.object({ reason: z.string().trim().min(1, '请填写驳回原因 / give a reason').max(500) }),
      response: { 200: correctionDecisionSchema, ...errorResponses, 409: errorSchema },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { correction, found } = scoped(request, 'correctionId');
    authorize(actor, 'staff.write', schoolRef(found.school));
    const row = await rejectCorrection(db, { ...auditContext(request), actor }, correction, found.record, request.body.reason);
    return { status: row.status, version: row.version };
  });

  // The person's own page: no account, a code and the ID number's last six characters.
  api.post('/api/confirm/session', {
    config: { public: true },
    schema: {
      tags: ['confirmation'],
      summary: '本人确认：输入确认码和证件号后六位 / Open one\'s own record with the code and the ID\'s last six characters',
      body: confirmSessionBodySchema,
      response: { 200: confirmSessionSchema, ...publicErrors },
    },
  }, async (request) => openSession(db, { ...request.body, ip: request.ip }));

  api.get('/api/confirm/record', {
    config: { public: true },
    // Without a token the answer is 401 before anything else is looked at.
    preValidation: async (request) => void bearer(request),
    schema: {
      tags: ['confirmation'],
      summary: '本人查看自己的信息 / One\'s own record in plain words',
      response: { 200: ownRecordSchema, ...publicErrors },
    },
  }, async (request) => presentOwnRecord(db, await sessionRecord(db, bearer(request))));

  api.post('/api/confirm/confirm', {
    config: { public: true },
    // Without a token the answer is 401 before anything else is looked at.
    preValidation: async (request) => void bearer(request),
    schema: { tags: ['confirmation'], summary: '本人确认信息无误 / Confirm one\'s record', response: { 200: z.object({ status: z.literal('confirmed') }), ...publicErrors } },
  }, async (request) => {
    await confirmOwnRecord(db, await sessionRecord(db, bearer(request)), request.ip);
    return { status: 'confirmed' as const };
  });

  api.post('/api/confirm/corrections', {
    config: { public: true },
    // Without a token the answer is 401 before anything else is looked at.
    preValidation: async (request) => void bearer(request),
    schema: {
      tags: ['confirmation'],
      summary: '本人申请更正（逐项：新值与说明）/ Ask for corrections, field by field',
      body: correctionRequestBodySchema,
      response: { 200: z.object({ status: z.literal('correction_requested') }), ...publicErrors },
    },
  }, async (request) => {
    await requestCorrection(db, await sessionRecord(db, bearer(request)), request.body.fields, request.ip);
    return { status: 'correction_requested' as const };
  });
}
