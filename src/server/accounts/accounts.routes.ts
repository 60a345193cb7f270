import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { notFound } from '../errors.ts';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { accountIdParams, errorResponses, pagedSchema } from '../http/api-schemas.ts';
import { registerIdResolver } from '../http/auth-hooks.ts';
import { authorize, can } from '../policy/can.ts';
import type { Actor } from '../policy/actor.ts';
import { accountCreateBodySchema, accountListQuerySchema, accountSchema, accountUpdateBodySchema, resetPasswordBodySchema, type Account } from '../../contract/accounts.schema.ts';
import { findUnit } from '../org/units.repository.ts';
import { isWithin, type UnitKind } from '../../contract/unit-tree.ts';
import { findAccountView, listAccounts, type AccountView } from './accounts.repository.ts';
import { createAccount, resetPassword, unlockAccount, updateAccount } from './accounts.service.ts';
import { passwordSchema } from './password-policy.ts';
import { accountBulkRoutes } from './accounts-bulk.routes.ts';

type ScopedAccount = AccountView & { unitRef: { code: string; kind: UnitKind; path: string } };

declare module '../http/context.ts' {
  interface ScopedResources {
    accountId: ScopedAccount;
  }
}

/** Every route parameter named `accountId` resolves only to accounts of the actor's subtree. */
// Account ids are 32-bit (an integer column).
registerIdResolver(
  'accountId',
  async (db, actor, id) => {
    const account = await findAccountView(db, id);
    return account && isWithin(account.unitRef, actor.unit) ? account : undefined;
  },
  2_147_483_647,
);

function present(actor: Actor, account: ScopedAccount): Account {
  const { unitRef, ...view } = account;
  return { ...view, abilities: { update: can(actor, 'account.update', { id: view.id, role: view.role, unit: unitRef }) } };
}

function readable(actor: Actor, account: ScopedAccount) {
  authorize(actor, 'account.read', { id: account.id, role: account.role, unit: account.unitRef });
  return account;
}

export async function accountRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;
  await accountBulkRoutes(app, context);

  api.get('/api/accounts', {
    schema: {
      tags: ['accounts'],
      summary: '辖区内账号（分页、搜索）/ Accounts in the subtree of a unit, paged',
      querystring: accountListQuerySchema,
      response: { 200: pagedSchema(accountSchema), ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { page, pageSize, unitCode, onlyUnit, role, q } = request.query;
    let within = actor.unit;
    if (unitCode) {
      const unit = await findUnit(db, unitCode);
      if (!unit || !isWithin(unit, actor.unit)) throw notFound();
      within = { code: unit.code, name: unit.name, kind: unit.kind, path: unit.path };
    }
    authorize(actor, 'account.list', within);
    const result = await listAccounts(db, within, { q, role, unitCode: onlyUnit === 'true' ? within.code : undefined }, { page, pageSize });
    return { items: result.items.map((account) => present(actor, account)), total: result.total };
  });

  api.post('/api/accounts', {
    schema: {
      tags: ['accounts'],
      summary: '新建账号 / Create an account',
      body: accountCreateBodySchema.extend({ password: passwordSchema }),
      response: { 201: accountSchema, ...errorResponses, 409: errorResponses[400] },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const account = await createAccount(db, { ...auditContext(request), actor }, request.body);
    return reply.code(201).send(present(actor, account));
  });

  api.get('/api/accounts/:accountId', {
    schema: { tags: ['accounts'], summary: '账号详情 / An account', params: accountIdParams, response: { 200: accountSchema, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request);
    return present(actor, readable(actor, scoped(request, 'accountId')));
  });

  api.patch('/api/accounts/:accountId', {
    schema: {
      tags: ['accounts'],
      summary: '修改账号（需带 version）/ Edit an account (with its version)',
      params: accountIdParams,
      body: accountUpdateBodySchema,
      response: { 200: accountSchema, ...errorResponses, 409: errorResponses[400] },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const account = readable(actor, scoped(request, 'accountId'));
    return present(actor, await updateAccount(db, { ...auditContext(request), actor }, account.id, request.body));
  });

  api.post('/api/accounts/:accountId/reset-password', {
    schema: {
      tags: ['accounts'],
      summary: '重置密码 / Set a new password for an account',
      params: accountIdParams,
      body: resetPasswordBodySchema.extend({ password: passwordSchema }),
      response: { 200: accountSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const account = readable(actor, scoped(request, 'accountId'));
    return present(actor, await resetPassword(db, { ...auditContext(request), actor }, account.id, request.body.password));
  });

  api.post('/api/accounts/:accountId/unlock', {
    schema: { tags: ['accounts'], summary: '解除锁定 / Unlock an account', params: accountIdParams, response: { 200: accountSchema, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request);
    const account = readable(actor, scoped(request, 'accountId'));
    return present(actor, await unlockAccount(db, { ...auditContext(request), actor }, account.id));
  });
}
