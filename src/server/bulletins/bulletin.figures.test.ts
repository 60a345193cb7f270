import { describe, expect, it } from 'vitest';
import { competitionRanks, defaultWatchRule, defaultWeights, performanceScore, rankBulletin, watchList, type UnitFigures } from './bulletin.figures.ts';

const unit = (code: string, approvedStaff: number, extra: Partial<UnitFigures> = {}): UnitFigures => ({
  code, name: code, group: 'prefecture', schools: 1, schoolsApproved: 0, expectedStaff: 100, liveStaff: 100, approvedStaff, reviewedStaff: approvedStaff, shortfall: 0,
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

  it('counts timeliness as met when no deadline has passed, and no quality without records', () => {
    const [row] = rankBulletin([unit('a', 0, { deadlines: 0, deadlinesMet: 0, liveStaff: 0 })], defaultWeights, defaultWatchRule, null);
    expect(row).toMatchObject({ timeliness: 1, quality: null, completion: 0 });
  });

  it('gives a unit that has reviewed nothing no quality: no quality rank, never first on it, scored on the other two parts', () => {
    // b has 100 records entered, none approved or returned: nothing to judge its quality on.
    const rows = rankBulletin([unit('a', 10, { withProblems: 5 }), unit('b', 0, { reviewedStaff: 0 })], defaultWeights, defaultWatchRule, null);
    const a = rows.find((row) => row.code === 'a')!;
    const b = rows.find((row) => row.code === 'b')!;
    expect(b).toMatchObject({ quality: null, ranks: { quality: null } });
    expect(a).toMatchObject({ quality: 0.95, ranks: { quality: 1 } });
    // The missing part's weight goes to the others: 100 × (0 × 0.5 + 0.5 × 0.3) ÷ 0.8.
    expect(b.score).toBe(Math.round((1000 * (0.5 * 0 + 0.3 * 0.5)) / 0.8) / 10);
    expect(performanceScore({ completion: 0.4, timeliness: 0.5, quality: null }, defaultWeights)).toBe(Math.round((1000 * (0.5 * 0.4 + 0.3 * 0.5)) / 0.8) / 10);
    expect(performanceScore({ completion: 1, timeliness: 1, quality: null }, { completion: 0, timeliness: 0, quality: 1 })).toBe(0);
    // Week-on-week: no change of quality unless both bulletins have one.
    const later = rankBulletin([unit('a', 10, { withProblems: 5 }), unit('b', 10, { reviewedStaff: 10 })], defaultWeights, defaultWatchRule, rows);
    expect(later.find((row) => row.code === 'b')!.change!.quality).toBeNull();
    expect(later.find((row) => row.code === 'a')!.change!.quality).toBe(0);
  });

  it('names the bottom N for 约谈, ties at the boundary included, and nobody when all tie', () => {
    const rows = rankBulletin([unit('a', 90), unit('b', 50), unit('c', 20), unit('d', 20), unit('e', 10)], defaultWeights, { bottom: 2, belowScore: null }, null);
    expect(rows.filter((row) => row.watch).map((row) => row.code)).toEqual(['c', 'd', 'e']);
    const tied = rankBulletin([unit('a', 10), unit('b', 10), unit('c', 10)], defaultWeights, { bottom: 2, belowScore: null }, null);
    expect(tied.some((row) => row.watch)).toBe(false);
    const threshold = rankBulletin([unit('a', 90), unit('b', 80)], defaultWeights, { bottom: 0, belowScore: 78 }, null);
    expect(threshold.filter((row) => row.watch).map((row) => row.code)).toEqual(['b']);
  });

  it('follows one tie rule in both groups: tied prefectures and tied universities alike', () => {
    const university = (code: string, approved: number) => unit(code, approved, { group: 'university' });
    const rule = { bottom: 3, belowScore: null };
    // 14 prefectures: one ahead, 13 tied below it — all 13 are tied with the third lowest, so all are named.
    // 9 universities: one ahead, 8 tied below it — the same: all 8 are named.
    const prefectures = [unit('p00', 60), ...Array.from({ length: 13 }, (_, i) => unit(`p${String(i + 1).padStart(2, '0')}`, 0))];
    const universities = [university('u0', 60), ...Array.from({ length: 8 }, (_, i) => university(`u${i + 1}`, 0))];
    const rows = rankBulletin([...prefectures, ...universities], defaultWeights, rule, null);
    const named = (group: string) => rows.filter((row) => row.group === group && row.watch).map((row) => row.code);
    expect(named('prefecture')).toHaveLength(13);
    expect(named('university')).toHaveLength(8);
    expect(named('prefecture')).not.toContain('p00');
    expect(named('university')).not.toContain('u0');
    // When a whole group ties — 14 prefectures or 9 universities — nobody is named by rank in either.
    const allTied = rankBulletin([
      ...Array.from({ length: 14 }, (_, i) => unit(`p${i}`, 0)),
      ...Array.from({ length: 9 }, (_, i) => university(`u${i}`, 0)),
    ], defaultWeights, rule, null);
    expect(allTied.filter((row) => row.watch)).toEqual([]);
    // Distinct scores: exactly the three lowest in each group; a tie at the third names the tied one too.
    const spread = rankBulletin([
      ...[90, 80, 70, 60, 50].map((n, i) => unit(`p${i}`, n)),
      ...[90, 80, 70, 70, 70, 60].map((n, i) => university(`u${i}`, n)),
    ], defaultWeights, rule, null);
    expect(spread.filter((row) => row.group === 'prefecture' && row.watch).map((row) => row.code).sort()).toEqual(['p2', 'p3', 'p4']);
    expect(spread.filter((row) => row.group === 'university' && row.watch).map((row) => row.code).sort()).toEqual(['u2', 'u3', 'u4', 'u5']);
    expect([...watchList([{ code: 'x', score: 50 }, { code: 'y', score: 40 }], rule)]).toEqual(['y']);
  });

  it('reports the change against the previous bulletin, a rank moving up as positive', () => {
    const previous = rankBulletin([unit('a', 90), unit('b', 10)], defaultWeights, defaultWatchRule, null);
    const now = rankBulletin([unit('a', 90), unit('b', 100)], defaultWeights, defaultWatchRule, previous);
    const b = now.find((row) => row.code === 'b')!;
    expect(b.change).toMatchObject({ completion: 0.9, rank: 1 });
    expect(now.find((row) => row.code === 'a')!.change!.rank).toBe(-1);
  });
});
