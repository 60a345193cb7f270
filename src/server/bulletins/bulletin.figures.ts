import type { BulletinGroup, WatchRule, Weights } from '../../contract/bulletins.schema.ts';

export type { BulletinGroup, WatchRule, Weights } from '../../contract/bulletins.schema.ts';

/**
 * The arithmetic of a bulletin (通报), pure: shares, the performance score, ranks, week-on-week change and
 * the 约谈 list. The figures it starts from come from `bulletin.repository.ts`.
 */

/** Default weights of the performance score (绩效考核): completion 50%, timeliness 30%, quality 20%. */
export const defaultWeights: Weights = { completion: 0.5, timeliness: 0.3, quality: 0.2 };

/**
 * 约谈名单: the bottom N of each group by score, and anyone below a threshold (0–100). See `watchList` for the
 * one tie rule both groups follow.
 */
export const defaultWatchRule: WatchRule = { bottom: 3, belowScore: null };

/** The counts of one ranked unit (a prefecture with its subtree, or a university). */
export type UnitFigures = {
  code: string;
  name: string;
  group: BulletinGroup;
  schools: number;
  schoolsApproved: number;
  expectedStaff: number;
  liveStaff: number;
  approvedStaff: number;
  /** Records the school has decided on (approved, or returned at some point): quality needs at least one. */
  reviewedStaff: number;
  /**
   * 缺口 (缺报): the people still missing, school by school — each school's expected staff minus its records,
   * never below zero (a school with more records than expected does not make up for another's), as the
   * progress pages count it.
   */
  shortfall: number;
  /** Deadlines passed by the bulletin's date, and how many of them were met. */
  deadlines: number;
  deadlinesMet: number;
  /** Live records returned at some point; with check findings; either. */
  returned: number;
  withFindings: number;
  withProblems: number;
  /** The slowest units below it (counties of a prefecture), by completion. */
  slowest: { code: string; name: string; completion: number }[];
};

/** Week-on-week change; quality is null unless both bulletins have one. */
export type RowChange = { completion: number; timeliness: number; quality: number | null; score: number; rank: number | null };

export type BulletinRow = UnitFigures & {
  schoolsApprovedShare: number;
  /** 完成率: approved staff / expected staff (capped at 1). */
  completion: number;
  /** 及时率: deadlines met / deadlines passed (1 when none has passed yet). */
  timeliness: number;
  returnedShare: number;
  findingsShare: number;
  /**
   * 质量: 1 − the share of live records returned at some point or with findings; null (shown —) while the
   * unit has reviewed nothing, when there is nothing to judge yet.
   */
  quality: number | null;
  /** 绩效得分 0–100 (see `performanceScore`). */
  score: number;
  /** Quality's rank is null without a quality: such a unit is not ranked on it, and so never first. */
  ranks: { completion: number; timeliness: number; quality: number | null; overall: number };
  change: RowChange | null;
  watch: boolean;
};

export const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

/** 1, 2, 2, 4: equal values share a rank. */
export function competitionRanks<T>(items: T[], value: (item: T) => number): Map<T, number> {
  const sorted = [...items].sort((a, b) => value(b) - value(a));
  const ranks = new Map<T, number>();
  sorted.forEach((item, index) => {
    const previous = sorted[index - 1];
    ranks.set(item, previous !== undefined && value(previous) === value(item) ? ranks.get(previous)! : index + 1);
  });
  return ranks;
}

/**
 * 绩效得分 0–100: 100 × the weighted mean of completion, timeliness and quality. A unit without a quality
 * (nothing reviewed yet) is scored on the parts it has, their weights scaled up to a whole:
 * 100 × (completion × wc + timeliness × wt) ÷ (wc + wt) — the same rule for every unit, so a missing quality
 * neither costs nor earns points. With no weight left (all of it on quality) the score is 0.
 */
export function performanceScore(parts: { completion: number; timeliness: number; quality: number | null }, weights: Weights): number {
  const known = weights.completion * parts.completion + weights.timeliness * parts.timeliness;
  if (parts.quality !== null) return Math.round(1000 * (known + weights.quality * parts.quality)) / 10;
  const weight = weights.completion + weights.timeliness;
  return weight > 0 ? Math.round((1000 * known) / weight) / 10 : 0;
}

