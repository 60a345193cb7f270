import { PassThrough, type Writable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError, notFound } from '../errors.ts';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, pageQuerySchema, pagedSchema, unitCodeParams } from '../http/api-schemas.ts';
import { registerIdResolver } from '../http/auth-hooks.ts';
import { recordAudit } from '../audit/audit.ts';
import { authorize, can } from '../policy/can.ts';
import type { UnitRow } from '../org/units.repository.ts';
import { isWithin, schoolTypeOf, type UnitRef } from '../../contract/unit-tree.ts';
import { currentCampaign, planLevelOf, tasksFor } from '../campaign/campaign.service.ts';
import { listSchoolStaffForTemplate } from '../staff/staff.repository.ts';
import { writeAnnotatedWorkbook } from './annotated-workbook.ts';
import { commitImport } from './import-commit.service.ts';
import { previewImport } from './import-preview.service.ts';
import { allIssues, countStaffWithin, findImport, listIssues, listRows, listSchoolImports, rowActions } from './imports.repository.ts';
import { writeSchoolTemplate } from './template.service.ts';
import { writeStaffExport } from './export.service.ts';
import { presentImport, presentIssue, presentRow } from './imports.presenter.ts';
import { importCountsSchema, importFormatOf, importRowActions, importSchema, issueQuerySchema, issueSchema, previewSchema, rowSchema } from '../../contract/imports.schema.ts';
import { readStoredFile } from '../files/stored-files.ts';

type ScopedImport = NonNullable<Awaited<ReturnType<typeof findImport>>>;
const importIdParams = z.object({ importId: z.coerce.number().int().positive() });
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const maxUploadBytes = 64 * 1024 * 1024;

declare module '../http/context.ts' {
  interface ScopedResources {
    importId: ScopedImport;
  }
}

registerIdResolver('importId', async (db, actor, id) => {
  const found = await findImport(db, id);
  return found && isWithin(found.school, actor.unit) ? found : undefined;
});

const schoolRef = (school: { code: string; path: string }): UnitRef => ({ code: school.code, kind: 'school', path: school.path });

function schoolOf(unit: UnitRow) {
  if (unit.kind !== 'school') throw notFound({ zh: '该代码不是学校', en: 'This code is not a school' });
  return { code: unit.code, name: unit.name, path: unit.path, schoolType: schoolTypeOf(unit) };
}

