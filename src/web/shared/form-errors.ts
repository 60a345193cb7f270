import type { FormInstance } from 'antd';
import { ApiError } from './api-client';
import type { Lang } from './i18n/dictionary';

type FieldDetail = { field?: unknown; message?: unknown };

/** Picks one language out of the server's bilingual zod messages ("中文 / English"). */
function sideOf(message: string, lang: Lang): string {
  const parts = message.split(' / ');
  return parts.length === 2 ? parts[lang === 'en' ? 1 : 0] : message;
}

function fieldDetails(error: unknown, fields: readonly string[]): { field: string; message?: unknown }[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return [];
  return (error.details as FieldDetail[]).filter(
    (detail): detail is { field: string; message?: unknown } => typeof detail.field === 'string' && fields.includes(detail.field),
  );
}

/** True when the error's findings all sit on fields of the form, so no general alert is needed. */
export function isFieldError(error: unknown, fields: readonly string[]): boolean {
  return fieldDetails(error, fields).length > 0;
}

/**
 * Puts the API's field-level findings (`details: [{ field, message? }]`) on the form's fields.
 * Returns true when at least one field took a message, so the caller can skip a general alert.
 */
export function applyFieldErrors<T>(form: FormInstance<T>, error: unknown, lang: Lang, fields: readonly string[]): boolean {
  if (!(error instanceof ApiError)) return false;
  const updates = fieldDetails(error, fields).map((detail) => ({
    name: detail.field,
    errors: [typeof detail.message === 'string' ? sideOf(detail.message, lang) : error.messages[lang]],
  }));
  if (updates.length === 0) return false;
  form.setFields(updates as Parameters<FormInstance<T>['setFields']>[0]);
  return true;
}