/**
 * 约谈名单 of one group, the one rule for prefectures and universities alike: the N lowest scores are named,
 * and every unit tied with the N-th lowest is named with it; a unit with the group's best score is never named
 * by rank — so when the whole group ties, nobody is named by rank. Any unit scoring below the threshold, when
 * one is set, is named whatever its rank. Returns the codes named.
 */
export function watchList(members: { code: string; score: number }[], rule: WatchRule): Set<string> {
  const scores = members.map((member) => member.score).sort((a, b) => a - b);
  const best = scores[scores.length - 1];
  const nth = rule.bottom > 0 && scores.length > 0 ? scores[Math.min(rule.bottom, scores.length) - 1] : -Infinity;
  return new Set(
    members
      .filter((member) => (member.score <= nth && member.score < best) || (rule.belowScore !== null && member.score < rule.belowScore))
      .map((member) => member.code),
  );
}

/** The tie rule of `watchList` in words, for the workbook (the page says the same in its messages). */
export function watchRuleText(bottom: number): string {
  if (bottom === 0) return '不按名次列入';
  return `各组按绩效得分从低到高取后 ${bottom} 名，与第 ${bottom} 名同分的单位一并列入；得分为本组最高分的单位不因名次列入（全组同分时无人因名次列入）`;
}

/** What a row is compared with week on week: the previous bulletin's row of the same unit. */
export type PreviousRow = Pick<BulletinRow, 'code' | 'completion' | 'timeliness' | 'quality' | 'score' | 'ranks'>;

/** Scores, ranks within each group, compares with the previous bulletin's rows, and names the 约谈 list. */
export function rankBulletin(figures: UnitFigures[], weights: Weights, watchRule: WatchRule, previous: PreviousRow[] | null): BulletinRow[] {
  const scored = figures.map((unit) => {
    const completion = round(Math.min(1, share(unit.approvedStaff, unit.expectedStaff)));
    const timeliness = round(unit.deadlines > 0 ? share(unit.deadlinesMet, unit.deadlines) : 1);
    const quality = unit.reviewedStaff > 0 ? round(1 - share(unit.withProblems, unit.liveStaff)) : null;
    return {
      ...unit,
      schoolsApprovedShare: round(share(unit.schoolsApproved, unit.schools)),
      completion,
      timeliness,
      returnedShare: round(share(unit.returned, unit.liveStaff)),
      findingsShare: round(share(unit.withFindings, unit.liveStaff)),
      quality,
      score: performanceScore({ completion, timeliness, quality }, weights),
    };
  });
  const previousByCode = new Map((previous ?? []).map((row) => [row.code, row]));
  const rows: BulletinRow[] = [];
  for (const group of ['prefecture', 'university'] as const) {
    const members = scored.filter((unit) => unit.group === group);
    const byCompletion = competitionRanks(members, (u) => u.completion);
    const byTimeliness = competitionRanks(members, (u) => u.timeliness);
    const byQuality = competitionRanks(members.filter((u) => u.quality !== null), (u) => u.quality!);
    const overall = competitionRanks(members, (u) => u.score);
    const watched = watchList(members, watchRule);
    for (const unit of [...members].sort((a, b) => overall.get(a)! - overall.get(b)! || a.code.localeCompare(b.code))) {
      const rank = overall.get(unit)!;
      const before = previousByCode.get(unit.code);
      rows.push({
        ...unit,
        ranks: { completion: byCompletion.get(unit)!, timeliness: byTimeliness.get(unit)!, quality: byQuality.get(unit) ?? null, overall: rank },
        change: before
          ? {
              completion: round(unit.completion - before.completion),
              timeliness: round(unit.timeliness - before.timeliness),
              quality: unit.quality !== null && before.quality != null ? round(unit.quality - before.quality) : null,
              score: Math.round((unit.score - before.score) * 10) / 10,
              // Positive: moved up.
              rank: before.ranks.overall - rank,
            }
          : null,
        watch: watched.has(unit.code),
      });
    }
  }
  return rows;
}
