import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.ts';
import { attachmentDisposition, maxAttachmentBytes } from './uploads.ts';
import { inspectZip, isZip } from '../excel/zip-inspect.ts';
import { refuseControlCharacters } from '../http/input-guard.ts';

/**
 * The one file of a multipart upload (field `file`, at most 20 MB) with its optional `title` field. A name with
 * a control character is refused (a file name is one line); the title may break lines like other text. An
 * archive (an Office document) is inspected here by what its parts really unpack to, before any transaction
 * begins: a zip bomb is never stored to be handed to others.
 */
export async function readUpload(request: FastifyRequest) {
  const file = await request.file({ limits: { fileSize: maxAttachmentBytes, files: 1 } });
  if (!file) throw new DomainError('bad_request', { zh: '请选择要上传的文件（字段 file）', en: 'Choose a file to upload (field "file")' });
  const content = await file.toBuffer();
  refuseControlCharacters(file.filename, { zh: '文件名', en: 'The file name' }, 'single-line');
  const field = file.fields.title;
  const title = field && !Array.isArray(field) && field.type === 'field' ? String(field.value) : undefined;
  if (title !== undefined) refuseControlCharacters(title, { zh: '标题', en: 'The title' });
  if (isZip(content)) await inspectZip(content, file.filename);
  return { name: file.filename, content, title };
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
