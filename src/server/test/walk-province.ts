import { expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { resultRows } from '../db/client.ts';
import type { TestApp, TestClient } from './app.ts';

type Pending = { code: string; kind: string; parent_code: string | null; depth: number; latest_id: number | null; status: string | null; stale: boolean | null };

/**
 * Brings every open unit of the province through review to the province's final package, as the demo
 * accounts would (a unit's code is its admin's or operator's login, `<code>-leader` its leader): each unit
 * whose latest package is missing, returned or stale signs and submits again, and its reviewer approves
 * what it submitted — accepting a shortfall where the package is short. Units whose package stands are left
 * alone, so a walk after one change below touches only that change's chain. Records must already be approved.
 */
export function provinceWalker(t: TestApp) {
  const clients = new Map<string, TestClient>();
  const as = async (username: string) => {
    let client = clients.get(username);
    if (!client) clients.set(username, (client = await t.sessionOf(username)));
    return client;
  };
  const adminOf = (code: string) => as(code === '430000' ? 'admin' : code);
  let steps = 0;

  async function pending(): Promise<Pending[]> {
    return resultRows<Pending>(
      await t.database.db.execute(sql`
        select u.code, u.kind, u.parent_code, u.depth, p.id as latest_id, p.status, p.stale_at is not null as stale
        from units u
        left join lateral (select * from packages q where q.unit_code = u.code order by q.version_no desc limit 1) p on true
        where u.closed_on is null and (p.id is null or p.status <> 'approved' or p.stale_at is not null)
        order by case u.kind when 'school' then 0 when 'county' then 1 when 'prefecture' then 2 else 3 end, u.code`),
    );
  }

  async function approve(reviewerCode: string, packageId: number) {
    const reviewer = await adminOf(reviewerCode);
    const pkg = (await reviewer.get(`/api/packages/${packageId}`)).json();
    const approved = await reviewer.post(`/api/packages/${packageId}/approve`, pkg.shortfall ? { acceptShortfall: true, shortfallNote: '差异已核实' } : {});
    expect(approved.statusCode, `${reviewerCode} approving ${pkg.unitCode}: ${approved.body}`).toBe(200);
    steps += 1;
  }

  async function submit(unit: Pending) {
    const clerk = await adminOf(unit.code);
    const state = (await clerk.get(`/api/units/${unit.code}/submission`)).json();
    expect(state.blockers, `${unit.code} blockers`).toEqual([]);
    const leader = await as(`${unit.code}-leader`);
    const explanation = state.recordCount === state.expectedCount ? undefined : `实有 ${state.recordCount} 人，应有 ${state.expectedCount} 人，差异已核实`;
    const signed = await leader.post(`/api/units/${unit.code}/signoff`, explanation ? { explanation } : {});
    expect(signed.statusCode, `${unit.code} signing: ${signed.body}`).toBe(200);
    const submitted = await clerk.post(`/api/units/${unit.code}/packages`);
    expect(submitted.statusCode, `${unit.code} submitting: ${submitted.body}`).toBe(201);
    steps += 1;
    return submitted.json() as { id: number; status: string };
  }

  /** Walks until the province's final package stands; returns it and how many steps it took. */
  async function walk() {
    steps = 0;
    for (const kind of ['school', 'county', 'prefecture', 'province']) {
      for (const unit of (await pending()).filter((u) => u.kind === kind)) {
        // A package under review that stands only waits for its reviewer; any other is signed and submitted again.
        const waiting = unit.status === 'submitted' && !unit.stale ? { id: unit.latest_id!, status: 'submitted' } : await submit(unit);
        if (waiting.status === 'submitted') await approve(unit.parent_code!, waiting.id);
      }
    }
    const province = await adminOf('430000');
    const final = (await province.get('/api/units/430000/submission')).json().latest;
    return { final, steps };
  }

  return { walk, as, adminOf, pending };
}
