import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Config } from '../config.ts';
import { isDatabaseError } from '../db/sql-state.ts';

/**
 * What the server log may hold. The app masks ID numbers and never shows a confirmation code twice; the log must
 * not undo that. So a request is logged by its path with the query's values blanked (search words, slip codes), an
 * error by a fixed list of its fields (never a failed statement's parameters, nor the database's `detail` that
 * repeats the row), and any 18-character ID number that still reaches a line is masked as it is written.
 */

/** An 18-character resident ID number (身份证号) standing alone: 17 digits and a digit or X. */
const idNumberPattern = /(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])/g;

/** Masks every ID number in a text the way the app shows them to readers above the school (`430102********1234`). */
export function maskIdNumbers(text: string): string {
  return text.replace(idNumberPattern, '$1********$2');
}

/** A URL as the log keeps it: the path, and each query key with its value replaced by `***`. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  const path = maskIdNumbers(queryStart === -1 ? url : url.slice(0, queryStart));
  if (queryStart === -1) return path;
  const keys = url
    .slice(queryStart + 1)
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => `${maskIdNumbers(pair.split('=')[0])}=***`);
  return keys.length > 0 ? `${path}?${keys.join('&')}` : path;
}

export type LoggedError = {
  type: string;
  message: string;
  stack: string;
  code?: string;
  statusCode?: number;
  /** A database error's fields that name things, never values. */
  severity?: string;
  constraint?: string;
  table?: string;
  column?: string;
  schema?: string;
  dataType?: string;
  routine?: string;
  /** The text of a failed statement, with its `$n` placeholders; the values are left out. */
  query?: string;
  cause?: LoggedError;
};

/** A field of a thrown object (its own or inherited, as `message` and `stack` are) when it is text, else undefined. */
function text(error: object, key: string): string | undefined {
  const value: unknown = Reflect.get(error, key);
  return typeof value === 'string' ? value : undefined;
}

/** drizzle's wrapper of a failed statement, whose message lists every parameter of the statement. */
function isFailedQuery(error: object): boolean {
  return text(error, 'query') !== undefined && 'params' in error && (text(error, 'message')?.startsWith('Failed query:') ?? false);
}

/**
 * A database message with the values in it blanked: PostgreSQL quotes both names and values (`invalid input syntax
 * for type integer: "abc"`, `value "99999999999" is out of range`), so only quoted words that are the error's own
 * names (constraint, table, column, …) stay.
 */
function redactDatabaseMessage(message: string, error: object): string {
  const names = new Set(['UTF8', ...['constraint', 'table', 'column', 'schema', 'dataType'].map((key) => text(error, key)).filter(Boolean)]);
  return message.replace(/"([^"]*)"/g, (quoted, inner: string) => (names.has(inner) ? quoted : '"***"'));
}

/** The stack with its first lines (the message, as thrown) replaced by the safe message. */
function stackWith(error: object, type: string, safeMessage: string): string | undefined {
  const stack = text(error, 'stack');
  const original = text(error, 'message');
  if (!stack) return undefined;
  if (original && stack.includes(original)) return stack.replace(original, safeMessage);
  const frames = stack.indexOf('\n    at ');
  return `${type}: ${safeMessage}${frames === -1 ? '' : stack.slice(frames)}`;
}

/**
 * An error as the log writes it: a fixed list of fields, so a failed statement's parameters, the database's
 * `detail` ("Key (id_number)=(…) already exists", "Failing row contains (…)") and whatever else a library hangs on
 * an error stay out. The cause chain is followed a few steps.
 */
export function serializeError(error: unknown, depth = 0): LoggedError {
  if (typeof error !== 'object' || error === null) return { type: typeof error, message: maskIdNumbers(String(error)), stack: '' };
  const database = isDatabaseError(error);
  const type = database ? 'DatabaseError' : (error.constructor?.name ?? text(error, 'name') ?? 'Error');
  const message = text(error, 'message') ?? '';
  const query = text(error, 'query');
  let safeMessage: string;
  const logged: LoggedError = { type, message: '', stack: '' };
  if (isFailedQuery(error)) {
    safeMessage = 'Failed query (the statement is in "query"; its values are not logged)';
    logged.query = query;
  } else if (database) {
    safeMessage = redactDatabaseMessage(message, error);
    for (const key of ['severity', 'constraint', 'table', 'column', 'schema', 'dataType', 'routine'] as const) {
      const value = text(error, key);
      if (value) logged[key] = value;
    }
    // PGlite repeats the statement on its error; drizzle's wrapper around it has logged it already.
    if (query && depth === 0) logged.query = query;
  } else {
    safeMessage = message;
  }
  logged.message = maskIdNumbers(safeMessage);
  logged.stack = maskIdNumbers(stackWith(error, type, safeMessage) ?? '');
  const code = text(error, 'code');
  if (code) logged.code = code;
  if ('statusCode' in error && typeof error.statusCode === 'number') logged.statusCode = error.statusCode;
  if ('cause' in error && error.cause !== undefined && depth < 5) logged.cause = serializeError(error.cause, depth + 1);
  return logged;
}

/** A request as the log writes it: never its query values, body or headers. */
function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** Where log lines go instead of stdout (a test's capture). */
export type LogStream = { write(line: string): void };

/** The logger options of the application (Fastify's pino), writing to `stream` when given (tests). */
export function loggerOptions(config: Config, stream?: LogStream): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level: config.logLevel,
    serializers: { req: serializeRequest, err: serializeError },
    hooks: { streamWrite: maskIdNumbers },
    ...(stream ? { stream } : {}),
  };
}
