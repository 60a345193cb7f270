import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError, forbidden } from '../errors.ts';
import { auditContext, requireActor, scoped, type AppContext } from '../http/context.ts';
import { errorResponses, unitCodeParams } from '../http/api-schemas.ts';
import { registerIdResolver } from '../http/auth-hooks.ts';
import { authorize, can } from '../policy/can.ts';
import { findUnit, type UnitRow } from '../org/units.repository.ts';
import { onOneChain, unitRefOf } from '../../contract/unit-tree.ts';
import { findAnnouncement, findLibraryFile, type AnnouncementRow, type LibraryFileRow } from './resources.repository.ts';
import type { Database } from '../db/client.ts';
import type { Actor } from '../policy/actor.ts';
import { plainText } from '../http/text.ts';
import { announcementSchema, resourcesSchema } from '../../contract/resources.schema.ts';
import { readUpload, sendDownload } from '../files/transfer.ts';
import { addLibraryFile, downloadLibraryFile, listResources, publishAnnouncement, removeAnnouncement, removeLibraryFile } from './resources.service.ts';

const fileIdParams = z.object({ fileId: z.coerce.number().int().positive() });
const announcementIdParams = z.object({ announcementId: z.coerce.number().int().positive() });

/**
 * A library file or an announcement is seen by its level's subtree (and by the levels above it, whose subtree
 * holds it); the resolver answers the row with its unit.
 */
const publishedResolver =
  <T extends { unitCode: string }>(read: (db: Database, id: number) => Promise<T | undefined>) =>
  async (db: Database, actor: Actor, id: number) => {
    const row = await read(db, id);
    const unit = row && (await findUnit(db, row.unitCode));
    return row && unit && onOneChain(actor.unit, unit) ? { row, unit } : undefined;
  };
registerIdResolver('fileId', publishedResolver(findLibraryFile));
registerIdResolver('announcementId', publishedResolver(findAnnouncement));
type Published<T> = { row: T; unit: UnitRow };

declare module '../http/context.ts' {
  interface ScopedResources {
    fileId: Published<LibraryFileRow>;
    announcementId: Published<AnnouncementRow>;
  }
}

/** The caller sees it (its scope resolver said so); removing it is for the publishing unit's admin. */
function authorizeRemoval(actor: Actor, unit: UnitRow) {
  if (!can(actor, 'resource.manage', unitRefOf(unit))) throw forbidden();
}


export async function resourceRoutes(app: FastifyInstance, context: AppContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = context.database.db;

  api.get('/api/resources', {
    schema: {
      tags: ['resources'],
      summary: '专栏：本级及上级的公告（置顶在前）与资料库 / Announcements and library of my level and those above',
      response: { 200: resourcesSchema, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { notices, files } = await listResources(db, actor);
    return {
      announcements: notices.map(({ announcement, unitName }) => ({ ...announcement, unitName, publishedAt: announcement.publishedAt.toISOString() })),
      files: files.map((file) => ({ ...file, uploadedAt: file.uploadedAt.toISOString() })),
      abilities: { manage: can(actor, 'resource.manage', actor.unit) },
    };
  });

  api.post('/api/units/:code/announcements', {
    schema: {
      tags: ['resources'],
      summary: '发布公告（本单位管理员，辖区可见）/ Publish an announcement to the subtree',
      params: unitCodeParams,
      body: z.object({ title: plainText(100, { zh: '标题', en: 'Title' }), body: plainText(5000, { zh: '内容', en: 'Text' }), pinned: z.boolean().default(false) }),
      response: { 201: announcementSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'resource.manage', unitRefOf(unit));
    const row = await publishAnnouncement(db, { ...auditContext(request), actor }, unit, request.body);
    return reply.code(201).send({ ...row, unitName: unit.name, publishedAt: row.publishedAt.toISOString() });
  });

  api.post('/api/units/:code/library', {
    schema: {
      tags: ['resources'],
      summary: '上传资料（PDF、Word、Excel、PowerPoint、PNG、JPEG、文本，20 MB 以内）/ Add a file to the library',
      description: 'multipart/form-data: the field `title` first, then `file`. The content must match the extension; executables are refused.',
      consumes: ['multipart/form-data'],
      params: unitCodeParams,
      response: { 201: z.object({ id: z.number() }), ...errorResponses, 413: errorResponses[400], 415: errorResponses[400], 422: errorResponses[400] },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const unit = scoped(request, 'code');
    authorize(actor, 'resource.manage', unitRefOf(unit));
    const file = await readUpload(request);
    const title = plainText(100, { zh: '资料名称', en: 'Title' }).safeParse(file.title ?? file.name);
    if (!title.success) throw new DomainError('validation_failed', { zh: `资料名称无效：${title.error.issues[0].message}`, en: `Invalid title: ${title.error.issues[0].message}` });
    const row = await addLibraryFile(db, { ...auditContext(request), actor }, unit, { title: title.data, name: file.name, content: file.content });
    return reply.code(201).send({ id: row.id });
  });

  api.delete('/api/announcements/:announcementId', {
    schema: {
      tags: ['resources'],
      summary: '撤下公告（发布单位的管理员，留审计记录）/ Take an announcement down (the publishing unit\'s admin; audited)',
      params: announcementIdParams,
      response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { row, unit } = scoped(request, 'announcementId');
    authorizeRemoval(actor, unit);
    await removeAnnouncement(db, { ...auditContext(request), actor }, row);
    return { ok: true as const };
  });

  api.delete('/api/library-files/:fileId', {
    schema: {
      tags: ['resources'],
      summary: '删除资料（上传单位的管理员，留审计记录）/ Remove a library file (the uploading unit\'s admin; audited)',
      params: fileIdParams,
      response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { row, unit } = scoped(request, 'fileId');
    authorizeRemoval(actor, unit);
    await removeLibraryFile(db, { ...auditContext(request), actor }, row);
    return { ok: true as const };
  });

  api.get('/api/library-files/:fileId', {
    schema: { tags: ['resources'], summary: '下载资料（计入下载次数）/ Download a library file (counted)', params: fileIdParams, response: { ...errorResponses } },
  }, async (request, reply) => {
    requireActor(request);
    const { row } = scoped(request, 'fileId');
    return sendDownload(reply, await downloadLibraryFile(db, row.id));
  });
}
