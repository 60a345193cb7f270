import { describe, expect, it } from 'vitest';
import { datedPlan } from '../../standard/campaign.ts';
import { deadlineState, submissionDeadline } from './deadlines.ts';

describe('deadlines', () => {
  const { plan } = datedPlan(new Date('2026-11-29T08:00:00Z'));

  it('takes each level\'s submission date from the plan', () => {
    // The plan moves by whole weeks: 2013-10-23 (a Wednesday) → Wednesday 2026-12-02, every date 684 weeks on.
    expect(submissionDeadline(plan, 'school', 'k12')).toBe('2026-12-09'); // 10-30 in 2013
    expect(submissionDeadline(plan, 'school', 'higher_ed')).toBe('2026-12-05'); // 10-26
    expect(submissionDeadline(plan, 'county', null)).toBe('2026-12-17'); // 11-07
    expect(submissionDeadline(plan, 'province', null)).toBe('2026-12-25'); // 11-15
  });

  it('says open, due soon (two days or less) and late by the day in China', () => {
    expect(deadlineState('2026-12-08', new Date('2026-12-01T00:00:00Z'))).toBe('open');
    expect(deadlineState('2026-12-08', new Date('2026-12-06T00:00:00Z'))).toBe('due_soon');
    expect(deadlineState('2026-12-08', new Date('2026-12-08T15:00:00Z'))).toBe('due_soon');
    expect(deadlineState('2026-12-08', new Date('2026-12-08T16:30:00Z'))).toBe('late'); // 00:30 on the 9th in Beijing
    expect(deadlineState(null, new Date())).toBeNull();
  });
});
