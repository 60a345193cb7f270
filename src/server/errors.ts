/** Stable error codes of the API; each maps to one HTTP status in `httpStatusOf`. */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'session_expired'
  | 'invalid_credentials'
  | 'account_locked'
  | 'account_disabled'
  | 'csrf_failed'
  | 'forbidden'
  | 'password_change_required'
  | 'not_found'
  | 'conflict'
  | 'stale_version'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'unprocessable'
  | 'rate_limited'
  | 'internal';

export type Messages = { zh: string; en: string };

/** A domain error with a stable code and a message in Chinese and English; `details` carries row-level findings. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly messages: Messages;
  readonly details: unknown;

  constructor(code: ErrorCode, messages: Messages, details?: unknown) {
    super(messages.en);
    this.code = code;
    this.messages = messages;
    this.details = details;
  }
}

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'bad_request':
    case 'validation_failed':
      return 400;
    case 'unauthenticated':
    case 'session_expired':
    case 'invalid_credentials':
    case 'account_locked':
    case 'account_disabled':
      return 401;
    case 'csrf_failed':
    case 'forbidden':
    case 'password_change_required':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
    case 'stale_version':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'unprocessable':
      return 422;
    case 'rate_limited':
      return 429;
    case 'internal':
      return 500;
  }
}

export const notFound = (what: Messages = { zh: '未找到，或不在您的管辖范围内', en: 'Not found, or outside your scope' }) =>
  new DomainError('not_found', what);

export const forbidden = () =>
  new DomainError('forbidden', { zh: '您的角色无权执行此操作', en: 'Your role may not do this' });

export const staleVersion = () =>
  new DomainError('stale_version', {
    zh: '该数据已被他人修改，请刷新后再编辑（您的修改未保存）',
    en: 'Someone else changed this record; reload and edit again (your change was not saved)',
  });
