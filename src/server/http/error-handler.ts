import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, httpStatusOf, type ErrorCode, type Messages } from '../errors.ts';
import { languageOf } from './context.ts';

function send(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, messages: Messages, details?: unknown) {
  const message = languageOf(request) === 'en' ? messages.en : messages.zh;
  return reply.code(httpStatusOf(code)).send({ error: { code, message, messages, ...(details === undefined ? {} : { details }) } });
}

/** Maps every error to one JSON shape with a stable code; internals never leak. */
export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) return send(request, reply, error.code, error.messages, error.details);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((issue) => ({
        field: issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || (issue.params as { issue?: { path?: unknown[] } })?.issue?.path?.join('.') || null,
        in: error.validationContext,
        message: issue.message,
      }));
      const where = details.map((d) => d.field).filter(Boolean).join(', ');
      return send(request, reply, 'validation_failed', {
        zh: `请求数据无效${where ? `（${where}）` : ''}：${details.map((d) => d.message).join('；')}`,
        en: `Invalid request${where ? ` (${where})` : ''}: ${details.map((d) => d.message).join('; ')}`,
      }, details);
    }
    if (isCutOffUpload(error)) {
      return send(request, reply, 'bad_request', {
        zh: '上传的数据不完整：表单在文件传完之前就中断了（网络断开或上传被取消），请重新上传',
        en: 'The upload was cut off: the form ended before the whole file arrived (the connection dropped or the upload was cancelled); upload it again',
      });
    }
    const status = error.statusCode ?? 500;
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
      return send(request, reply, 'unsupported_media_type', {
        zh: '不支持的请求格式（Content-Type），请发送 JSON',
        en: 'Unsupported Content-Type; send JSON',
      });
    }
    if (status === 413 || error.code === 'FST_REQ_FILE_TOO_LARGE' || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return send(request, reply, 'payload_too_large', { zh: '上传的内容过大', en: 'The upload is too large' });
    }
    if (status === 429) return send(request, reply, 'rate_limited', { zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' });
    if (status >= 400 && status < 500) {
      const malformedJson = error.code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError;
      return send(request, reply, 'bad_request', malformedJson
        ? { zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' }
        : { zh: `请求无效：${error.message}`, en: `Bad request: ${error.message}` });
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(request, reply, 'internal', {
      zh: '服务器内部错误，请稍后再试；如持续出现请联系管理员',
      en: 'Internal server error; try again later, and tell your administrator if it persists',
    });
  });
}

/** A multipart body that ends before its closing boundary (busboy's errors carry no code: told by message). */
function isCutOffUpload(error: FastifyError) {
  return error.code === 'FST_MP_PREMATURE_CLOSE' || /unexpected end of (multipart data|form)/i.test(error.message);
}

/** The answer for an unknown API route. */
export function apiNotFound(request: FastifyRequest, reply: FastifyReply) {
  return send(request, reply, 'not_found', { zh: `接口不存在：${request.method} ${request.url}`, en: `No such endpoint: ${request.method} ${request.url}` });
}
