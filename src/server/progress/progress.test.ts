import { describe, expect, it } from 'vitest';
import { addDays, addProgress, campaignDays, chinaDay, completion, cumulate, emptyProgress, funnel, laggingFirst, percent, percentages, type Progress } from './progress.ts';

/** Staff: expected, entered, confirmed, approved, and optionally of confirmed those on paper, and the shortfall. */
const progress = (schools: [number, number, number, number], staff: [number, number, number, number], paper = 0, shortfall = Math.max(0, staff[0] - staff[1])): Progress => ({
  schools: { expected: schools[0], started: schools[1], submitted: schools[2], approved: schools[3] },
  staff: { expected: staff[0], entered: staff[1], shortfall, confirmed: staff[2], confirmedPhone: staff[2] - paper, confirmedPaper: paper, approved: staff[3] },
});

describe('progress arithmetic', () => {
  it('adds units together figure by figure', () => {
    expect(addProgress(progress([2, 1, 1, 0], [10, 6, 4, 2], 1), progress([1, 1, 0, 0], [5, 5, 5, 5], 2))).toEqual(progress([3, 2, 1, 0], [15, 11, 9, 7], 3, 4));
    // A school over its count does not make up for another's missing people.
    expect(addProgress(progress([1, 1, 0, 0], [10, 6, 0, 0]), progress([1, 1, 0, 0], [5, 8, 0, 0])).staff.shortfall).toBe(4);
    expect(addProgress()).toEqual(emptyProgress());
  });

  it('rounds percentages to one decimal, allows more than 100 and has none when nothing is expected', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(12, 10)).toBe(120);
    expect(percent(0, 0)).toBeNull();
    expect(percentages(progress([4, 3, 2, 1], [0, 2, 1, 0]))).toEqual({
      schools: { started: 75, submitted: 50, approved: 25 },
      staff: { entered: null, shortfall: null, confirmed: null, confirmedPhone: null, confirmedPaper: null, approved: null },
    });
  });

  it('measures completion by approved staff of expected, capped, then by approved schools, else none', () => {
    expect(completion(progress([2, 2, 2, 2], [10, 12, 12, 12]))).toBe(1);
    expect(completion(progress([2, 2, 0, 0], [10, 8, 5, 4]))).toBe(0.4);
    expect(completion(progress([4, 1, 1, 1], [0, 0, 0, 0]))).toBe(0.25);
    expect(completion(emptyProgress())).toBeNull();
  });

  it('puts the lagging units first, ties by approved schools then code, and units expecting nothing last', () => {
    const rows = [
      { code: 'c', progress: progress([1, 1, 1, 1], [10, 10, 10, 5]) },
      { code: 'a', progress: emptyProgress() },
      { code: 'd', progress: progress([2, 2, 1, 0], [10, 10, 10, 5]) },
      { code: 'b', progress: progress([1, 0, 0, 0], [10, 0, 0, 0]) },
      { code: 'e', progress: progress([2, 2, 1, 0], [20, 10, 10, 10]) },
    ];
    expect(laggingFirst(rows).map((row) => row.code)).toEqual(['b', 'd', 'e', 'c', 'a']);
  });

  it('builds the funnel from expected down to approved, the confirmed stage in its two kinds', () => {
    expect(funnel(progress([1, 1, 0, 0], [8, 6, 4, 2], 1).staff)).toEqual([
      { stage: 'expected', label: { zh: '应有人数', en: 'Expected' }, value: 8, percent: 100 },
      { stage: 'entered', label: { zh: '已录入', en: 'Entered' }, value: 6, percent: 75 },
      {
        stage: 'confirmed',
        label: { zh: '已确认', en: 'Confirmed' },
        value: 4,
        percent: 50,
        parts: [
          { kind: 'phone', label: { zh: '本人手机确认', en: 'By phone' }, value: 3, percent: 37.5 },
          { kind: 'paper', label: { zh: '学校登记纸质签字确认', en: 'On paper' }, value: 1, percent: 12.5 },
        ],
      },
      { stage: 'approved', label: { zh: '已审核', en: 'Approved' }, value: 2, percent: 25 },
    ]);
  });
});

describe('campaign days', () => {
  it('takes the day in China, eight hours ahead of UTC', () => {
    expect(chinaDay(new Date('2026-11-28T15:59:59Z'))).toBe('2026-11-28');
    expect(chinaDay(new Date('2026-11-28T16:00:00Z'))).toBe('2026-11-29');
    expect(addDays('2026-12-31')).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('runs from the start through today, stops at the end, and is today alone before the start', () => {
    expect(campaignDays('2026-11-27', '2026-12-24', '2026-11-29')).toEqual(['2026-11-27', '2026-11-28', '2026-11-29']);
    expect(campaignDays('2026-11-27', '2026-11-28', '2026-11-30')).toEqual(['2026-11-27', '2026-11-28']);
    expect(campaignDays('2026-12-01', '2026-12-24', '2026-11-29')).toEqual(['2026-11-29']);
  });

  it('adds up changes day by day, earlier changes counting on the first day', () => {
    const days = ['2026-11-27', '2026-11-28', '2026-11-29'];
    const changes = [
      { day: '2026-11-20', entered: 2, confirmed: 0, approved: 0 },
      { day: '2026-11-28', entered: 3, confirmed: 2, approved: 1 },
      { day: '2026-11-28', entered: -1, confirmed: -1, approved: 0 },
      { day: '2026-11-30', entered: 9, confirmed: 9, approved: 9 },
    ];
    expect(cumulate(days, changes)).toEqual([
      { day: '2026-11-27', entered: 2, confirmed: 0, approved: 0 },
      { day: '2026-11-28', entered: 4, confirmed: 1, approved: 1 },
      { day: '2026-11-29', entered: 4, confirmed: 1, approved: 1 },
    ]);
  });
});
