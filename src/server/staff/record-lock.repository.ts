import { sql } from 'drizzle-orm';
import type { UnitKind } from '../../contract/unit-tree.ts';
import type { CampaignPlan } from '../../standard/campaign.ts';
import type { SchoolType } from '../../standard/school-types.ts';
import { resultRows, type Executor } from '../db/client.ts';
import { latestPackagesSql } from '../db/latest-packages.ts';

/** What decides whether a school's records may change: in one query, as every save asks. */
export async function lockFacts(executor: Executor, campaignId: number, schoolCode: string) {
  const [facts] = resultRows<{ locked: boolean; submitted_before: boolean; granted: boolean; plan: CampaignPlan; kind: UnitKind; school_type: SchoolType | null }>(
    await executor.execute(sql`
      select
        exists (select 1 from ${latestPackagesSql(campaignId, sql`p.unit_code = ${schoolCode}`)} latest where latest.status in ('submitted', 'approved')) as locked,
        exists (select 1 from packages p where p.campaign_id = c.id and p.unit_code = u.code) as submitted_before,
        exists (select 1 from unlock_requests r where r.campaign_id = c.id and r.unit_code = u.code and r.status = 'granted' and r.expires_at > now()) as granted,
        c.plan, u.kind, u.school_type
      from campaigns c, units u where c.id = ${campaignId} and u.code = ${schoolCode}`),
  );
  return facts;
}
