import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignDetail, CampaignList } from '../../contract/campaign.schema.ts';
import { plan2013, planLevels, planStartingOn } from '../../standard/campaign.ts';
import { createTestApp, type TestApp, type TestClient } from '../test/app.ts';
import { auditEventsFor, makeAccount, makeCampaign } from '../test/factories.ts';
import { weeklyIssues } from '../reports/weekly-issues.ts';
import { findCampaign } from './campaign.repository.ts';

let t: TestApp;
let province: TestClient;
let provinceOperator: TestClient;
let county: TestClient;
/** The running campaign the factories make (the demo's way). */
let firstId: number;

const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const errorOf = (body: string) => (JSON.parse(body) as { error: { message: string } }).error.message;

/** Every dated task's day, by key, as the plan starting on `startsOn` dates it (a valid hand dating to spoil). */
function handDates(startsOn: string) {
  const { plan } = planStartingOn(startsOn);
  const dates: Record<string, string> = {};
  for (const level of planLevels) for (const task of plan.levels[level].tasks) if (task.due) dates[task.key] = task.due;
  return { dates, weeklyDates: (plan.weekly?.issues ?? []).map((issue) => issue.date) };
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  firstId = (await makeCampaign(db)).id;
  province = await t.login((await makeAccount(db, { unitCode: '430000' })).username);
  provinceOperator = await t.login((await makeAccount(db, { unitCode: '430000', role: 'operator' })).username);
  county = await t.login((await makeAccount(db, { unitCode: '430102' })).username);
});
afterAll(() => t.close());

