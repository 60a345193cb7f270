import { request, type APIRequestContext } from 'playwright-core';

type StaffRow = { id: number; idNumber: string; status: string; version: number };

/** A user's API session (cookies and CSRF token) for the steps a browser test does not need to click. */
export type ApiSession = { request: APIRequestContext; csrf: string; close: () => Promise<void> };

export async function apiSession(baseUrl: string, username: string, password = 'demo1234'): Promise<ApiSession> {
  const context = await request.newContext({ baseURL: baseUrl });
  const response = await context.post('/api/auth/login', { data: { username, password } });
  if (!response.ok()) throw new Error(`login ${username}: ${response.status()} ${await response.text()}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { request: context, csrf: csrfToken, close: () => context.dispose() };
}

async function call<T>(session: ApiSession, method: 'GET' | 'POST' | 'DELETE', path: string, data?: unknown): Promise<T> {
  const response = await session.request.fetch(path, { method, data, headers: method === 'GET' ? {} : { 'x-csrf-token': session.csrf } });
  if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
  return (response.status() === 204 ? undefined : await response.json()) as T;
}

export const listStaff = async (session: ApiSession, school: string) =>
  (await call<{ items: StaffRow[] }>(session, 'GET', `/api/schools/${school}/staff?pageSize=100`)).items;

/** Keeps the school's first `keep` records (the public confirm API allows 30 attempts per address). */
export async function trimStaff(session: ApiSession, school: string, keep: number) {
  for (const row of (await listStaff(session, school)).slice(keep)) {
    await call(session, 'DELETE', `/api/staff/${row.id}?version=${row.version}&reason=${encodeURIComponent('浏览器测试')}`);
  }
}

/** Each person confirms through the public confirm API, then the operator approves the records. */
export async function confirmAndApprove(session: ApiSession, school: string, ids: number[]) {
  const rows = new Map((await listStaff(session, school)).map((row) => [row.id, row]));
  const codes = await call<{ issued: { staffId: number; code: string }[] }>(session, 'POST', `/api/schools/${school}/confirmation-codes`, { ids });
  for (const issued of codes.issued) {
    const idSuffix = rows.get(issued.staffId)?.idNumber.slice(-6) ?? '';
    const { token } = await call<{ token: string }>(session, 'POST', '/api/confirm/session', { code: issued.code, idSuffix });
    const confirmed = await session.request.post('/api/confirm/confirm', { headers: { authorization: `Bearer ${token}` } });
    if (!confirmed.ok()) throw new Error(`confirm ${issued.staffId}: ${confirmed.status()}`);
  }
  await call(session, 'POST', `/api/schools/${school}/staff/transitions`, { event: 'approve', ids });
}

export const signOff = (session: ApiSession, unit: string, explanation?: string) => call(session, 'POST', `/api/units/${unit}/signoff`, explanation ? { explanation } : {});
export const submitPackage = (session: ApiSession, unit: string) => call<{ id: number }>(session, 'POST', `/api/units/${unit}/packages`, {});
