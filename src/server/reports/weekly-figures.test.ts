import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignPlan } from '../../standard/campaign.ts';
import { createTestApp, type TestApp } from '../test/app.ts';
import { makeAccount, makeCampaign, makeSchool } from '../test/factories.ts';
import { packages } from '../db/schema.ts';
import { reopenPackage, type PackageRow } from '../packages/package.service.ts';
import { loadFactsAt } from './weekly-figures.ts';

let t: TestApp;
afterAll(() => t.close());
beforeAll(async () => {
  t = await createTestApp();
});

describe('a package\'s state at a cut-off', () => {
  it('reads an approval later reopened as approved between the two, and as returned after the reopening', async () => {
    const db = t.database.db;
    const campaign = await makeCampaign(db);
    const school = await makeSchool(db, { countyCode: '430102', serial: 1 });
    const prefecture = await makeAccount(db, { unitCode: '430100', role: 'admin' });
    const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000);
    const [pkg] = await db
      .insert(packages)
      .values({ campaignId: campaign.id, unitCode: school.code, receiverCode: '430102', versionNo: 1, status: 'approved', recordCount: 0, expectedCount: 0, contentHash: '0'.repeat(64), signedBy: 1, signedAt: at(30), submittedBy: 1, submittedAt: at(30), decidedBy: 1, decidedAt: at(20), approvedAt: at(20) })
      .returning();
    // The prefecture reopens it now (the reopening rewrites decided_at).
    const actor = { id: prefecture.id, username: prefecture.username, displayName: prefecture.displayName, role: 'admin' as const, unit: { code: '430100', name: '长沙市', kind: 'prefecture' as const, path: '430000.430100' } };
    await reopenPackage(db, { actor, ip: null }, pkg as PackageRow, '复核');
    const moments = [at(40), at(25), at(10), new Date(Date.now() + 60_000)];
    const facts = await loadFactsAt(db, { campaignId: campaign.id, plan: campaign.plan as CampaignPlan, scopePath: '430000.430100.430102', moments, live: false });
    const stateOf = (index: number) => facts[index].schools.find((row) => row.code === school.code)!.packageState;
    expect([0, 1, 2, 3].map(stateOf)).toEqual([null, 'submitted', 'approved', 'returned']);
  });
});
