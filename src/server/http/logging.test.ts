import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staff } from '../db/schema.ts';
import { createTestApp, type TestApp } from '../test/app.ts';
import { makeAccount, makeCampaign, makeSchool, testPassword, validStaffValues } from '../test/factories.ts';
import { maskIdNumbers, redactUrl, serializeError } from './logging.ts';

describe('log redaction rules', () => {
  it('keeps a URL\'s path and query keys, never a query value', () => {
    expect(redactUrl('/api/schools/2430102001/staff?q=430102198001010011&page=2')).toBe('/api/schools/2430102001/staff?q=***&page=***');
    expect(redactUrl('/confirm?c=K7QM-3HXP')).toBe('/confirm?c=***');
    expect(redactUrl('/api/health')).toBe('/api/health');
    expect(redactUrl('/a?')).toBe('/a');
    expect(redactUrl('/a?flag')).toBe('/a?flag=***');
  });

  it('masks an 18-character ID number anywhere, and leaves longer digit runs alone', () => {
    expect(maskIdNumbers('/api/x/43010219800101001X/y')).toBe('/api/x/430102********001X/y');
    expect(maskIdNumbers('"idNumber":"430102198001010011"')).toBe('"idNumber":"430102********0011"');
    expect(maskIdNumbers('trace 4301021980010100112233')).toBe('trace 4301021980010100112233');
  });

  it('writes a failed statement without its parameters, and a database error without the values it quotes', () => {
    const database = Object.assign(new Error('invalid input syntax for type integer: "430102198001010011x"'), {
      severity: 'ERROR',
      code: '22P02',
      detail: 'Failing row contains (1, 张三, 430102198001010011).',
      where: 'unnamed portal parameter $2 = \'...\'',
      params: ['张三', '430102198001010011'],
      routine: 'pg_strtoint32_safe',
    });
    const failed = Object.assign(new Error('Failed query: update "staff" set "name" = $1 where "id" = $2\nparams: 张三,430102198001010011'), {
      query: 'update "staff" set "name" = $1 where "id" = $2',
      params: ['张三', '430102198001010011'],
      cause: database,
    });
    const logged = serializeError(failed);
    const text = JSON.stringify(logged);
    for (const secret of ['张三', '430102198001010011', '430102198001010011x', 'Failing row']) expect(text).not.toContain(secret);
    expect(logged).toMatchObject({
      message: 'Failed query (the statement is in "query"; its values are not logged)',
      query: 'update "staff" set "name" = $1 where "id" = $2',
      cause: { code: '22P02', severity: 'ERROR', routine: 'pg_strtoint32_safe', message: 'invalid input syntax for type integer: "***"' },
    });
    const unique = serializeError(Object.assign(new Error('duplicate key value violates unique constraint "staff_id_idx"'), { severity: 'ERROR', code: '23505', constraint: 'staff_id_idx' }));
    expect(unique.message).toBe('duplicate key value violates unique constraint "staff_id_idx"');
  });
});

/**
 * A scripted session against the app with its logger on at the most verbose level, writing to a captured stream:
 * sign in, search a staff member by a full ID number, issue a confirmation code and open its links, then make the
 * database refuse two staff edits. Nothing secret may reach the log.
 */
describe('the server log of a session', () => {
  const lines: string[] = [];
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ROLLCALL_LOG_LEVEL: 'trace' }, { logStream: { write: (line) => void lines.push(line) } });
  }, 120_000);
  afterAll(() => t?.close());

  it('holds no password, full ID number, confirmation code or row value of a failed statement', async () => {
    const db = t.database.db;
    const school = await makeSchool(db, { countyCode: '430102', serial: 1 });
    const campaign = await makeCampaign(db);
    const [first, second] = await db.insert(staff).values([1, 2].map((serial) => ({ campaignId: campaign.id, schoolCode: school.code, ...validStaffValues(serial) }))).returning();
    const account = await makeAccount(db, { unitCode: school.code, role: 'operator' });
    const operator = await t.login(account.username, testPassword);

    const found = await operator.get(`/api/schools/${school.code}/staff?q=${first.idNumber}`);
    expect(found.json().items.map((item: { id: number }) => item.id)).toEqual([first.id]);

    const issued = await operator.post(`/api/schools/${school.code}/confirmation-codes`, { ids: [first.id] });
    const code = issued.json().issued[0].code as string;
    await t.anonymous().get(`/confirm?c=${encodeURIComponent(code)}`);
    await t.anonymous().get(`/confirm?c=${code.replace('-', '')}&lang=zh`);
    const opened = await t.anonymous().post('/api/confirm/session', { code, idSuffix: first.idNumber!.slice(-6) });
    expect(opened.statusCode).toBe(200);

    // Rules the application does not know, so the database itself refuses the edits with the row in hand: a check
    // (500, its detail repeats the whole row) and a cast in a trigger (400, its message quotes the value).
    await db.execute(sql.raw(`alter table staff add constraint log_test_no_renames check (name <> '拒绝此名')`));
    await db.execute(sql.raw(`create function log_test_cast() returns trigger language plpgsql as $$
      begin if new.name = '王小五' then perform new.name::integer; end if; return new; end $$`));
    await db.execute(sql.raw('create trigger log_test_cast before update on staff for each row execute function log_test_cast()'));
    const refused = await operator.patch(`/api/staff/${second.id}`, { version: second.version, values: { name: '拒绝此名' } });
    expect(refused.statusCode).toBe(500);
    const cast = await operator.patch(`/api/staff/${second.id}`, { version: second.version, values: { name: '王小五' } });
    expect(cast.statusCode, cast.body).toBe(400);

    const log = lines.join('');
    // The log is useful: it shows each request, what failed and where.
    expect(log).toContain(`/api/schools/${school.code}/staff?q=***`);
    expect(log).toContain('/confirm?c=***');
    expect(log).toContain('log_test_no_renames');
    expect(log).toContain('23514');
    expect(log).toContain('invalid input syntax for type integer: \\"***\\"');
    expect(log).toContain('22P02');
    const secrets = {
      password: testPassword,
      'first ID number': first.idNumber!,
      'second ID number': second.idNumber!,
      code,
      'code as typed': code.replace('-', ''),
      'a name refused': '拒绝此名',
      'a name in a failing row': second.name!,
      'a name in an error message': '王小五',
      'the CSRF token': operator.csrfToken!,
      'the confirmation session': opened.json().token as string,
    };
    for (const [what, secret] of Object.entries(secrets)) expect(log.includes(secret), `${what} in the log`).toBe(false);
  });
});
