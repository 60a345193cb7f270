import { describe, expect, it } from 'vitest';
import { datedPlan, handDatingProblems, plan2013, planDatedByHand, planDateProblems, planStartingOn, taskKeyByRole, weeklyPlanOf, withTaskRoles, type CampaignPlan } from './campaign.ts';
import { chinaDay } from './normalize.ts';

const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const daysFrom = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

describe('datedPlan', () => {
  it('moves every due date by the same whole weeks so that today is in the schools\' entry week', () => {
    // Sunday 2026-11-29 in Beijing: the schools' entry deadline (Wednesday 2013-10-23) comes on Wednesday 12-02.
    const { plan, startsOn, endsOn } = datedPlan(new Date('2026-11-29T08:00:00Z'));
    const school = plan.levels.school.tasks;
    expect(school.find((t) => t.observable === 'entered')!.due).toBe('2026-12-02');
    expect(startsOn).toBe('2026-11-06'); // 2013-09-27, a Friday
    expect(endsOn).toBe('2026-12-25'); // 2013-11-15, a Friday
    expect(startsOn < '2026-11-29' && '2026-11-29' < endsOn).toBe(true);
    expect(plan.levels.province.tasks.at(-1)).toMatchObject({ reportTo: 'ministry', observable: 'submit', due: '2026-12-25' });
    expect(plan.levels.county.tasks.filter((t) => t.due === null).length).toBe(2);
  });

  it('keeps every task\'s weekday, whatever the day it is dated on', () => {
    for (let day = 0; day < 7; day += 1) {
      const today = new Date(Date.UTC(2026, 10, 23 + day, 4));
      const { plan } = datedPlan(today);
      for (const [level, data] of Object.entries(plan2013.levels)) {
        data.tasks.forEach((task, index) => {
          const dated = plan.levels[level as keyof CampaignPlan['levels']].tasks[index].due;
          if (!task.due) return expect(dated).toBeNull();
          expect(weekday(dated!), `${level} ${task.task}`).toBe(weekday(`2013-${task.due}`));
        });
      }
      // Today falls between 10-17 and 10-23 of 2013: the entry deadline is today or within six days.
      const entry = plan.levels.school.tasks.find((t) => t.observable === 'entered')!.due!;
      const ahead = daysFrom(chinaDay(today), entry);
      expect(ahead).toBeGreaterThanOrEqual(0);
      expect(ahead).toBeLessThan(7);
    }
  });

  it('counts today in China\'s calendar: 23:30 and 00:30 in Beijing are different days', () => {
    // Wednesday 2026-12-02 23:30 in Beijing (15:30 UTC): today is the entry deadline itself.
    const lateEvening = datedPlan(new Date('2026-12-02T15:30:00Z')).plan.levels.school.tasks[3];
    expect(lateEvening).toMatchObject({ observable: 'entered', due: '2026-12-02' });
    // Thursday 2026-12-03 00:30 in Beijing (16:30 UTC on the 2nd): a day past it, so the plan moves a week on.
    const pastMidnight = datedPlan(new Date('2026-12-02T16:30:00Z')).plan.levels.school.tasks[3];
    expect(pastMidnight).toMatchObject({ observable: 'entered', due: '2026-12-09' });
  });

  it('gives the tasks the weekly report reads their roles', () => {
    const { plan } = datedPlan(new Date('2026-11-29T08:00:00Z'));
    expect(taskKeyByRole(plan, 'county', 'implementation_plan')).toBe('county-1');
    expect(taskKeyByRole(plan, 'county', 'training')).toBe('county-3');
    expect(taskKeyByRole(plan, 'school', 'training')).toBe('school-1');
    expect(taskKeyByRole(plan, 'higher_ed', 'training')).toBe('higher_ed-2');
    expect(taskKeyByRole(plan, 'province', 'training')).toBeNull();
  });
});

