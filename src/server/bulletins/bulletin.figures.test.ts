import { describe, expect, it } from 'vitest';
import { competitionRanks, defaultWatchRule, defaultWeights, rankBulletin, type UnitFigures } from './bulletin.figures.ts';

const unit = (code: string, approvedStaff: number, extra: Partial<UnitFigures> = {}): UnitFigures => ({
  code, name: code, group: 'prefecture', schools: 1, schoolsApproved: 0, expectedStaff: 100, liveStaff: 100, approvedStaff,
  deadlines: 4, deadlinesMet: 2, returned: 0, withFindings: 0, withProblems: 0, slowest: [], ...extra,
});

describe('bulletin arithmetic', () => {
  it('gives equal values the same rank and skips the ranks they take (1, 2, 2, 4)', () => {
    const items = [5, 3, 3, 1].map((value) => ({ value }));
    const ranks = competitionRanks(items, (item) => item.value);
    expect(items.map((item) => ranks.get(item))).toEqual([1, 2, 2, 4]);
  });

  it('scores with the weights: 100 × (completion × w + timeliness × w + quality × w)', () => {
    const [row] = rankBulletin([unit('a', 50, { withProblems: 10 })], defaultWeights, defaultWatchRule, null);
    expect(row).toMatchObject({ completion: 0.5, timeliness: 0.5, quality: 0.9 });
    expect(row.score).toBe(Math.round(1000 * (0.5 * 0.5 + 0.3 * 0.5 + 0.2 * 0.9)) / 10);
  });

  it('counts timeliness as met when no deadline has passed, and quality as nothing without records', () => {
    const [row] = rankBulletin([unit('a', 0, { deadlines: 0, deadlinesMet: 0, liveStaff: 0 })], defaultWeights, defaultWatchRule, null);
    expect(row).toMatchObject({ timeliness: 1, quality: 0, completion: 0 });
  });

  it('names the bottom N for 约谈, ties at the boundary included, and nobody when all tie', () => {
    const rows = rankBulletin([unit('a', 90), unit('b', 50), unit('c', 20), unit('d', 20), unit('e', 10)], defaultWeights, { bottom: 2, belowScore: null }, null);
    expect(rows.filter((row) => row.watch).map((row) => row.code)).toEqual(['c', 'd', 'e']);
    const tied = rankBulletin([unit('a', 10), unit('b', 10), unit('c', 10)], defaultWeights, { bottom: 2, belowScore: null }, null);
    expect(tied.some((row) => row.watch)).toBe(false);
    const threshold = rankBulletin([unit('a', 90), unit('b', 80)], defaultWeights, { bottom: 0, belowScore: 78 }, null);
    expect(threshold.filter((row) => row.watch).map((row) => row.code)).toEqual(['b']);
  });

  it('reports the change against the previous bulletin, a rank moving up as positive', () => {
    const previous = rankBulletin([unit('a', 90), unit('b', 10)], defaultWeights, defaultWatchRule, null);
    const now = rankBulletin([unit('a', 90), unit('b', 100)], defaultWeights, defaultWatchRule, previous);
    const b = now.find((row) => row.code === 'b')!;
    expect(b.change).toMatchObject({ completion: 0.9, rank: 1 });
    expect(now.find((row) => row.code === 'a')!.change!.rank).toBe(-1);
  });
});
