import { request, type APIRequestContext } from 'playwright-core';
import type { SchoolType } from '../../src/standard/school-types.ts';
import { generateStaffValues } from '../../src/server/demo/staff.generator.ts';
import { createRandom } from '../../src/server/demo/random.ts';

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

export const listStaff = async (session: ApiSession, school: string, pageSize = 100) =>
  (await call<{ items: StaffRow[] }>(session, 'GET', `/api/schools/${school}/staff?pageSize=${pageSize}`)).items;

/** Keeps the school's first `keep` records (the public confirm API allows 30 attempts per address). */
export async function trimStaff(session: ApiSession, school: string, keep: number) {
  for (const row of (await listStaff(session, school)).slice(keep)) {
    await call(session, 'DELETE', `/api/staff/${row.id}?version=${row.version}&reason=${encodeURIComponent('浏览器测试')}`);
  }
}

/** Each person confirms through the public confirm API, then the operator approves the records. */
export async function confirmAndApprove(session: ApiSession, school: string, ids: number[]) {
  const rows = new Map((await listStaff(session, school, 500)).map((row) => [row.id, row]));
  const codes = await call<{ issued: { staffId: number; code: string }[] }>(session, 'POST', `/api/schools/${school}/confirmation-codes`, { ids });
  for (const issued of codes.issued) {
    const idSuffix = rows.get(issued.staffId)?.idNumber.slice(-6) ?? '';
    const { token } = await call<{ token: string }>(session, 'POST', '/api/confirm/session', { code: issued.code, idSuffix });
    const confirmed = await session.request.post('/api/confirm/confirm', { headers: { authorization: `Bearer ${token}` } });
    if (!confirmed.ok()) throw new Error(`confirm ${issued.staffId}: ${confirmed.status()}`);
  }
  await call(session, 'POST', `/api/schools/${school}/staff/transitions`, { event: 'approve', ids });
}

/** Slips are issued, the people sign them on paper, the operator records that and approves the records. */
export async function confirmOnPaperAndApprove(session: ApiSession, school: string, ids: number[]) {
  await call(session, 'POST', `/api/schools/${school}/confirmation-codes`, { ids });
  const paper = await call<{ done: number }>(session, 'POST', `/api/schools/${school}/staff/transitions`, { event: 'confirm_on_paper', ids, reason: '确认单已本人签字，存人事档案' });
  if (paper.done !== ids.length) throw new Error(`${school}: ${paper.done} of ${ids.length} confirmed on paper`);
  await call(session, 'POST', `/api/schools/${school}/staff/transitions`, { event: 'approve', ids });
}

export const signOff = (session: ApiSession, unit: string, explanation?: string) => call(session, 'POST', `/api/units/${unit}/signoff`, explanation ? { explanation } : {});
export const submitPackage = (session: ApiSession, unit: string) => call<{ id: number }>(session, 'POST', `/api/units/${unit}/packages`, {});

export type Missing = { code: string; name: string; kind: string; state: string; packageId: number | null };
type SubmissionState = { missing: Missing[]; latest: { id: number; status: string } | null; recordCount: number; expectedCount: number };

export const getSubmission = (session: ApiSession, unit: string) => call<SubmissionState>(session, 'GET', `/api/units/${unit}/submission`);
/** 审核通过, accepting the shortfall explicitly when the package holds fewer records than expected. */
export async function approvePackage(session: ApiSession, id: number) {
  const pkg = await call<{ shortfall: { count: number } | null }>(session, 'GET', `/api/packages/${id}`);
  return call(session, 'POST', `/api/packages/${id}/approve`, pkg.shortfall ? { acceptShortfall: true, shortfallNote: '差异已核实' } : {});
}

/** A school that has entered nobody yet enters `count` people (an empty package is never submitted). */
async function enterSomeone(session: ApiSession, school: string, count: number) {
  const unit = await call<{ schoolType: SchoolType }>(session, 'GET', `/api/units/${school}`);
  // Seeded by the whole code: schools of different counties share their last digits.
  const random = createRandom(Number(school) % 4_294_967_291);
  for (let index = 0; index < count; index += 1) {
    await call(session, 'POST', `/api/schools/${school}/staff`, { values: generateStaffValues(random, unit.schoolType, new Date()) });
  }
}

/**
 * The census from below, through the API: every unit under `unit` that is not yet approved gets there — a
 * school's people confirm, the operator approves, its leader signs and the operator submits; an area does the
 * same once its own units are in; each package is approved by the admin of the unit it reports to. The people
 * confirm on paper slips here (the phone page has its own test). `skip` names units left as they are.
 */
export class CensusWalker {
  private sessions = new Map<string, ApiSession>();

  constructor(
    private readonly baseUrl: string,
    readonly skip = new Set<string>(),
  ) {}

  async session(username: string): Promise<ApiSession> {
    let session = this.sessions.get(username);
    if (!session) {
      session = await apiSession(this.baseUrl, username);
      this.sessions.set(username, session);
    }
    return session;
  }

  /** The unit's leader (every demo unit has one). */
  leader(unit: string): Promise<ApiSession> {
    return this.session(`${unit}-leader`);
  }

  /** Brings every unit reporting to `unit` (but those in `skip`) to an approved package. */
  async approveChildren(unit: string): Promise<void> {
    const { missing } = await getSubmission(await this.session(unit), unit);
    for (const child of missing) if (!this.skip.has(child.code)) await this.approveChildOf(unit, child);
  }

  /** Brings one unit reporting to `parent` to an approved package, approved by `parent`'s admin. */
  async approveChildOf(parent: string, child: Missing): Promise<void> {
    const pkg = child.state === 'awaiting_review' ? child.packageId! : await this.submit(child);
    await approvePackage(await this.session(parent), pkg);
  }

  /** Signs and submits one unit (its own units first); the package id. */
  async submit(unit: { code: string; kind: string }): Promise<number> {
    const operator = await this.session(unit.code);
    if (unit.kind === 'school') {
      if ((await listStaff(operator, unit.code, 1)).length === 0) await enterSomeone(operator, unit.code, 2);
      const ids = (await listStaff(operator, unit.code, 500)).filter((row) => row.status !== 'approved').map((row) => row.id);
      if (ids.length > 0) await confirmOnPaperAndApprove(operator, unit.code, ids);
    } else {
      await this.approveChildren(unit.code);
    }
    const state = await getSubmission(operator, unit.code);
    await signOff(await this.leader(unit.code), unit.code, state.recordCount === state.expectedCount ? undefined : '部分人员已调离，名单已核减');
    return (await submitPackage(operator, unit.code)).id;
  }

  async close() {
    for (const session of this.sessions.values()) await session.close();
  }
}
