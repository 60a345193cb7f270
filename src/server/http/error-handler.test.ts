import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/client.ts';
import { createTestDatabase } from '../test/database.ts';
import { installErrorHandler } from './error-handler.ts';

/**
 * The backstop behind the checks of each route: a value or a race the database itself refuses answers 400 or
 * 409 with the one error shape, on either engine; what is not about the input stays a 500.
 */
let database: DatabaseHandle;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  await db.execute(sql`create table backstop_test (name text unique, age integer check (age >= 0))`);
  app = Fastify();
  installErrorHandler(app);
  const statements: Record<string, () => Promise<unknown>> = {
    nul: () => db.execute(sql`insert into backstop_test (name) values (${'张\u0000三'})`),
    'not a number': () => db.execute(sql`insert into backstop_test (age) values (${'四十'}::integer)`),
    'out of range': () => db.execute(sql`insert into backstop_test (age) values (${'99999999999'}::integer)`),
    duplicate: async () => {
      await db.execute(sql`insert into backstop_test (name) values (${'李四'})`);
      await db.execute(sql`insert into backstop_test (name) values (${'李四'})`);
    },
    'failed check': () => db.execute(sql`insert into backstop_test (age) values (${-1})`),
    'no such table': () => db.execute(sql`select * from no_such_table`),
  };
  app.get('/:statement', async (request) => {
    await statements[(request.params as { statement: string }).statement]();
    return {};
  });
  await app.ready();
}, 120_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('database errors', () => {
  it.each([
    ['nul', 400, 'bad_request'],
    ['not a number', 400, 'bad_request'],
    ['out of range', 400, 'bad_request'],
    ['duplicate', 409, 'conflict'],
    ['failed check', 500, 'internal'],
    ['no such table', 500, 'internal'],
  ])('%s answers %i %s', async (statement, status, code) => {
    const response = await app.inject({ method: 'GET', url: `/${encodeURIComponent(statement)}` });
    expect(response.statusCode).toBe(status);
    const { error } = response.json();
    expect(error.code).toBe(code);
    expect(error.messages.zh.length).toBeGreaterThan(0);
    expect(error.messages.en.length).toBeGreaterThan(0);
    // The answer names no value and no part of the statement.
    expect(response.body).not.toMatch(/张|四十|99999999999|李四|backstop_test|insert/);
  });
});