/** Sends an .xlsx produced by `write` as a download, streaming. */
function sendWorkbook(reply: FastifyReply, fileName: string, write: (output: Writable) => Promise<unknown>) {
  const stream = new PassThrough();
  write(stream).catch((error: unknown) => stream.destroy(error instanceof Error ? error : new Error(String(error))));
  return reply
    .header('content-type', xlsxType)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`)
    .send(stream);
}

export async function importRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;

  api.get('/api/schools/:code/template', {
    schema: { tags: ['imports'], summary: '下载本校模板（含已录入人员）/ The school\'s template, pre-filled', params: unitCodeParams },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const school = schoolOf(scoped(request, 'code'));
    authorize(actor, 'staff.read', schoolRef(school));
    const campaign = await currentCampaign(db);
    const tasks = campaign ? tasksFor(campaign, planLevelOf('school', school.schoolType)).tasks : [];
    const records = can(actor, 'staff.seeFullId', schoolRef(school)) ? await listSchoolStaffForTemplate(db, school.code) : [];
    return sendWorkbook(reply, `${school.name}-教职工信息模板.xlsx`, (output) => writeSchoolTemplate(output, { school, tasks, records }));
  });

  api.post('/api/schools/:code/imports', {
    schema: {
      tags: ['imports'],
      summary: '上传教职工文件并预览（不写入）/ Upload a staff file and preview it (nothing is written)',
      description: 'multipart/form-data: optional fields `mode` (lenient | strict) and `uploadToken` first, then `file` (.xlsx or .csv).',
      consumes: ['multipart/form-data'],
      params: unitCodeParams,
      response: { 200: previewSchema, ...errorResponses, 413: errorResponses[400], 415: errorResponses[400], 422: errorResponses[400] },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const school = schoolOf(scoped(request, 'code'));
    authorize(actor, 'staff.write', schoolRef(school));
    const file = await request.file({ limits: { fileSize: maxUploadBytes, files: 1 } });
    if (!file) throw new DomainError('bad_request', { zh: '请选择要上传的文件（字段 file）', en: 'Choose a file to upload (field "file")' });
    const field = (name: string) => {
      const value = file.fields[name];
      return value && !Array.isArray(value) && value.type === 'field' ? String(value.value) : undefined;
    };
    const mode = field('mode') === 'strict' ? 'strict' : 'lenient';
    const content = await file.toBuffer();
    if (content.length === 0) throw new DomainError('unprocessable', { zh: `文件“${file.filename}”是空的`, en: `"${file.filename}" is empty` });
    const preview = await previewImport(db, { ...auditContext(request), actor }, school, { name: file.filename, content, mode, uploadToken: field('uploadToken') });
    return { ...preview, issues: preview.issues.map((issue) => presentIssue(preview.format, issue)) };
  });

  api.get('/api/schools/:code/imports', {
    schema: {
      tags: ['imports'],
      summary: '导入历史 / Import history of a school',
      params: unitCodeParams,
      querystring: pageQuerySchema.extend({ uploadToken: z.string().max(64).optional() }),
      response: { 200: pagedSchema(importSchema), ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const school = schoolOf(scoped(request, 'code'));
    authorize(actor, 'staff.read', schoolRef(school));
    const { page, pageSize, uploadToken } = request.query;
    const result = await listSchoolImports(db, school.code, { page, pageSize }, uploadToken);
    return { total: result.total, items: result.items.map(presentImport) };
  });

  api.get('/api/imports/:importId', {
    schema: { tags: ['imports'], summary: '导入详情 / An import', params: importIdParams, response: { 200: importSchema, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request);
    const found = scoped(request, 'importId');
    authorize(actor, 'staff.read', schoolRef(found.school));
    return presentImport(found.record);
  });

  api.get('/api/imports/:importId/issues', {
    schema: {
      tags: ['imports'],
      summary: '导入发现的问题（按字段、代码筛选）/ Findings of an import, filterable by field and code',
      params: importIdParams,
      querystring: pageQuerySchema.extend(issueQuerySchema.shape),
      response: { 200: pagedSchema(issueSchema), ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const found = scoped(request, 'importId');
    authorize(actor, 'staff.read', schoolRef(found.school));
    const { page, pageSize, ...filters } = request.query;
    const result = await listIssues(db, found.record.id, filters, { page, pageSize });
    const masked = !can(actor, 'staff.seeFullId', schoolRef(found.school));
    return { total: result.total, items: result.items.map((issue) => presentIssue(found.record.format ?? 'xlsx', issue, masked)) };
  });

  api.get('/api/imports/:importId/rows', {
    schema: {
      tags: ['imports'],
      summary: '导入的行（新增、修改：旧值 → 新值、冲突）/ Rows of an import: new, changed (old → new), conflicts',
      params: importIdParams,
      querystring: pageQuerySchema.extend({ action: z.enum(importRowActions).optional() }),
      response: { 200: pagedSchema(rowSchema), ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const found = scoped(request, 'importId');
    authorize(actor, 'staff.read', schoolRef(found.school));
    const { page, pageSize, action } = request.query;
    const result = await listRows(db, found.record.id, action, { page, pageSize });
    const fullIds = can(actor, 'staff.seeFullId', schoolRef(found.school));
    return { total: result.total, items: result.items.map((row) => presentRow(row, fullIds)) };
  });

  api.get('/api/imports/:importId/annotated', {
    schema: { tags: ['imports'], summary: '标注错误的工作簿 / The uploaded workbook with its bad cells marked', params: importIdParams },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const found = scoped(request, 'importId');
    authorize(actor, 'staff.write', schoolRef(found.school));
    const record = found.record;
    const format = importFormatOf(record.format);
    const headerRow = record.headerRow;
    if (!record.originalFileId || !headerRow || !format) {
      throw new DomainError('conflict', { zh: '该文件未能读取，没有标注结果', en: 'This file could not be read; there is nothing to annotate' });
    }
    const original = await readStoredFile(db, record.originalFileId);
    if (!original) throw notFound();
    const [issues, actions] = await Promise.all([allIssues(db, record.id), rowActions(db, record.id)]);
    await recordAudit(db, { ...auditContext(request), actor }, { action: 'import.annotated_downloaded', targetType: 'import', targetId: record.id, unitCode: record.schoolCode });
    const base = record.fileName.replace(/\.(xlsx|csv)$/i, '');
    return sendWorkbook(reply, `${base}-标注.xlsx`, (output) =>
      writeAnnotatedWorkbook(original.content, output, {
        format,
        fileName: record.fileName,
        headerRow,
        issues,
        actions,
        committed: record.status === 'committed',
      }),
    );
  });

  api.get('/api/imports/:importId/original', {
    schema: { tags: ['imports'], summary: '上传的原始文件 / The file as uploaded', params: importIdParams },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const found = scoped(request, 'importId');
    authorize(actor, 'staff.write', schoolRef(found.school));
    if (!found.record.originalFileId) throw notFound();
    const file = await readStoredFile(db, found.record.originalFileId);
    if (!file) throw notFound();
    await recordAudit(db, { ...auditContext(request), actor }, { action: 'import.original_downloaded', targetType: 'import', targetId: found.record.id, unitCode: found.record.schoolCode });
    return reply
      .header('content-type', found.record.format === 'csv' ? 'text/csv' : xlsxType)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(found.record.fileName)}`)
      .send(file.content);
  });

  api.post('/api/imports/:importId/commit', {
    schema: {
      tags: ['imports'],
      summary: '提交导入（全部写入或全部不写入）/ Commit an import: all valid rows in one transaction',
      params: importIdParams,
      response: {
        200: importCountsSchema,
        ...errorResponses,
        409: errorResponses[400],
      },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const found = scoped(request, 'importId');
    authorize(actor, 'staff.write', schoolRef(found.school));
    return commitImport(db, { ...auditContext(request), actor }, found.record);
  });

  api.get('/api/units/:code/export', {
    schema: {
      tags: ['imports'],
      summary: '导出本单位及下级的教职工（.xlsx，流式）/ Export the unit\'s staff as .xlsx, streamed',
      params: unitCodeParams,
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    const ref: UnitRef = { code: unit.code, kind: unit.kind, path: unit.path };
    authorize(actor, 'staff.read', ref);
    const fullIds = can(actor, 'staff.seeFullId', ref) || can(actor, 'staff.reveal', ref);
    const total = await countStaffWithin(db, unit.path);
    await recordAudit(db, { ...auditContext(request), actor }, {
      action: 'staff.exported',
      targetType: 'unit',
      targetId: unit.code,
      unitCode: unit.code,
      after: { records: total, fullIds },
    });
    return sendWorkbook(reply, `${unit.name}-教职工信息.xlsx`, (output) => writeStaffExport(db, output, unit, { fullIds }));
  });
}
