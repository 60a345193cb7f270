import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.ts';
import { attachmentDisposition, maxAttachmentBytes } from '../helpdesk/uploads.ts';
import { inspectZip, isZip } from '../excel/zip-inspect.ts';

/**
 * The one file of a multipart upload (field `file`, at most 20 MB) with its optional `title` field. An
 * archive (an Office document) is inspected here by what its parts really unpack to, before any transaction
 * begins: a zip bomb is never stored to be handed to others.
 */
export async function readUpload(request: FastifyRequest) {
  const file = await request.file({ limits: { fileSize: maxAttachmentBytes, files: 1 } });
  if (!file) throw new DomainError('bad_request', { zh: '请选择要上传的文件（字段 file）', en: 'Choose a file to upload (field "file")' });
  const content = await file.toBuffer();
  if (isZip(content)) await inspectZip(content, file.filename);
  const title = file.fields.title;
  return { name: file.filename, content, title: title && !Array.isArray(title) && title.type === 'field' ? String(title.value) : undefined };
}

/** Sends stored bytes as a download that browsers never render or sniff. */
export function sendDownload(reply: FastifyReply, file: { name: string; contentType: string; content: Buffer }) {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', attachmentDisposition(file.name))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(file.content);
}
