import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { maskFieldValue, maskFinding, maskValues, staffInputSchema } from '../../standard/index.ts';
import type { Finding } from '../../standard/types.ts';
import { notFound } from '../errors.ts';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, maxInteger, unitCodeParams, versionSchema } from '../http/api-schemas.ts';
import { registerIdResolver } from '../http/auth-hooks.ts';
import { authorize, can } from '../policy/can.ts';
import type { Actor } from '../policy/actor.ts';
import type { UnitRow } from '../org/units.repository.ts';
import { isWithin, schoolTypeOf, type UnitRef } from '../../contract/unit-tree.ts';
import { findStaff, isIdSearch, listSchoolStaff, schoolStaffSummary, valuesOf } from './staff.repository.ts';
import { createStaff, deleteStaff, revealIdNumber, updateStaff } from './staff.service.ts';
import { limitedIdSearch } from './id-search-limit.ts';
import { availableEvents, type ConfirmedVia } from '../../contract/record-states.ts';
import {
  revealedNumbersSchema,
  staffIdParams,
  staffListPageSchema,
  staffListQuerySchema,
  staffSchema,
  staffSummarySchema,
} from '../../contract/staff.schema.ts';

export type ScopedStaff = NonNullable<Awaited<ReturnType<typeof findStaff>>>;

/** How a record was confirmed, shown only while it is confirmed or approved. */
const confirmedViaOf = (record: { status: string; confirmedVia: string | null }): ConfirmedVia | null =>
  (record.status === 'confirmed' || record.status === 'approved') && (record.confirmedVia === 'phone' || record.confirmedVia === 'paper') ? record.confirmedVia : null;
declare module '../http/context.ts' {
  interface ScopedResources {
    staffId: ScopedStaff;
  }
}

/** Every route parameter named `staffId` resolves only to live records of the actor's subtree. */
registerIdResolver('staffId', async (db, actor, id) => {
  const found = await findStaff(db, id);
  return found && isWithin(found.school, actor.unit) ? found : undefined;
});

export const schoolRef = (school: { code: string; path: string }): UnitRef => ({ code: school.code, kind: 'school', path: school.path });

export function present(actor: Actor, found: ScopedStaff) {
  const { record, school } = found;
  const ref = schoolRef(school);
  const values = valuesOf(record);
  // Above the school the ID number and the birth date are masked together, and so is every finding quoting them.
  const masked = !can(actor, 'staff.seeFullId', ref);
  const findings = record.findings as Finding[];
  return {
    id: record.id,
    schoolCode: school.code,
    schoolName: school.name,
    schoolType: school.schoolType,
    status: record.status,
    confirmedVia: confirmedViaOf(record),
    version: record.version,
    values: masked ? maskValues(values) : values,
    idNumberMasked: masked,
    findings: masked ? findings.map(maskFinding) : findings,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    abilities: {
      update: can(actor, 'staff.write', ref),
      delete: can(actor, 'staff.write', ref),
      reveal: masked && can(actor, 'staff.reveal', ref),
      events: can(actor, 'staff.write', ref) ? availableEvents(record.status, 'school').filter((event) => event !== 'edit') : [],
    },
  };
}

export function schoolOf(unit: UnitRow) {
  if (unit.kind !== 'school') throw notFound({ zh: '该代码不是学校', en: 'This code is not a school' });
  return { code: unit.code, name: unit.name, path: unit.path, schoolType: schoolTypeOf(unit) };
}