describe('withTaskRoles', () => {
  const dated = () => structuredClone(datedPlan(new Date('2026-11-29T08:00:00Z')).plan);

  it('gives a plan stored without roles the roles of its keys, whatever the tasks\' words', () => {
    const stored = dated();
    for (const level of Object.values(stored.levels)) for (const task of level.tasks) delete task.role;
    stored.levels.county.tasks[2].task = '召开全县工作部署会';
    const read = withTaskRoles(stored);
    expect(read.levels.county.tasks[2]).toMatchObject({ key: 'county-3', task: '召开全县工作部署会', role: 'training' });
    expect(read.levels.school.tasks[0]).toMatchObject({ key: 'school-1', role: 'training' });
    expect(JSON.stringify(stored)).not.toContain('"role"');
    expect(withTaskRoles(read)).toBe(read);
  });

  it('leaves a task the province added (a new key) and a removed one without a role, and keeps roles already held', () => {
    const stored = dated();
    for (const level of Object.values(stored.levels)) for (const task of level.tasks) delete task.role;
    stored.levels.county.tasks = stored.levels.county.tasks.filter((task) => task.key !== 'county-3');
    stored.levels.county.tasks.push({ key: 'county-8', task: '开展业务技术培训', due: '2026-12-01' });
    expect(taskKeyByRole(stored, 'county', 'training')).toBeNull();
    expect(taskKeyByRole(stored, 'county', 'implementation_plan')).toBe('county-1');
    const held = dated();
    held.levels.county.tasks[0].role = 'training';
    delete held.levels.county.tasks[2].role;
    expect(taskKeyByRole(held, 'county', 'training')).toBe('county-1');
  });
});

describe('planStartingOn', () => {
  it('moves every date by whole weeks: the first task falls on the start day or within the six after it', () => {
    for (let day = 1; day <= 7; day += 1) {
      const startsOn = `2027-09-0${day}`;
      const dated = planStartingOn(startsOn);
      expect(weekday(dated.startsOn)).toBe(weekday('2013-09-27'));
      expect(daysFrom(startsOn, dated.startsOn)).toBeGreaterThanOrEqual(0);
      expect(daysFrom(startsOn, dated.startsOn)).toBeLessThan(7);
      const issues = dated.plan.weekly.issues;
      expect(issues.map((issue) => weekday(issue.date))).toEqual(plan2013.weeklyReportForm.issues.map((issue) => weekday(`2013-${issue.date}`)));
      expect(planDateProblems(dated.plan)).toEqual([]);
    }
  });
});

describe('planDateProblems', () => {
  const plan = () => structuredClone(planStartingOn('2027-09-06').plan);

  it('names a step due before the one it follows, a submission after the receiver\'s review, and issues less than a week apart', () => {
    const steps = plan();
    const [entered, confirmed] = [steps.levels.school.tasks[3], steps.levels.school.tasks[4]];
    confirmed.due = '2027-09-01';
    expect(planDateProblems(steps)).toEqual([`中职、中小学学校「${confirmed.task}」的截止日期 2027-09-01 早于「${entered.task}」的 ${entered.due}`]);

    const chain = plan();
    const countyReview = chain.levels.county.tasks[5];
    countyReview.due = '2027-10-01';
    expect(planDateProblems(chain).join('；')).toContain(`晚于县市区级「${countyReview.task}」的 2027-10-01`);

    const weekly = plan();
    weekly.weekly = { ...weeklyPlanOf(weekly), issues: weeklyPlanOf(weekly).issues.map((issue, index, all) => (index === 3 ? { ...issue, date: all[2].date } : issue)) };
    expect(planDateProblems(weekly)).toEqual([expect.stringContaining('周报表第 4 期的日期')]);
  });

  it('reads the template\'s weekly report, shifted as its tasks, for a plan stored without one', () => {
    const { weekly, ...stored } = plan();
    expect(weeklyPlanOf(stored)).toEqual(weekly);
  });
});

describe('planDatedByHand', () => {
  it('takes every dated task\'s day by key and the weekly issues\' days, and names what is missing or unknown', () => {
    const source = planStartingOn('2027-09-06').plan;
    const dates = Object.fromEntries(Object.values(source.levels).flatMap((level) => level.tasks.flatMap((task) => (task.due ? [[task.key, task.due]] : []))));
    const weeklyDates = source.weekly?.issues.map((issue) => issue.date) ?? [];
    expect(handDatingProblems(dates, weeklyDates)).toEqual([]);
    expect(planDatedByHand(dates, weeklyDates)).toEqual(source);
    const { 'county-7': _left, ...missing } = dates;
    expect(handDatingProblems({ ...missing, 'county-4': '2027-10-01' }, weeklyDates.slice(1))).toEqual([
      expect.stringContaining('（county-7）缺少截止日期'),
      '任务 county-4 不是模板中有截止日期的任务',
      '周报表须给出 4 期的日期，收到 3 个',
    ]);
  });
});
