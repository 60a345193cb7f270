import { PassThrough, type Writable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { notFound } from '../errors.ts';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, unitCodeParams } from '../http/api-schemas.ts';
import { authorize } from '../policy/can.ts';
import { findUnit } from '../org/units.repository.ts';
import { accountsExportQuerySchema, bulkResultSchema, bulkUnitsBodySchema, credentialsQuerySchema } from '../../contract/accounts.schema.ts';
import { isWithin, unitRefOf } from '../../contract/unit-tree.ts';
import { bulkResetPasswords, bulkUnlock, exportAccounts, writeAccountsWorkbook } from './bulk.service.ts';
import { credentialsPrintPage, initialCredentials, requireServerKey, writeCredentialsWorkbook } from './credentials.service.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends an .xlsx produced by `write` as a download, streaming. */
function sendWorkbook(reply: FastifyReply, fileName: string, write: (output: Writable) => Promise<unknown>) {
  const stream = new PassThrough();
  write(stream).catch((error: unknown) => stream.destroy(error instanceof Error ? error : new Error(String(error))));
  return reply
    .header('content-type', xlsxType)
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`)
    .send(stream);
}

/** Accounts by the thousand: the initial credentials of imported schools, bulk reset and unlock, the export. */
export async function accountBulkRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;

  api.get('/api/units/:code/credentials', {
    schema: {
      tags: ['accounts'],
      summary: '下载初始账号（仍为初始密码的账号；Excel 或打印页）/ Initial credentials of a unit\'s subtree, as a workbook or a printable page',
      params: unitCodeParams,
      querystring: credentialsQuerySchema,
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'account.list', unitRefOf(unit));
    const { format } = request.query;
    const credentials = await initialCredentials(db, { ...auditContext(request), actor }, () => requireServerKey(context.config), unitRefOf(unit), format);
    if (format === 'print') {
      const page = credentialsPrintPage(`${unit.name}初始账号`, credentials, `${request.protocol}://${request.host}/`);
      return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(page);
    }
    return sendWorkbook(reply, `${unit.name}-初始账号.xlsx`, (output) => writeCredentialsWorkbook(output, credentials));
  });

  api.post('/api/accounts/bulk-reset', {
    schema: {
      tags: ['accounts'],
      summary: '批量重置密码（所列单位的账号，新初始密码可在“下载初始账号”中取得）/ Reset every account of the listed units',
      body: bulkUnitsBodySchema,
      response: { 200: bulkResultSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    authorize(actor, 'account.list', actor.unit);
    return bulkResetPasswords(db, { ...auditContext(request), actor }, request.body.unitCodes, () => requireServerKey(context.config));
  });

  api.post('/api/accounts/bulk-unlock', {
    schema: {
      tags: ['accounts'],
      summary: '批量解锁（所列单位的账号）/ Unlock every account of the listed units',
      body: bulkUnitsBodySchema,
      response: { 200: bulkResultSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    authorize(actor, 'account.list', actor.unit);
    return bulkUnlock(db, { ...auditContext(request), actor }, request.body.unitCodes);
  });

  api.get('/api/accounts/export', {
    schema: {
      tags: ['accounts'],
      summary: '导出辖区账号（不含密码）/ The accounts of the subtree as a workbook, without passwords',
      querystring: accountsExportQuerySchema,
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    let unit = actor.unit;
    if (request.query.unitCode) {
      const found = await findUnit(db, request.query.unitCode);
      if (!found || !isWithin(found, actor.unit)) throw notFound();
      unit = { code: found.code, name: found.name, kind: found.kind, path: found.path };
    }
    const accounts = await exportAccounts(db, { ...auditContext(request), actor }, unit);
    return sendWorkbook(reply, `${unit.name}-账号.xlsx`, (output) => writeAccountsWorkbook(output, accounts));
  });
}
