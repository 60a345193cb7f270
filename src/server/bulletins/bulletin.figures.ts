import { z } from 'zod';

/**
 * The arithmetic of a bulletin (通报), pure: shares, the performance score, ranks, week-on-week change and
 * the 约谈 list. The figures it starts from come from `bulletin.repository.ts`.
 */

export const weightsSchema = z
  .object({ completion: z.number().min(0).max(1), timeliness: z.number().min(0).max(1), quality: z.number().min(0).max(1) })
  .refine((w) => Math.abs(w.completion + w.timeliness + w.quality - 1) < 0.001, '三项权重之和须为 1 / the weights must add up to 1');
export type Weights = z.infer<typeof weightsSchema>;

/** Default weights of the performance score (绩效考核): completion 50%, timeliness 30%, quality 20%. */
export const defaultWeights: Weights = { completion: 0.5, timeliness: 0.3, quality: 0.2 };

/** 约谈名单: the bottom N of each group by score (ties at the boundary included), and anyone below a threshold (0–100). */
export const watchRuleSchema = z.object({ bottom: z.number().int().min(0).max(20), belowScore: z.number().min(0).max(100).nullable() });
export type WatchRule = z.infer<typeof watchRuleSchema>;
export const defaultWatchRule: WatchRule = { bottom: 3, belowScore: null };

export type BulletinGroup = 'prefecture' | 'university';

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

export type RowChange = { completion: number; timeliness: number; quality: number; score: number; rank: number | null };

export type BulletinRow = UnitFigures & {
  schoolsApprovedShare: number;
  /** 完成率: approved staff / expected staff (capped at 1). */
  completion: number;
  /** 及时率: deadlines met / deadlines passed (1 when none has passed yet). */
  timeliness: number;
  returnedShare: number;
  findingsShare: number;
  /** 质量: 1 − the share of live records returned at some point or with findings (0 with no records). */
  quality: number;
  /** 绩效得分 0–100. */
  score: number;
  ranks: { completion: number; timeliness: number; quality: number; overall: number };
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

/** Scores, ranks within each group, compares with the previous bulletin's rows, and names the 约谈 list. */
export function rankBulletin(figures: UnitFigures[], weights: Weights, watchRule: WatchRule, previous: BulletinRow[] | null): BulletinRow[] {
  const scored = figures.map((unit) => {
    const completion = round(Math.min(1, share(unit.approvedStaff, unit.expectedStaff)));
    const timeliness = round(unit.deadlines > 0 ? share(unit.deadlinesMet, unit.deadlines) : 1);
    const quality = round(unit.liveStaff > 0 ? 1 - share(unit.withProblems, unit.liveStaff) : 0);
    const score = Math.round(1000 * (weights.completion * completion + weights.timeliness * timeliness + weights.quality * quality)) / 10;
    return {
      ...unit,
      schoolsApprovedShare: round(share(unit.schoolsApproved, unit.schools)),
      completion,
      timeliness,
      returnedShare: round(share(unit.returned, unit.liveStaff)),
      findingsShare: round(share(unit.withFindings, unit.liveStaff)),
      quality,
      score,
    };
  });
  const previousByCode = new Map((previous ?? []).map((row) => [row.code, row]));
  const rows: BulletinRow[] = [];
  for (const group of ['prefecture', 'university'] as const) {
    const members = scored.filter((unit) => unit.group === group);
    const byCompletion = competitionRanks(members, (u) => u.completion);
    const byTimeliness = competitionRanks(members, (u) => u.timeliness);
    const byQuality = competitionRanks(members, (u) => u.quality);
    const overall = competitionRanks(members, (u) => u.score);
    // 约谈: the bottom N by score; units tied with the Nth from the bottom are named too.
    // A group smaller than N + 1 still keeps its best unit off the list, and a group where everyone scores
    // the same names nobody: the bottom must be below someone.
    const scores = members.map((u) => u.score).sort((a, b) => a - b);
    const bottom = Math.min(watchRule.bottom, members.length - 1);
    const cutoff = bottom > 0 && scores[bottom - 1] < scores[scores.length - 1] ? scores[bottom - 1] : -Infinity;
    for (const unit of [...members].sort((a, b) => overall.get(a)! - overall.get(b)! || a.code.localeCompare(b.code))) {
      const rank = overall.get(unit)!;
      const before = previousByCode.get(unit.code);
      rows.push({
        ...unit,
        ranks: { completion: byCompletion.get(unit)!, timeliness: byTimeliness.get(unit)!, quality: byQuality.get(unit)!, overall: rank },
        change: before
          ? {
              completion: round(unit.completion - before.completion),
              timeliness: round(unit.timeliness - before.timeliness),
              quality: round(unit.quality - before.quality),
              score: Math.round((unit.score - before.score) * 10) / 10,
              // Positive: moved up.
              rank: before.ranks.overall - rank,
            }
          : null,
        watch: unit.score <= cutoff || (watchRule.belowScore !== null && unit.score < watchRule.belowScore),
      });
    }
  }
  return rows;
}
