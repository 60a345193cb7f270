import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {   notFound } from '../errors.ts';
import {  requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, pagedSchema, unitCodeParams } from '../http/api-schemas.ts';
import { registerScopeResolver } from '../http/auth-hooks.ts';
import { authorize, can } from '../policy/can.ts';
import type { Actor } from '../policy/actor.ts';
import { unitListItemSchema as listItemSchema, unitListQuerySchema as listQuerySchema, unitSchema } from '../../contract/org.schema.ts';
import { findUnit, listChildren, listSchoolsWithin, subtreeCounts, unitChain, type UnitRow } from './units.repository.ts';
import { isWithin, unitRefOf } from '../../contract/unit-tree.ts';

declare module '../http/context.ts' {
  interface ScopedResources {
    code: UnitRow;
  }
}

/** Every route parameter named `code` is a unit code, resolved only inside the actor's subtree. */
registerScopeResolver('code', async (db, actor, value) => {
  const unit = await findUnit(db, value);
  return unit && isWithin(unit, actor.unit) ? unit : undefined;
});

export async function presentUnit(context: AppContext, actor: Actor, unit: UnitRow) {
  const db = context.database.db;
  const [chain, counts, county] = await Promise.all([
    unitChain(db, unit),
    subtreeCounts(db, unitRefOf(unit)),
    unit.kind === 'school' && unit.countyCode ? findUnit(db, unit.countyCode) : undefined,
  ]);
  const isSchool = unit.kind === 'school';
  const ref = unitRefOf(unit);
  return {
    code: unit.code,
    name: unit.name,
    kind: unit.kind,
    parentCode: unit.parentCode,
    schoolType: unit.schoolType ?? null,
    countyCode: unit.countyCode,
    countyName: isSchool ? (county?.name ?? null) : unit.kind === 'county' ? unit.name : null,
    reportingUnitCode: isSchool ? unit.parentCode : null,
    reportingUnitName: isSchool ? (chain.find((c) => c.code === unit.parentCode)?.name ?? null) : null,
    expectedStaff: unit.expectedStaff,
    closed: unit.closedOn ? { on: unit.closedOn, reason: unit.closedReason, mergedInto: unit.mergedInto } : null,
    version: unit.version,
    chain,
    counts,
    abilities: {
      createSchool: !isSchool && can(actor, 'school.create', ref),
      updateSchool: isSchool && !unit.closedOn && can(actor, 'school.update', ref),
      closeSchool: isSchool && !unit.closedOn && can(actor, 'school.lifecycle', ref),
      manageAccounts: can(actor, 'account.list', ref),
      writeStaff: isSchool && can(actor, 'staff.write', ref),
    },
  };
}

export function scopedSchool(request: FastifyRequest): UnitRow {
  const unit = scoped(request, 'code');
  if (unit.kind !== 'school') throw notFound({ zh: '该代码不是学校', en: 'This code is not a school' });
  return unit;
}

export async function orgRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;

  api.get('/api/units/:code', {
    schema: { tags: ['units'], summary: '单位详情：上级链与统计 / A unit, its parent chain and counts', params: unitCodeParams, response: { 200: unitSchema, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request);
    return presentUnit(context, actor, scoped(request, 'code'));
  });

  api.get('/api/units/:code/children', {
    schema: {
      tags: ['units'],
      summary: '下级单位（分页）/ Direct children of a unit, paged',
      params: unitCodeParams,
      querystring: listQuerySchema,
      response: { 200: pagedSchema(listItemSchema), ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', unitRefOf(unit));
    const { page, pageSize, ...filters } = request.query;
    return listChildren(db, unitRefOf(unit), filters, { page, pageSize });
  });

  api.get('/api/units/:code/schools', {
    schema: {
      tags: ['units'],
      summary: '辖区内全部学校（分页、搜索）/ Every school in a unit\'s subtree, paged and searchable',
      params: unitCodeParams,
      querystring: listQuerySchema.omit({ kind: true }),
      response: { 200: pagedSchema(listItemSchema), ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'unit.read', unitRefOf(unit));
    const { page, pageSize, ...filters } = request.query;
    return listSchoolsWithin(db, unitRefOf(unit), filters, { page, pageSize });
  });

  api.get('/api/schools/:code', {
    schema: { tags: ['schools'], summary: '学校详情 / A school', params: unitCodeParams, response: { 200: unitSchema, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request);
    return presentUnit(context, actor, scopedSchool(request));
  });

}
