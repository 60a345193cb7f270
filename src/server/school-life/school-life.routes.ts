import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { counties } from '../../standard/divisions.ts';
import { DomainError, forbidden } from '../errors.ts';
import { auditContext, requireActor, type AppContext } from '../http/context.ts';
import { errorResponses, unitCodeParams } from '../http/api-schemas.ts';
import { authorize, can } from '../policy/can.ts';
import { createSchoolSchema, schoolImportResultSchema, updateSchoolSchema } from '../../contract/schools.schema.ts';
import { closeSchoolSchema, mergeSchoolSchema, unitSchema } from '../../contract/org.schema.ts';
import { requireServerKey } from '../accounts/credentials.service.ts';
import { presentUnit, scopedSchool } from '../org/org.routes.ts';
import { createSchool, updateSchool } from './schools.service.ts';
import { closeSchool, mergeSchool } from './school-life.service.ts';
import { importSchoolList, schoolListTemplate } from './schools.import.ts';

/** A school's life: added (one by one or from a list), edited, closed, merged into another. */
export async function schoolLifeRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;

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
      summary:
        '从 Excel 学校名单批量新增或修改学校（全部成功或全部不写入）；表单字段 createAccounts=true 时为每所新增学校创建管理员、操作员、负责人账号 / ' +
        'Add or update schools from an Excel list, all or nothing; with createAccounts=true each added school gets its admin, operator and leader accounts',
      consumes: ['multipart/form-data'],
      response: { 200: schoolImportResultSchema, ...errorResponses, 409: errorResponses[400] },
    },
  }, async (request) => {
    const actor = requireActor(request);
    // Only an admin above the school imports a school list (a school's own admin is refused with 403 too).
    authorize(actor, 'school.create', actor.unit);
    let upload: { buffer: Buffer; fileName: string } | undefined;
    let createAccounts = 'false';
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const buffer = await part.toBuffer();
        if (part.fieldname === 'file') upload = { buffer, fileName: part.filename };
      } else if (part.fieldname === 'createAccounts') createAccounts = String(part.value);
    }
    if (!upload) throw new DomainError('bad_request', { zh: '请选择要上传的文件（字段 file）', en: 'Choose a file to upload (field "file")' });
    if (createAccounts !== 'true' && createAccounts !== 'false') {
      throw new DomainError('bad_request', { zh: 'createAccounts 应为 true 或 false', en: 'createAccounts must be true or false' });
    }
    const accountKey = createAccounts === 'true' ? requireServerKey(context.config) : undefined;
    return importSchoolList(db, { ...auditContext(request), actor }, upload, { accountKey });
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
