import { describe, expect, it } from 'vitest';
import { datedPlan } from './campaign.ts';

describe('datedPlan', () => {
  it('moves every due date by the same days so that today is the schools\' entry week', () => {
    const { plan, startsOn, endsOn } = datedPlan(new Date('2026-11-29T08:00:00Z'));
    const school = plan.levels.school.tasks;
    // 2013-10-21 → 2026-11-29: the school entry deadline 10-23 falls two days later.
    expect(school.find((t) => t.observable === 'entered')!.due).toBe('2026-12-01');
    expect(startsOn).toBe('2026-11-05'); // 2013-09-27, 24 days before 10-21
    expect(endsOn).toBe('2026-12-24'); // 2013-11-15, 25 days after 10-21
    expect(startsOn < '2026-11-29' && '2026-11-29' < endsOn).toBe(true);
    expect(plan.levels.province.tasks.at(-1)).toMatchObject({ reportTo: 'ministry', observable: 'submit', due: '2026-12-24' });
    expect(plan.levels.county.tasks.filter((t) => t.due === null).length).toBe(2);
  });
});