export async function staffRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;

  api.get('/api/schools/:code/staff', {
    schema: {
      tags: ['staff'],
      summary: '学校教职工列表（分页、筛选）/ A school\'s staff records, paged and filtered',
      params: unitCodeParams,
      querystring: staffListQuerySchema,
      response: {
        200: staffListPageSchema,
        ...errorResponses,
      },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const school = schoolOf(scoped(request, 'code'));
    authorize(actor, 'staff.read', schoolRef(school));
    const { page, pageSize, status, hasWarnings, q, pendingCorrection, changedSinceApproval, confirmedVia, batch } = request.query;
    const masked = !can(actor, 'staff.seeFullId', schoolRef(school));
    const shown = (key: 'idNumber' | 'birthDate', value: string | null) => (masked ? maskFieldValue(key, value) : value);
    const filters = {
      status,
      q,
      // A reader who sees masked numbers finds a person by the whole number only, never by its start.
      idSearch: masked ? ('whole' as const) : ('prefix' as const),
      hasFindings: hasWarnings === undefined ? undefined : hasWarnings === 'true',
      pendingCorrection: pendingCorrection === 'true',
      changedSinceApproval: changedSinceApproval === 'true',
      confirmedVia,
      batchId: batch,
    };
    const search = () => listSchoolStaff(db, school.code, filters, { page, pageSize });
    // Each whole-number search of a masked reader answers a guess: its misses are limited.
    const result = masked && isIdSearch(q) ? await limitedIdSearch(db, actor.id, search) : await search();
    return {
      total: result.total,
      idNumbersMasked: masked,
      items: result.items.map(({ findings, updatedAt, schoolCode: _school, ...item }) => ({
        ...item,
        status: item.status,
        confirmedVia: confirmedViaOf(item),
        idNumber: shown('idNumber', item.idNumber),
        birthDate: shown('birthDate', item.birthDate),
        warnings: (findings as Finding[]).length,
        updatedAt: updatedAt.toISOString(),
      })),
    };
  });

  api.post('/api/schools/:code/staff', {
    schema: {
      tags: ['staff'],
      summary: '新增教职工（按标准校验）/ Add a staff record (checked by the standard)',
      params: unitCodeParams,
      body: z.object({ values: staffInputSchema }),
      response: { 201: staffSchema, ...errorResponses, 409: errorResponses[400], 422: errorResponses[400] },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const school = schoolOf(scoped(request, 'code'));
    authorize(actor, 'staff.write', schoolRef(school));
    const row = await createStaff(db, { ...auditContext(request), actor }, school, request.body.values);
    return reply.code(201).send(present(actor, { record: row, school }));
  });

  api.get('/api/staff/:staffId', {
    schema: { tags: ['staff'], summary: '教职工记录 / A staff record', params: staffIdParams, response: { 200: staffSchema, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request);
    const found = scoped(request, 'staffId');
    authorize(actor, 'staff.read', schoolRef(found.school));
    return present(actor, found);
  });

  api.patch('/api/staff/:staffId', {
    schema: {
      tags: ['staff'],
      summary: '修改教职工记录（需带 version；过期版本返回 409）/ Edit a record (with its version; a stale one answers 409)',
      params: staffIdParams,
      body: z.object({ version: versionSchema, values: staffInputSchema }),
      response: { 200: staffSchema, ...errorResponses, 409: errorResponses[400], 422: errorResponses[400] },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const found = scoped(request, 'staffId');
    authorize(actor, 'staff.write', schoolRef(found.school));
    const row = await updateStaff(db, { ...auditContext(request), actor }, found.school, found.record, request.body);
    return present(actor, { record: row, school: found.school });
  });

  api.delete('/api/staff/:staffId', {
    schema: {
      tags: ['staff'],
      summary: '删除教职工记录（留痕）/ Delete a record (soft, audited)',
      params: staffIdParams,
      querystring: z.object({ version: z.coerce.number().int().positive().max(maxInteger), reason: z.string().max(200).optional() }),
      response: { 204: z.null(), ...errorResponses, 409: errorResponses[400] },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const found = scoped(request, 'staffId');
    authorize(actor, 'staff.write', schoolRef(found.school));
    await deleteStaff(db, { ...auditContext(request), actor }, found.record, request.query);
    return reply.code(204).send(null);
  });

  api.post('/api/staff/:staffId/reveal', {
    schema: {
      tags: ['staff'],
      summary: '查看完整证件号及出生日期（记入审计）/ Reveal the full ID number and birth date (audited)',
      params: staffIdParams,
      response: { 200: revealedNumbersSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const found = scoped(request, 'staffId');
    authorize(actor, 'staff.reveal', schoolRef(found.school));
    return revealIdNumber(db, { ...auditContext(request), actor }, found.record);
  });

  api.get('/api/schools/:code/staff/summary', {
    schema: {
      tags: ['staff'],
      summary: '本校记录状态统计与应有人数对比 / Records by state against the expected staff count',
      params: unitCodeParams,
      response: {
        200: staffSummarySchema,
        ...errorResponses,
      },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    const school = schoolOf(unit);
    authorize(actor, 'staff.read', schoolRef(school));
    const summary = await schoolStaffSummary(db, school.code);
    const expectedStaff = unit.expectedStaff ?? 0;
    return { expectedStaff, ...summary, difference: summary.total - expectedStaff };
  });
}
