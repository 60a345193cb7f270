import { sql, type SQL } from 'drizzle-orm';

/**
 * 最新报送包: the latest version of each unit's package in a campaign, as a subquery over `packages p`
 * (parenthesised, to be aliased) with every column of `packages` and `first_submitted_at`, the unit's first
 * submission among the versions it picks from. `where` (on the columns of `p`) narrows those versions: which
 * units, or those submitted by a moment. Every reading of "a unit's package" goes through it.
 */
export function latestPackagesSql(campaignId: number, where?: SQL): SQL {
  return sql`(select distinct on (p.unit_code) p.*, min(p.submitted_at) over (partition by p.unit_code) as first_submitted_at
    from packages p where p.campaign_id = ${campaignId}${where ? sql` and ${where}` : sql``}
    order by p.unit_code, p.version_no desc)`;
}
