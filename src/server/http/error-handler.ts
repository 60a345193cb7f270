import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, httpStatusOf, type ErrorCode, type Messages } from '../errors.ts';
import { databaseErrorOf } from '../db/sql-state.ts';
import { languageOf } from './context.ts';

/** Values the database refused that the checks before it let through (NUL in text, a number out of range, …). */
const refusedValueStates = new Set(['22001', '22003', '22007', '22008', '22021', '22P02', '22P05']);
/** Two requests met: a unique index or a foreign key caught the second, or the database chose a loser. */
const conflictStates = new Set(['23505', '23503', '40001', '40P01']);

/**
 * The answer for a database error that reached the handler: a backstop for a value or a race the service did
 * not foresee, so the caller gets 400 or 409 rather than 500. Logged as a warning (without values) so it can be
 * found and handled where it arises; anything else stays a 500.
 */
function databaseAnswer(error: unknown): { code: ErrorCode; messages: Messages } | undefined {
  const found = databaseErrorOf(error);
  if (!found) return undefined;
  if (refusedValueStates.has(found.code)) {
    return {
      code: 'bad_request',
      messages: {
        zh: '数据库不接受提交的某个值（如控制字符、超长文本或超出范围的数字），请检查后重试',
        en: 'The database refused a value sent (such as a control character, text too long or a number out of range); check and try again',
      },
    };
  }
  if (conflictStates.has(found.code)) {
    return {
      code: 'conflict',
      messages: {
        zh: '与其他人同时进行的操作冲突，或数据已存在，请刷新后重试',
        en: 'This clashed with another change made at the same time, or the data already exist; reload and try again',
      },
    };
  }
  return undefined;
}

function send(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, messages: Messages, details?: unknown) {
  const message = languageOf(request) === 'en' ? messages.en : messages.zh;
  return reply.code(httpStatusOf(code)).send({ error: { code, message, messages, ...(details === undefined ? {} : { details }) } });
}

/** The path zod gave a failed check (`params.issue.path`), joined with dots, when it has one. */
function zodIssuePath(params: Record<string, unknown> | undefined): string | undefined {
  const issue = params?.issue;
  if (typeof issue !== 'object' || issue === null || !('path' in issue) || !Array.isArray(issue.path)) return undefined;
  return issue.path.join('.');
}

/** Maps every error to one JSON shape with a stable code; internals never leak. */
export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) return send(request, reply, error.code, error.messages, error.details);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((issue) => ({
        field: issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || zodIssuePath(issue.params) || null,
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
    const refused = databaseAnswer(error);
    if (refused) {
      request.log.warn({ err: error }, 'the database refused a statement');
      return send(request, reply, refused.code, refused.messages);
    }
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
