import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../db/schema.ts';
import { createTestApp, type TestApp } from '../test/app.ts';
import { makeAccount, testPassword } from '../test/factories.ts';

/**
 * Who the client is: the connection's address, unless the connection comes from a proxy the configuration
 * names (ROLLCALL_TRUST_PROXY); only then does X-Forwarded-For say who is behind it. The audit log records it.
 */
const proxy = '198.51.100.7';
const client = '203.0.113.9';

let open: TestApp;
let behindProxy: TestApp;
beforeAll(async () => {
  open = await createTestApp();
  behindProxy = await createTestApp({ ROLLCALL_TRUST_PROXY: `${proxy}, 192.0.2.0/24` });
}, 120_000);
afterAll(async () => {
  await open?.close();
  await behindProxy?.close();
});

/** Signs in from `remoteAddress` with the given X-Forwarded-For and returns the address the audit log recorded. */
async function signInFrom(t: TestApp, remoteAddress: string, forwardedFor?: string) {
  const account = await makeAccount(t.database.db, { unitCode: '430102' });
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress,
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    payload: { username: account.username, password: testPassword },
  });
  expect(response.statusCode).toBe(200);
  const [event] = await t.database.db
    .select({ ip: auditEvents.ip })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'auth.login'), eq(auditEvents.targetId, String(account.id))))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return event.ip;
}

describe('the client address', () => {
  it('ignores X-Forwarded-For when no proxy is named: the log records the connection', async () => {
    expect(await signInFrom(open, client, '10.9.8.7')).toBe(client);
    expect(await signInFrom(open, proxy, client)).toBe(proxy);
  });

  it('believes X-Forwarded-For only from a named proxy (an address or a range), hop by hop', async () => {
    expect(await signInFrom(behindProxy, proxy, client)).toBe(client);
    expect(await signInFrom(behindProxy, '192.0.2.44', client)).toBe(client);
    // Through two named proxies: the first address that is not a named proxy is the client.
    expect(await signInFrom(behindProxy, proxy, `10.9.8.7, ${client}, 192.0.2.10`)).toBe(client);
    // A forged header from anyone else changes nothing.
    expect(await signInFrom(behindProxy, '203.0.113.50', '10.9.8.7')).toBe('203.0.113.50');
    expect(await signInFrom(behindProxy, proxy)).toBe(proxy);
  });
});
