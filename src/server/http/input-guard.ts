import type { FastifyInstance } from 'fastify';
import { DomainError, type Messages } from '../errors.ts';
import { fieldByKey } from '../../standard/fields.ts';
import { isFieldKey } from '../../standard/types.ts';

/**
 * Control characters (C0 and DEL) have no place in what people type into a census, and PostgreSQL refuses NUL in
 * text outright (so it used to answer 500). Where they may stand:
 * - the URL's path: none, raw or percent-encoded; its query: none but tab and line breaks (a deletion's reason,
 *   typed in a text area, travels there);
 * - header values: none but tab (HTTP allows it);
 * - JSON bodies (keys and strings) and upload fields: none but tab and line breaks, which multi-line text keeps;
 * - file names: none.
 * Each refusal is a 400 that says where the character was.
 */
// Finding control characters is the point of these patterns.
/* eslint-disable no-control-regex */
const anyControl = /[\u0000-\u001F\u007F]/;
const controlButTab = /[\u0000-\u0008\u000A-\u001F\u007F]/;
const controlButWhitespace = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/* eslint-enable no-control-regex */
/** `%00`–`%1F` and `%7F` encoded; `%2500` is a literal "%00" and passes. */
const encodedControl = /%(?:[01][0-9A-Fa-f]|7[Ff])/;
/** The same but tab (`%09`) and line breaks (`%0A`, `%0D`). */
const encodedControlButWhitespace = /%(?:0[0-8BbCcEeFf]|1[0-9A-Fa-f]|7[Ff])/;

export type TextKind = 'single-line' | 'multi-line';

/** True when `text` holds a control character not allowed in that kind of text. */
export function hasControlCharacter(text: string, kind: TextKind = 'multi-line'): boolean {
  return (kind === 'single-line' ? anyControl : controlButWhitespace).test(text);
}

/** The 400 for a control character found in `where`. */
export function controlCharacterError(where: Messages): DomainError {
  return new DomainError(
    'bad_request',
    {
      zh: `${where.zh}含有不允许的控制字符（如 NUL），请删除后重试`,
      en: `${where.en} contains a control character that is not allowed (such as NUL); remove it and try again`,
    },
    { where: where.en },
  );
}

/** Throws the 400 when `text` holds a control character not allowed there. */
export function refuseControlCharacters(text: string, where: Messages, kind: TextKind = 'multi-line') {
  if (hasControlCharacter(text, kind)) throw controlCharacterError(where);
}

/**
 * The path (`values.name`, `items[2].reason`) of the first key or string of a parsed JSON value holding a
 * control character, or undefined. Walks with its own stack: a deeply nested body cannot overflow the call stack.
 */
export function findControlCharacterInJson(value: unknown): string | undefined {
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      if (hasControlCharacter(current)) return path || '(body)';
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push({ value: item, path: `${path}[${index}]` }));
    } else if (typeof current === 'object' && current !== null && !Buffer.isBuffer(current)) {
      for (const [key, item] of Object.entries(current)) {
        const itemPath = path ? `${path}.${key}` : key;
        if (hasControlCharacter(key)) return itemPath;
        pending.push({ value: item, path: itemPath });
      }
    }
  }
  return undefined;
}

/** Words a person reads for the common fields of a form; a record's fields go by the standard's labels. */
const fieldWords: Record<string, Messages> = {
  username: { zh: '用户名', en: 'Username' },
  password: { zh: '密码', en: 'Password' },
  currentPassword: { zh: '当前密码', en: 'Current password' },
  newPassword: { zh: '新密码', en: 'New password' },
  displayName: { zh: '姓名', en: 'Name' },
  reason: { zh: '原因', en: 'Reason' },
  note: { zh: '说明', en: 'Note' },
  explanation: { zh: '说明', en: 'Explanation' },
  title: { zh: '标题', en: 'Title' },
  body: { zh: '正文', en: 'Text' },
  name: { zh: '名称', en: 'Name' },
};

/** “字段「姓名」（values.name）”: the field by its name in words where known, with its path. */
function fieldWhere(path: string): Messages {
  const key = path.replace(/\[\d+\]/g, '').split('.').at(-1) ?? path;
  const record = path.startsWith('values.') && isFieldKey(key) ? fieldByKey[key] : undefined;
  const words = record ? { zh: record.label, en: record.labelEn } : fieldWords[key];
  return words ? { zh: `字段「${words.zh}」（${path}）`, en: `The field "${words.en}" (${path})` } : { zh: `字段 ${path} `, en: `The field ${path}` };
}

/**
 * Refuses control characters before anything else reads the request: the URL and headers as it arrives (before
 * the session lookup), a JSON body once parsed (before validation). Pure string checks; no database work.
 */
export function installInputGuard(app: FastifyInstance) {
  app.addHook('onRequest', async (request) => {
    const url = request.raw.url ?? request.url;
    const queryStart = url.indexOf('?');
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    const query = queryStart === -1 ? '' : url.slice(queryStart + 1);
    if (anyControl.test(path) || encodedControl.test(path)) throw controlCharacterError({ zh: '请求地址（URL）', en: 'The URL' });
    if (controlButWhitespace.test(query) || encodedControlButWhitespace.test(query)) {
      throw controlCharacterError({ zh: '请求地址的查询参数', en: 'The URL\'s query' });
    }
    for (const [name, value] of Object.entries(request.headers)) {
      const values = Array.isArray(value) ? value : [value ?? ''];
      if (values.some((item) => controlButTab.test(item))) throw controlCharacterError({ zh: `请求头 ${name}`, en: `The header ${name}` });
    }
  });
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined || request.body === null) return;
    const path = findControlCharacterInJson(request.body);
    if (path !== undefined) throw controlCharacterError(fieldWhere(path));
  });
}
