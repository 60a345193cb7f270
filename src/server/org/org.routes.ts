import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { counties } from '../../standard/divisions.ts';
import { DomainError, forbidden, notFound } from '../errors.ts';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, pagedSchema, unitCodeParams } from '../http/api-schemas.ts';
import { registerScopeResolver } from '../http/auth-hooks.ts';
import { authorize, can } from '../policy/can.ts';
import type { Actor } from '../policy/actor.ts';
import { createSchoolSchema, updateSchoolSchema } from '../../contract/schools.schema.ts';
import { closeSchoolSchema, mergeSchoolSchema, schoolListImportResultSchema, unitListItemSchema as listItemSchema, unitListQuerySchema as listQuerySchema, unitSchema } from '../../contract/org.schema.ts';
import { createSchool, updateSchool } from './schools.service.ts';
import { closeSchool, mergeSchool } from './school-life.service.ts';
import { importSchoolList, schoolListTemplate } from './schools.import.ts';
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

async function presentUnit(context: AppContext, actor: Actor, unit: UnitRow) {
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

function scopedSchool(request: FastifyRequest): UnitRow {
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

  api.post('/api/schools', {
    schema: { tags: ['schools'], summary: '新增学校 / Add a school', body: createSchoolSchema, response: { 201: unitSchema, ...errorResponses, 409: errorResponses[400] } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    // A school adds no schools and only admins add any: 403 before the county in the body is looked up (a school sees none).
    if (actor.unit.kind === 'school' || !can(actor, 'school.create', actor.unit)) throw forbidden();
    const school = await createSchool(db, { ...auditContext(request), actor }, request.body);
    return reply.code(201).send(await presentUnit(context, actor, school));
  });

  api.get('/api/schools/import-template', {
    schema: { tags: ['schools'], summary: '学校名单模板（.xlsx）/ The school list template' },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const visible = counties.filter(
      (county) => actor.unit.kind === 'province' || county.prefectureCode === actor.unit.code || county.code === actor.unit.code,
    );
    const buffer = await schoolListTemplate(visible.map(({ code, name }) => ({ code, name })));
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('学校名单模板.xlsx')}`)
      .send(buffer);
  });

  api.post('/api/schools/import', {
    schema: {
      tags: ['schools'],
      summary: '从 Excel 学校名单批量新增或修改学校（全部成功或全部不写入）/ Add or update schools from an Excel list, all or nothing',
      consumes: ['multipart/form-data'],
      response: { 200: schoolListImportResultSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    if (actor.role !== 'admin') authorize(actor, 'school.create', actor.unit);
    const file = await request.file();
    if (!file) throw new DomainError('bad_request', { zh: '请选择要上传的文件（字段 file）', en: 'Choose a file to upload (field "file")' });
    const buffer = await file.toBuffer();
    return importSchoolList(db, { ...auditContext(request), actor }, { buffer, fileName: file.filename });
  });

  api.get('/api/schools/:code', {
    schema: { tags: ['schools'], summary: '学校详情 / A school', params: unitCodeParams, response: { 200: unitSchema, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request);
    return presentUnit(context, actor, scopedSchool(request));
  });

  api.patch('/api/schools/:code', {
    schema: {
      tags: ['schools'],
      summary: '修改学校（需带 version）/ Edit a school (with its version)',
      params: unitCodeParams,
      body: updateSchoolSchema,
      response: { 200: unitSchema, ...errorResponses, 409: errorResponses[400] },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const school = await updateSchool(db, { ...auditContext(request), actor }, scopedSchool(request), request.body);
    return presentUnit(context, actor, school);
  });

  api.post('/api/schools/:code/close', {
    schema: {
      tags: ['schools'],
      summary: '撤销学校（须无教职工记录；上级管理员）/ Close a school that holds no records',
      params: unitCodeParams,
      body: closeSchoolSchema,
      response: { 200: unitSchema, ...errorResponses, 409: errorResponses[400] },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const school = await closeSchool(db, { ...auditContext(request), actor }, scopedSchool(request), request.body);
    return presentUnit(context, actor, school);
  });

  api.post('/api/schools/:code/merge', {
    schema: {
      tags: ['schools'],
      summary: '合并学校：教职工记录连同历史转入接收学校，本校撤销 / Merge a school into another',
      params: unitCodeParams,
      body: mergeSchoolSchema,
      response: { 200: unitSchema.extend({ moved: z.number() }), ...errorResponses, 409: errorResponses[400] },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const result = await mergeSchool(db, { ...auditContext(request), actor }, scopedSchool(request), request.body);
    return { ...(await presentUnit(context, actor, result.school)), moved: result.moved };
  });
}
