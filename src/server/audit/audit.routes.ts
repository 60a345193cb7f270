import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, unitCodeParams } from '../http/api-schemas.ts';
import { authorize, can } from '../policy/can.ts';
import type { Actor } from '../policy/actor.ts';
import type { UnitRow } from '../org/units.repository.ts';
import { unitRefOf } from '../../contract/unit-tree.ts';
import { XlsxStreamWriter } from '../excel/xlsx-stream-writer.ts';
import { neutralise } from '../excel/cells.ts';
import { recordAudit } from './audit.ts';
import { maskDetailText, maskPersonalData } from './audit-log.ts';
import { listAuditEvents, type AuditRow } from './audit.repository.ts';
import { chinaDateTime } from '../../standard/normalize.ts';
import { auditFiltersSchema, auditPageQuerySchema, auditPageSchema } from '../../contract/audit.schema.ts';

/** ID numbers, birth dates and mobile numbers in an event's details stay masked unless the reader may see them in full. */
function present(actor: Actor, unit: UnitRow, row: AuditRow) {
  const full = can(actor, 'staff.seeFullId', unitRefOf(unit));
  const shown = (value: unknown) => (full ? value : maskPersonalData(value, row.targetType === 'staff'));
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: { username: row.actorUsername, unitCode: row.actorUnitCode },
    unit: row.unitCode ? { code: row.unitCode, name: row.unitName } : null,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    before: shown(row.before),
    after: shown(row.after),
    reason: row.reason === null || full ? row.reason : maskDetailText(row.reason, row.targetType === 'staff'),
    ip: row.ip,
  };
}

export async function auditRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db } = context.database;

  api.get('/api/units/:code/audit', {
    schema: {
      tags: ['audit'],
      summary: '审计日志：本单位及下级的操作记录，按时间倒序，游标分页 / The audit log of a subtree, newest first',
      params: unitCodeParams,
      querystring: auditPageQuerySchema,
      response: { 200: auditPageSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'audit.read', unitRefOf(unit));
    const { before, pageSize, ...filters } = request.query;
    const rows = await listAuditEvents(db, { path: unit.path, isProvince: unit.kind === 'province' }, filters, { before, limit: pageSize + 1 });
    const page = rows.slice(0, pageSize);
    return { items: page.map((row) => present(actor, unit, row)), nextBefore: rows.length > pageSize ? page[page.length - 1].id : null };
  });

  api.get('/api/units/:code/audit/export', {
    schema: {
      tags: ['audit'],
      summary: '导出审计日志（.xlsx，流式；导出本身记入审计）/ Export the audit log as .xlsx (streamed; audited)',
      params: unitCodeParams,
      querystring: auditFiltersSchema,
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'audit.read', unitRefOf(unit));
    const filters = request.query;
    await recordAudit(db, { ...auditContext(request), actor }, { action: 'audit.exported', targetType: 'unit', targetId: unit.code, unitCode: unit.code, after: filters });
    const stream = new PassThrough();
    const write = async () => {
      const writer = new XlsxStreamWriter(stream);
      const sheet = writer.addSheet('审计日志', { frozenRows: 1, widths: [10, 20, 16, 12, 22, 24, 14, 16, 40, 40, 30, 16] });
      await sheet.addRow(['序号', '时间（北京时间）', '操作人', '操作人单位', '相关单位', '操作', '对象类型', '对象', '变更前', '变更后', '原因', 'IP'], { bold: true });
      const scope = { path: unit.path, isProvince: unit.kind === 'province' };
      for (let before: number | undefined; ; ) {
        const rows = await listAuditEvents(db, scope, filters, { before, limit: 2000 });
        for (const row of rows) {
          const event = present(actor, unit, row);
          const json = (value: unknown) => (value === null || value === undefined ? '' : neutralise(JSON.stringify(value)));
          const beijing = chinaDateTime(row.at, true);
          const pending = sheet.addRow([event.id, beijing, event.actor.username ?? (event.action.startsWith('auth.') ? '未登录者' : '系统'), event.actor.unitCode ?? '', event.unit ? `${event.unit.code} ${event.unit.name ?? ''}` : '', event.action, event.targetType, event.targetId ?? '', json(event.before), json(event.after), neutralise(event.reason ?? ''), event.ip ?? '']);
          if (pending) await pending;
        }
        if (rows.length < 2000) break;
        before = rows[rows.length - 1].id;
      }
      await sheet.end();
      await writer.finish();
    };
    write().catch((error: unknown) => stream.destroy(error instanceof Error ? error : new Error(String(error))));
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${unit.name}-审计日志.xlsx`)}`)
      .send(stream);
  });
}
