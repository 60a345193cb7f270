import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig, type Config } from '../config.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { eq, sql } from 'drizzle-orm';
import { createSession, sessionCookieName } from '../accounts/sessions.repository.ts';
import { accounts } from '../db/schema.ts';
import { createTestDatabase } from './database.ts';
import { testPassword } from './factories.ts';
import type { LogStream } from '../http/logging.ts';

export type TestApp = {
  app: FastifyInstance;
  database: DatabaseHandle;
  config: Config;
  /** Signs in and returns a client that carries the session cookie and the CSRF header. */
  login(username: string, password?: string): Promise<TestClient>;
  /**
   * A client signed in as `username` without the password check (a session made as sign-in makes it), for
   * tests that act as hundreds of accounts: each Argon2id verification costs tens of milliseconds.
   */
  sessionOf(username: string): Promise<TestClient>;
  anonymous(): TestClient;
  close(): Promise<void>;
};

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export type TestClient = {
  csrfToken: string | null;
  request(method: Method, url: string, body?: unknown, options?: Partial<InjectOptions>): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
};


function makeClient(app: FastifyInstance, cookie: string | null, csrfToken: string | null): TestClient {
  const request: TestClient['request'] = (method, url, body, options = {}) =>
    app.inject({
      method,
      url,
      ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
      ...options,
      headers: {
        ...(cookie ? { cookie: `${sessionCookieName}=${cookie}` } : {}),
        ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
        ...(options.headers ?? {}),
      },
    });
  return {
    csrfToken,
    request,
    get: (url) => request('GET', url),
    post: (url, body) => request('POST', url, body ?? {}),
    patch: (url, body) => request('PATCH', url, body ?? {}),
  };
}

/** The application on a fresh migrated database of its own; its log goes to `logStream` when given. */
export async function createTestApp(environment: NodeJS.ProcessEnv = {}, options: { logStream?: LogStream } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({ ROLLCALL_DATA_DIR: '/nonexistent', ROLLCALL_LOG_LEVEL: 'error', ...environment });
  // Only errors are logged, so an unexpected 500 shows its cause in the test output.
  const app = await buildApp({ config, database }, { logger: true, logStream: options.logStream });
  await app.ready();
  return {
    app,
    database,
    config,
    anonymous: () => makeClient(app, null, null),
    async login(username, password = testPassword) {
      const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      if (response.statusCode !== 200) throw new Error(`login ${username} failed: ${response.statusCode} ${response.body}`);
      const cookie = response.cookies.find((c) => c.name === sessionCookieName)!.value;
      return makeClient(app, cookie, response.json().csrfToken as string);
    },
    async sessionOf(username) {
      const [account] = await database.db.select({ id: accounts.id }).from(accounts).where(eq(sql`lower(${accounts.username})`, username.toLowerCase()));
      if (!account) throw new Error(`no account ${username}`);
      const { token, csrfToken } = await createSession(database.db, account.id, 8, {});
      return makeClient(app, token, csrfToken);
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** A multipart/form-data body with one file (and optional text fields) for `inject`. */
export function multipart(file: { name: string; content: Buffer; field?: string }, fields: Record<string, string> = {}) {
  const boundary = `----rollcall${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