describe('campaigns made by the province', () => {
  it('lists the running campaign to everyone, and offers the province\'s admin to make one', async () => {
    const asProvince = (await province.get('/api/campaigns')).json() as CampaignList;
    expect(asProvince.abilities.create).toBe(true);
    expect(asProvince.campaigns).toMatchObject([{ id: firstId, status: 'running', statusLabel: '进行中', abilities: { start: false, close: true, editPlan: true } }]);
    const asCounty = (await county.get('/api/campaigns')).json() as CampaignList;
    expect(asCounty.abilities.create).toBe(false);
    expect(asCounty.campaigns[0].abilities).toEqual({ start: false, close: false, editPlan: false });
    const current = await county.get('/api/campaigns/current');
    expect(current.json()).toMatchObject({ id: firstId, status: 'running' });
  });

  it('makes a draft from its start date, every date moved by whole weeks so weekdays stay', async () => {
    // Tuesday 2027-09-07: the template's first task (Friday 2013-09-27) lands on Friday 09-10.
    const response = await province.post('/api/campaigns', { year: 2027, startsOn: '2027-09-07' });
    expect(response.statusCode, response.body).toBe(201);
    const made = response.json() as CampaignDetail;
    expect(made).toMatchObject({ status: 'draft', year: 2027, name: '2027年全国教职工基础信息采集', startsOn: '2027-09-10' });
    for (const level of planLevels) {
      plan2013.levels[level].tasks.forEach((task, index) => {
        const due = made.levels[level].tasks[index].due;
        if (!task.due) return expect(due).toBeNull();
        expect(weekday(due ?? ''), `${level} ${task.task}`).toBe(weekday(`2013-${task.due}`));
        expect(due && due >= '2027-09-10').toBe(true);
      });
    }
    expect(made.weekly.issues.map((issue) => weekday(issue.date))).toEqual(['10-16', '10-23', '10-31', '11-07'].map((day) => weekday(`2013-${day}`)));
    expect(made.weekly.levels.county).toEqual({ to: 'prefecture', weekday: 5, time: '10:00' });
    const [event] = await auditEventsFor(t.database.db, made.id, 'campaign');
    expect(event).toMatchObject({ action: 'campaign.created', actorUnitCode: '430000' });
    // A draft is nobody's work yet: the running campaign stays the current one.
    expect((await county.get('/api/campaigns/current')).json()).toMatchObject({ id: firstId });
    expect((await county.get(`/api/campaigns/${made.id}`)).json()).toMatchObject({ id: made.id, status: 'draft', abilities: { editPlan: false } });
  });

  it('makes a draft with every date set by hand, and refuses dates out of order naming the date', async () => {
    const good = handDates('2028-09-01');
    good.dates['province-1'] = '2028-09-02';
    const made = await province.post('/api/campaigns', { year: 2028, name: '2028年教职工信息采集', ...good });
    expect(made.statusCode, made.body).toBe(201);
    expect((made.json() as CampaignDetail).levels.province.tasks[0].due).toBe('2028-09-02');

    const entered = handDates('2028-09-01');
    // The schools' confirmation before their entry.
    entered.dates['school-5'] = '2028-09-20';
    const refused = await province.post('/api/campaigns', { year: 2028, ...entered });
    expect(refused.statusCode).toBe(422);
    expect(errorOf(refused.body)).toContain('2028-09-20');
    expect(errorOf(refused.body)).toContain('中职、中小学学校');

    const weekly = handDates('2028-09-01');
    weekly.weeklyDates[2] = weekly.weeklyDates[1];
    const weeklyRefused = await province.post('/api/campaigns', { year: 2028, ...weekly });
    expect(weeklyRefused.statusCode).toBe(422);
    expect(errorOf(weeklyRefused.body)).toContain(`周报表第 3 期的日期 ${weekly.weeklyDates[1]}`);

    const missing = handDates('2028-09-01');
    delete missing.dates['county-7'];
    const incomplete = await province.post('/api/campaigns', { year: 2028, ...missing });
    expect(incomplete.statusCode).toBe(422);
    expect(errorOf(incomplete.body)).toContain('county-7');

    const wrongYear = await province.post('/api/campaigns', { year: 2030, startsOn: '2028-09-01' });
    expect(wrongYear.statusCode).toBe(422);
    expect(errorOf(wrongYear.body)).toContain('不在 2030 年');
    expect(((await province.get('/api/campaigns')).json() as CampaignList).campaigns.filter((c) => c.year === 2028 || c.year === 2030)).toHaveLength(1);
  });

  it('edits a draft\'s weekly report: issue dates, what each reports, the addressee and the cut-off hour', async () => {
    const draft = ((await province.post('/api/campaigns', { year: 2029, startsOn: '2029-09-03' })).json() as CampaignDetail);
    const issues = draft.weekly.issues.map((issue, index) => ({ date: issue.date, content: index === 0 ? '部署培训情况（修改）' : issue.content }));
    issues[3] = { ...issues[3], date: '2029-11-16' };
    const saved = await province.request('PUT', `/api/campaigns/${draft.id}/plan`, { levels: {}, weekly: { issues, levels: { county: { to: 'prefecture', weekday: 4, time: '09:30' } } }, version: draft.planVersion });
    expect(saved.statusCode, saved.body).toBe(200);
    const stored = await findCampaign(t.database.db, draft.id);
    if (!stored) throw new Error('the draft is gone');
    const countyIssues = weeklyIssues(stored.plan, 'county');
    expect(countyIssues[0].content).toBe('部署培训情况（修改）');
    expect(countyIssues[3].date).toBe('2029-11-16');
    // Thursday on or after Friday 11-16 is 11-22, at 09:30 in China (01:30 UTC).
    expect(countyIssues[3].dueAt.toISOString()).toBe('2029-11-22T01:30:00.000Z');
    expect(weeklyIssues(stored.plan, 'province')[3].dueAt.toISOString()).toBe('2029-11-16T07:00:00.000Z');
    expect((await auditEventsFor(t.database.db, draft.id, 'campaign')).map((event) => event.action)).toEqual(['campaign.created', 'campaign.weekly_update']);

    // The weekly report sent back as read (its keys as jsonb orders them) changes nothing.
    const reread = (await province.get(`/api/campaigns/${draft.id}`)).json() as CampaignDetail;
    const unchanged = await province.request('PUT', `/api/campaigns/${draft.id}/plan`, { levels: {}, weekly: reread.weekly, version: reread.planVersion });
    expect(unchanged.json()).toMatchObject({ changes: 0 });

    const outOfOrder = issues.map((issue, index) => (index === 1 ? { ...issue, date: issues[0].date } : issue));
    const refused = await province.request('PUT', `/api/campaigns/${draft.id}/plan`, { levels: {}, weekly: { issues: outOfOrder } });
    expect(refused.statusCode).toBe(400);
    expect(errorOf(refused.body)).toContain(`周报表第 2 期的日期 ${issues[0].date}`);
  });

  it('refuses a second running campaign, and starts a draft once the running one is closed', async () => {
    const [draft] = ((await province.get('/api/campaigns')).json() as CampaignList).campaigns.filter((c) => c.year === 2027);
    const refused = await province.post(`/api/campaigns/${draft.id}/start`);
    expect(refused.statusCode).toBe(409);
    expect(errorOf(refused.body)).toContain('已有进行中的采集工作');

    const closed = await province.post(`/api/campaigns/${firstId}/close`);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', abilities: { start: false, close: false, editPlan: false } });
    expect((await county.get('/api/campaigns/current')).statusCode).toBe(404);
    expect((await province.post(`/api/campaigns/${firstId}/close`)).statusCode).toBe(409);
    expect((await province.post(`/api/campaigns/${firstId}/start`)).statusCode).toBe(409);

    const started = await province.post(`/api/campaigns/${draft.id}/start`);
    expect(started.statusCode, started.body).toBe(200);
    expect((await county.get('/api/campaigns/current')).json()).toMatchObject({ id: draft.id, status: 'running', year: 2027 });
    expect((await auditEventsFor(t.database.db, firstId, 'campaign')).map((event) => event.action)).toEqual(['campaign.closed']);
    expect((await auditEventsFor(t.database.db, draft.id, 'campaign')).map((event) => event.action)).toEqual(['campaign.created', 'campaign.started']);
  });

  it('keeps a closed campaign readable and its plan read-only', async () => {
    const closed = await province.get(`/api/campaigns/${firstId}`);
    expect(closed.statusCode).toBe(200);
    const detail = closed.json() as CampaignDetail;
    expect(detail).toMatchObject({ status: 'closed', abilities: { editPlan: false } });
    const before = await findCampaign(t.database.db, firstId);
    const edit = await province.request('PUT', `/api/campaigns/${firstId}/plan`, { levels: { province: { tasks: detail.levels.province.tasks.map(({ key, due }) => ({ key, task: '改过的任务', due })) } } });
    expect(edit.statusCode).toBe(409);
    expect(errorOf(edit.body)).toContain('已结束');
    expect((await findCampaign(t.database.db, firstId))?.plan).toEqual(before?.plan);
  });

  it('lets only the province\'s admin make, start, close and edit campaigns', async () => {
    const [draft] = ((await province.get('/api/campaigns')).json() as CampaignList).campaigns.filter((c) => c.status === 'draft');
    for (const client of [county, provinceOperator]) {
      expect((await client.post('/api/campaigns', { year: 2031, startsOn: '2031-09-01' })).statusCode).toBe(403);
      expect((await client.post(`/api/campaigns/${draft.id}/start`)).statusCode).toBe(403);
      expect((await client.post(`/api/campaigns/${draft.id}/close`)).statusCode).toBe(403);
      expect((await client.request('PUT', `/api/campaigns/${draft.id}/plan`, { levels: {} })).statusCode).toBe(403);
    }
    expect((await county.get('/api/campaigns/999999')).statusCode).toBe(404);
    expect((await province.post('/api/campaigns/999999/start')).statusCode).toBe(404);
  });
});
