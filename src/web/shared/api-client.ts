import { dictionary, type Lang } from './i18n/dictionary';

export type Messages = { zh: string; en: string };
export type Paged<T> = { items: T[]; total: number };

/** An error answer of the API (or a network failure, status 0), with its message in both languages. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messages: Messages;
  readonly details: unknown;

  constructor(status: number, code: string, messages: Messages, details?: unknown) {
    super(messages.en);
    this.status = status;
    this.code = code;
    this.messages = messages;
    this.details = details;
  }
}

type ErrorBody = { error: { code: string; message: string; messages?: Messages; details?: unknown } };

const settings: { language: Lang; csrfToken: string | null; onUnauthorized: ((code: string) => void) | null } = {
  language: 'zh',
  csrfToken: null,
  onUnauthorized: null,
};

/** Module state the providers keep current: UI language, CSRF token, and what a 401 should do. */
export const apiSettings = {
  setLanguage(lang: Lang) {
    settings.language = lang;
  },
  setCsrfToken(token: string | null) {
    settings.csrfToken = token;
  },
  setUnauthorizedHandler(handler: ((code: string) => void) | null) {
    settings.onUnauthorized = handler;
  },
};

export type QueryValue = string | number | boolean | undefined | null;

type RequestOptions = {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  formData?: FormData;
  signal?: AbortSignal;
  /** False for the login and session probes, whose 401 is an answer rather than a lost session. */
  handleUnauthorized?: boolean;
  /** Extra headers, such as the confirmation page's `Authorization: Bearer`. */
  headers?: Record<string, string>;
};

/** Builds `/api/...?a=1` leaving out empty values. */
export function apiUrl(path: string, query?: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** The API's error body as an ApiError; anything else (a proxy's HTML page) as an unexpected error. */
function errorOfText(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text) as ErrorBody;
    const messages = body.error.messages ?? { zh: body.error.message, en: body.error.message };
    return new ApiError(status, body.error.code, messages, body.error.details);
  } catch {
    return new ApiError(status, 'http_' + status, {
      zh: `${dictionary.zh['error.unexpected']}（HTTP ${status}）`,
      en: `${dictionary.en['error.unexpected']} (HTTP ${status})`,
    });
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  return errorOfText(response.status, await response.text().catch(() => ''));
}

const networkError = () => new ApiError(0, 'network', { zh: dictionary.zh['error.network'], en: dictionary.en['error.network'] });

/** The language header, and the CSRF header on writes. */
function requestHeaders(method: string): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (settings.language === 'en') headers['x-rollcall-lang'] = 'en';
  if (method !== 'GET' && settings.csrfToken) headers['x-csrf-token'] = settings.csrfToken;
  return headers;
}

/** Calls the API: JSON in and out, the language header, the CSRF header on writes, one error type. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers = { ...requestHeaders(method), ...options.headers };
  let body: BodyInit | undefined;
  if (options.formData) body = options.formData;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), { method, headers, body, signal: options.signal, credentials: 'same-origin' });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw networkError();
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && options.handleUnauthorized !== false) settings.onUnauthorized?.(error.code);
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/**
 * POSTs a multipart form with XMLHttpRequest, the one browser API that reports upload progress
 * (`onProgress(sent, total)`); the same headers, 401 handling and error type as `apiRequest`.
 */
export function apiUpload<T>(path: string, formData: FormData, onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    for (const [name, value] of Object.entries(requestHeaders('POST'))) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : 0);
    request.upload.onload = (event) => onProgress(event.loaded, event.loaded);
    request.onerror = () => reject(networkError());
    request.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        try {
          resolve(JSON.parse(request.responseText) as T);
        } catch {
          reject(errorOfText(request.status, ''));
        }
        return;
      }
      const error = errorOfText(request.status, request.responseText);
      if (request.status === 401) settings.onUnauthorized?.(error.code);
      reject(error);
    };
    signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(formData);
  });
}

/** Starts a browser download of an API file (the server sends it as an attachment). */
export function downloadFile(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = '';
  document.body.appendChild(link);
  link.click();
  link.remove();
}

/** The message of any error in the UI language. */
export function errorText(error: unknown, lang: Lang): string {
  if (error instanceof ApiError) return error.messages[lang] || error.message;
  return dictionary[lang]['error.unexpected'];
}

export const isApiError = (error: unknown, status?: number): error is ApiError =>
  error instanceof ApiError && (status === undefined || error.status === status);
